% crypt: two cryptarithmetic puzzles solved by search, all solutions.
%
% Measures: generate-and-test with integer arithmetic and early pruning.
%   1. The classic "crypt" multiplication, in which every digit is known
%      only to be odd (o) or even (e):
%            o e e
%          x   e e
%          -------
%          e o e e
%        e o e
%        ---------
%        o o e e
%      (leading digits are not 0).
%   2. SEND + MORE = MONEY (distinct digits, S and M not 0), column by
%      column from the units with carries, so each column prunes.
% One iteration finds all solutions of both twice.
% Verifies: the only solution of 1 is 348 x 28 (partial products 2784 and
% 696, total 9744), and the only solution of 2 is 9567 + 1085 = 10652 (both
% uniquenesses checked by an independent brute force in Python).

bench(N) :- \+ ( cr_between(1, N, _), \+ cr_iteration ).

cr_iteration :-
    ( cr_between(1, 1, _), cr_all(_, _), fail ; true ),
    cr_all(Mul, Add),
    Mul == [348 * 28 = 9744],
    Add == [[9, 5, 6, 7, 1, 0, 8, 2]].

cr_all(Mul, Add) :-
    findall(A * B = C, cr_multiply(A, B, C), Mul),
    findall(L, cr_send_more(L), Add).

% --- 1. the odd/even multiplication

cr_multiply(A, B, Total) :-
    cr_odd(A1), A1 > 0, cr_even(A2), cr_even(A3),
    A is 100 * A1 + 10 * A2 + A3,
    cr_even(B1), B1 > 0, cr_even(B2),
    P1 is A * B2, cr_pattern(P1, [e, o, e, e]),
    P2 is A * B1, cr_pattern(P2, [e, o, e]),
    B is 10 * B1 + B2,
    Total is P1 + 10 * P2,
    cr_pattern(Total, [o, o, e, e]).

cr_odd(1). cr_odd(3). cr_odd(5). cr_odd(7). cr_odd(9).
cr_even(0). cr_even(2). cr_even(4). cr_even(6). cr_even(8).

% N has exactly as many digits as Pattern, each of the parity it says,
% the first not 0.
cr_pattern(N, Pattern) :-
    N > 0,
    cr_digits(N, [], Ds),
    cr_parities(Ds, Pattern).

cr_digits(0, Ds, Ds) :- !.
cr_digits(N, Acc, Ds) :-
    D is N mod 10, N1 is N // 10,
    cr_digits(N1, [D|Acc], Ds).

cr_parities([], []).
cr_parities([D|Ds], [P|Ps]) :-
    cr_parity(P, D),
    cr_parities(Ds, Ps).

cr_parity(o, D) :- D mod 2 =:= 1.
cr_parity(e, D) :- D mod 2 =:= 0.

% --- 2. SEND + MORE = MONEY

cr_send_more([S, E, N, D, M, O, R, Y]) :-
    Digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    cr_select(D, Digits, R1), cr_select(E, R1, R2),
    T1 is D + E, Y is T1 mod 10, C1 is T1 // 10,
    cr_select(Y, R2, R3),
    cr_select(N, R3, R4), cr_select(R, R4, R5),
    T2 is N + R + C1, E =:= T2 mod 10, C2 is T2 // 10,
    cr_select(O, R5, R6),
    T3 is E + O + C2, N =:= T3 mod 10, C3 is T3 // 10,
    cr_select(S, R6, R7), S > 0,
    cr_select(M, R7, _), M > 0,
    T4 is S + M + C3, O =:= T4 mod 10, M =:= T4 // 10.

cr_select(X, [X|T], T).
cr_select(X, [H|T], [H|R]) :- cr_select(X, T, R).

cr_between(L, H, L) :- L =< H.
cr_between(L, H, X) :- L < H, L1 is L + 1, cr_between(L1, H, X).
