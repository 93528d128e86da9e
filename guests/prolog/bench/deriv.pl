% deriv: symbolic differentiation of four expressions in x.
%
% Measures: clause indexing on the principal functor of the first argument
% and building new terms (the derivatives are left unsimplified, as in the
% classic benchmark). One iteration differentiates the four expressions
% 2000 times.
% Verifies: numerically, not symbolically. Each derivative is evaluated at
% x = 1.5 and compared with a central finite difference of the expression
% itself, (f(x+h) - f(x-h)) / 2h with h = 1e-4, to a relative 1e-6: a
% wrong rule (a dropped term, a sign) is far off that.

bench(N) :- \+ ( dv_between(1, N, _), \+ dv_iteration ).

dv_iteration :-
    ( dv_between(1, 1999, _), dv_all(_), fail ; true ),
    dv_all(Ds),
    dv_check(Ds).

% Expression-derivative pairs, one per expression.
dv_all([E1-D1, E2-D2, E3-D3, E4-D4]) :-
    dv_expr(ops8, E1), dv_d(E1, x, D1),
    dv_expr(divide10, E2), dv_d(E2, x, D2),
    dv_expr(log10, E3), dv_d(E3, x, D3),
    dv_expr(times10, E4), dv_d(E4, x, D4).

% The four expressions (names after the classic's four parts).
dv_expr(ops8, (x + 1) * ((x ^ 2 + 2) * (x ^ 3 + 3))).
dv_expr(divide10, x / x / x / x / x / x / x / x / x / x).
dv_expr(log10, log(exp(log(exp(log(exp(log(exp(log(exp(x))))))))))).
dv_expr(times10, x * x * x * x * x * x * x * x * x * x).

% dv_d(Expr, X, Derivative)
dv_d(U + V, X, DU + DV) :- !, dv_d(U, X, DU), dv_d(V, X, DV).
dv_d(U - V, X, DU - DV) :- !, dv_d(U, X, DU), dv_d(V, X, DV).
dv_d(U * V, X, DU * V + U * DV) :- !, dv_d(U, X, DU), dv_d(V, X, DV).
dv_d(U / V, X, (DU * V - U * DV) / (V ^ 2)) :- !, dv_d(U, X, DU), dv_d(V, X, DV).
dv_d(U ^ N, X, DU * N * U ^ N1) :- !, integer(N), N1 is N - 1, dv_d(U, X, DU).
dv_d(- U, X, - DU) :- !, dv_d(U, X, DU).
dv_d(exp(U), X, exp(U) * DU) :- !, dv_d(U, X, DU).
dv_d(log(U), X, DU / U) :- !, dv_d(U, X, DU).
dv_d(X, X, 1) :- !.
dv_d(C, _, 0) :- number(C).

% The value of an expression at x = X (^ only with an integer exponent,
% by repeated multiplication, so no dialect difference in ^ or ** matters).
dv_eval(x, X, X) :- !.
dv_eval(C, _, V) :- number(C), !, V is float(C).
dv_eval(A + B, X, V) :- dv_eval(A, X, VA), dv_eval(B, X, VB), V is VA + VB.
dv_eval(A - B, X, V) :- dv_eval(A, X, VA), dv_eval(B, X, VB), V is VA - VB.
dv_eval(A * B, X, V) :- dv_eval(A, X, VA), dv_eval(B, X, VB), V is VA * VB.
dv_eval(A / B, X, V) :- dv_eval(A, X, VA), dv_eval(B, X, VB), V is VA / VB.
dv_eval(A ^ N, X, V) :- dv_eval(A, X, VA), dv_power(VA, N, V).
dv_eval(- A, X, V) :- dv_eval(A, X, VA), V is - VA.
dv_eval(exp(A), X, V) :- dv_eval(A, X, VA), V is exp(VA).
dv_eval(log(A), X, V) :- dv_eval(A, X, VA), V is log(VA).

dv_power(_, 0, 1.0) :- !.
dv_power(B, N, V) :- N1 is N - 1, dv_power(B, N1, V1), V is V1 * B.

dv_check([]).
dv_check([E-D|Ps]) :-
    X = 1.5, H = 0.0001,
    dv_eval(D, X, Exact),
    Xp is X + H, Xm is X - H,
    dv_eval(E, Xp, Fp), dv_eval(E, Xm, Fm),
    Approx is (Fp - Fm) / (2 * H),
    abs(Exact - Approx) =< 1.0e-6 * max(1.0, abs(Exact)),
    dv_check(Ps).

dv_between(L, H, L) :- L =< H.
dv_between(L, H, X) :- L < H, L1 is L + 1, dv_between(L1, H, X).
