% ISO 8.10: findall/3, bagof/3, setof/3 (with ^), and findall/4,
% aggregate_all/3, forall/2.
:- style_check(-singleton).
p(1, a). p(2, b). p(3, a). p(4, c). p(5, b).
age(peter, 7). age(ann, 11). age(pat, 8). age(tom, 5). age(mike, 11).

t(findall(X, p(X, _), L)).
t(findall(X-Y, p(X, Y), L)).
t(findall(X, fail, L)).
t(findall(X, member(X, [c,a,b,a]), [c|T])).
t(findall(X, (member(X, [1,2,3]), X > 1), L, [end])).
t(findall(X, G, L)).
t(findall(X, 4, L)).
t(findall(X, member(X, [1,2]), [A, B, C])).
t(bagof(X, p(X, Y), L)).
t(bagof(X, Y^p(X, Y), L)).
t(bagof(X, p(X, z), L)).
t(setof(Y, X^p(X, Y), L)).
t(setof(X-Y, p(X, Y), L)).
t(setof(N, A^age(N, A), L)).
t(setof(A-N, age(N, A), [_, _|L])).
t(setof(N, age(N, A), L)).
t(bagof(X, member(X, [c, b, a, b]), L)).
t(setof(X, member(X, [c, b, a, b]), L)).
t(bagof(X-Z, member(X-Z, [1-Y, 2-Y, 3-W]), L)).
t(bagof(X, G, L)).
t(aggregate_all(count, p(_, _), C)).
t(aggregate_all(count, fail, C)).
t(aggregate_all(sum(X), p(X, _), S)).
t(aggregate_all(max(X), p(X, _), S)).
t(aggregate_all(min(X), p(X, _), S)).
t(aggregate_all(max(X), fail, S)).
t(aggregate_all(bag(Y), p(_, Y), S)).
t(aggregate_all(set(Y), p(_, Y), S)).
t(aggregate_all(max(A, N), age(N, A), M)).
t(forall(p(X, _), X > 0)).
t(forall(p(X, Y), Y == a)).
