% poly_10: raise the polynomial 1 + x + y + z to the 10th power.
%
% Measures: building and merging many small structures with integer
% arithmetic (multi-variable polynomial addition and multiplication in a
% recursive sparse representation). One iteration computes the power 3 times.
% Verifies: by evaluating the result rather than by comparing it with a
% stored polynomial: at x = y = z = 1 it must be 4^10 = 1048576, at
% x = 2, y = 3, z = -1 it must be 5^10 = 9765625, and it must have
% C(13, 3) = 286 monomials (the monomials of degree at most 10 in three
% variables), all with positive coefficients.
%
% A polynomial is a number or poly(Var, Terms): Terms lists term(Exp,
% Coeff) by increasing Exp, each Coeff a polynomial in variables after Var
% (x @< y @< z in the standard order of atoms).

bench(N) :- \+ ( pp_between(1, N, _), \+ pp_iteration ).

pp_iteration :-
    pp_input(P),
    ( pp_between(1, 2, _), pp_power(P, 10, _), fail ; true ),
    pp_power(P, 10, R),
    pp_eval(R, [x = 1, y = 1, z = 1], 1048576),
    pp_eval(R, [x = 2, y = 3, z = -1], 9765625),
    pp_monomials(R, 286).

pp_input(P) :-
    pp_add(poly(x, [term(1, 1)]), poly(y, [term(1, 1)]), P1),
    pp_add(P1, poly(z, [term(1, 1)]), P2),
    pp_add(1, P2, P).

% Square-and-multiply power, N >= 1.
pp_power(P, 1, P) :- !.
pp_power(P, N, R) :-
    N mod 2 =:= 0, !,
    H is N // 2,
    pp_power(P, H, Q),
    pp_mul(Q, Q, R).
pp_power(P, N, R) :-
    N1 is N - 1,
    pp_power(P, N1, Q),
    pp_mul(P, Q, R).

pp_add(P, Q, R) :- number(P), number(Q), !, R is P + Q.
pp_add(P, poly(V, T), poly(V, T1)) :- number(P), !, pp_add_const(T, P, T1).
pp_add(poly(V, T), Q, poly(V, T1)) :- number(Q), !, pp_add_const(T, Q, T1).
pp_add(poly(V, T1), poly(V, T2), poly(V, T)) :- !, pp_add_terms(T1, T2, T).
pp_add(poly(V1, T1), poly(V2, T2), poly(V1, T)) :-
    V1 @< V2, !,
    pp_add_const(T1, poly(V2, T2), T).
pp_add(P, poly(V2, T2), poly(V2, T)) :- pp_add_const(T2, P, T).

% Add K (a polynomial in later variables) to the constant term.
pp_add_const([term(0, C)|T], K, [term(0, C1)|T]) :- !, pp_add(C, K, C1).
pp_add_const(T, K, [term(0, K)|T]).

pp_add_terms([], T, T) :- !.
pp_add_terms(T, [], T) :- !.
pp_add_terms([term(E, C1)|T1], [term(E, C2)|T2], [term(E, C)|T]) :- !,
    pp_add(C1, C2, C),
    pp_add_terms(T1, T2, T).
pp_add_terms([term(E1, C1)|T1], [term(E2, C2)|T2], [term(E1, C1)|T]) :-
    E1 < E2, !,
    pp_add_terms(T1, [term(E2, C2)|T2], T).
pp_add_terms(T1, [term(E2, C2)|T2], [term(E2, C2)|T]) :-
    pp_add_terms(T1, T2, T).

pp_mul(P, Q, R) :- number(P), number(Q), !, R is P * Q.
pp_mul(P, poly(V, T), poly(V, T1)) :- number(P), !, pp_scale(T, P, T1).
pp_mul(poly(V, T), Q, poly(V, T1)) :- number(Q), !, pp_scale(T, Q, T1).
pp_mul(poly(V, T1), poly(V, T2), poly(V, T)) :- !, pp_mul_terms(T1, T2, T).
pp_mul(poly(V1, T1), poly(V2, T2), poly(V1, T)) :-
    V1 @< V2, !,
    pp_scale(T1, poly(V2, T2), T).
pp_mul(P, poly(V2, T2), poly(V2, T)) :- pp_scale(T2, P, T).

% Multiply every coefficient by K (a polynomial in later variables).
pp_scale([], _, []).
pp_scale([term(E, C)|T], K, [term(E, C1)|T1]) :-
    pp_mul(C, K, C1),
    pp_scale(T, K, T1).

pp_mul_terms([], _, []).
pp_mul_terms([term(E, C)|T1], T2, T) :-
    pp_shift_scale(T2, E, C, P1),
    pp_mul_terms(T1, T2, P2),
    pp_add_terms(P1, P2, T).

pp_shift_scale([], _, _, []).
pp_shift_scale([term(E2, C2)|T], E, C, [term(E3, C3)|T3]) :-
    E3 is E + E2,
    pp_mul(C, C2, C3),
    pp_shift_scale(T, E, C, T3).

% The value at the point Env (a list Var = Value).
pp_eval(N, _, N) :- number(N), !.
pp_eval(poly(V, T), Env, R) :-
    pp_lookup(Env, V, X),
    pp_eval_terms(T, X, Env, 0, R).

pp_eval_terms([], _, _, R, R).
pp_eval_terms([term(E, C)|T], X, Env, Acc, R) :-
    pp_eval(C, Env, VC),
    pp_int_power(X, E, XE),
    Acc1 is Acc + VC * XE,
    pp_eval_terms(T, X, Env, Acc1, R).

pp_int_power(_, 0, 1) :- !.
pp_int_power(X, E, R) :- E1 is E - 1, pp_int_power(X, E1, R1), R is R1 * X.

pp_lookup([V = X|_], V, X) :- !.
pp_lookup([_|Env], V, X) :- pp_lookup(Env, V, X).

% The number of monomials; fails on a coefficient that is not positive.
pp_monomials(P, N) :- pp_count(P, 0, N).

pp_count(C, N0, N) :- number(C), !, C > 0, N is N0 + 1.
pp_count(poly(_, T), N0, N) :- pp_count_terms(T, N0, N).

pp_count_terms([], N, N).
pp_count_terms([term(_, C)|T], N0, N) :-
    pp_count(C, N0, N1),
    pp_count_terms(T, N1, N).

pp_between(L, H, L) :- L =< H.
pp_between(L, H, X) :- L < H, L1 is L + 1, pp_between(L1, H, X).
