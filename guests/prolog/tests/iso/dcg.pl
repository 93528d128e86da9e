% DCG grammar rules (ISO's draft 7.14 translation) and phrase/2,3.
:- style_check(-singleton).
greeting --> [hello], who.
who --> [world].
who --> [prolog].
digits([D|T]) --> digit(D), digits(T).
digits([D]) --> digit(D).
digit(D) --> [D], { D >= 0'0, D =< 0'9 }.
number(N) --> digits(Ds), { number_of(Ds, 0, N) }.
number_of([], N, N).
number_of([D|Ds], N0, N) :- N1 is N0 * 10 + D - 0'0, number_of(Ds, N1, N).
expr(X) --> term(X0), rest(X0, X).
rest(Acc, X) --> "+", !, term(Y), { Acc1 is Acc + Y }, rest(Acc1, X).
rest(Acc, X) --> "-", !, term(Y), { Acc1 is Acc - Y }, rest(Acc1, X).
rest(X, X) --> [].
term(N) --> number(N).
anything([]) --> [].
anything([X|Xs]) --> [X], anything(Xs).
ab --> ( [a] -> [] ; [b] ).
notc --> \+ [c], [_].
look, [X] --> [X].
calls(X) --> call(pair, X).
pair(X, [X, X|T], T).

t(phrase(greeting, [hello, world])).
t(phrase(greeting, [hello, X])).
t(phrase(greeting, [bye, world])).
t(phrase(expr(V), "12+30-2")).
t(phrase(expr(V), "12+", R)).
t(phrase(anything(X), [a, b], R)).
t(phrase(ab, [a])).
t(phrase(ab, [b])).
t(phrase(notc, [d])).
t(phrase(notc, [c])).
t(phrase(look, [q], R)).
t(phrase(calls(X), [z, z])).
t(phrase(([a], [b]), L)).
t(phrase(([a] ; [b]), L)).
t(phrase({X = 1}, [], R)).
t(phrase(P, [a])).
t(phrase(3, [a])).
