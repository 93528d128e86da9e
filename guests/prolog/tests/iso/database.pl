% ISO 7.5, 8.8-8.9: clause/2, asserta/1, assertz/1, retract/1, abolish/1,
% and retractall/1, dynamic/1; the logical update view (a call sees the
% clauses of the moment it started).
% Differences from swipl's output: error contexts; abolish/1 of a static
% procedure is a permission error (ISO 8.9.4.3; swipl allows it).
:- style_check(-singleton).
:- dynamic(counter/1).
:- dynamic((q/2, r/1)).
:- dynamic([s/1]).
counter(0).
q(1, a).
q(2, b).
q(3, c).

t(counter(X)).
t((retract(counter(C)), C1 is C + 1, assertz(counter(C1)), counter(X))).
t(q(X, Y)).
t(q(2, Y)).
t(clause(q(X, Y), B)).
t(clause(q(X, Y), true)).
t((asserta(q(0, z)), findall(X-Y, q(X, Y), L))).
t((assertz((r(X) :- q(X, _), X > 1)), findall(X, r(X), L))).
t(clause(r(X), B)).
t((retract(q(0, z)), findall(X, q(X, _), L))).
t((retract((r(X) :- B)), findall(X, r(X), L))).
t(retract(q(9, _))).
t((q(X, _), assertz(q(9, new)), fail ; findall(X, q(X, _), L))).
t((q(X, _), retract(q(3, _)), fail ; findall(X, q(X, _), L))).
t(findall(X, (q(X, _), retract(q(9, _))), L)).
t((retractall(q(_, _)), findall(X, q(X, _), L))).
t((assertz(q(1, one)), assertz(q(2, two)), retractall(q(1, _)), findall(X-Y, q(X, Y), L))).
t(s(X)).
t(undefined_dyn(X)).
t((assertz(fresh(1)), fresh(X))).
t((abolish(fresh/1), catch(fresh(X), error(E, _), true))).
t(asserta(_)).
t(asserta(3)).
t(assertz((foo :- 3))).
t(assertz((atom_length(_, _) :- true))).
t(retract((x :- y, z))).
t(abolish(foo)).
t(abolish(foo/a)).
t(abolish(t/1)).
t(clause(X, true)).
t(clause(3, true)).
t(clause(atom_length(_, _), B)).
t((assertz(g(X, X)), g(A, B), A == B)).
t((assertz(h([1,2,3|T])), h(L))).
t((assertz(k(f(X, Y, X))), retract(k(f(1, Z, W))))).
t((assertz(cnt(0)), between(1, 5, _), retract(cnt(N)), N1 is N + 1, assertz(cnt(N1)), fail ; cnt(N))).
