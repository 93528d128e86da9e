% nrev: naive reverse of a 30-element list.
%
% Measures: head unification and last-call recursion over lists (the
% classic "LIPS" benchmark: one nrev of 30 elements is 496 logical
% inferences). One iteration reverses the list 1000 times.
% Verifies: the last result must be the list 30, 29, ..., 1, checked
% element by element against a count-down, and must equal the result of
% an accumulator reverse (a different algorithm).

% Every iteration must verify. The loops are failure-driven: GNU Prolog
% reclaims its global stack only on backtracking.
bench(N) :- \+ ( nrev_between(1, N, _), \+ nrev_iteration ).

nrev_iteration :-
    nrev_range(1, 30, L),
    ( nrev_between(1, 999, _), nrev(L, _), fail ; true ),
    nrev(L, R),
    nrev_countdown(R, 30),
    nrev_acc_reverse(L, [], R2),
    R == R2.

nrev_between(L, H, L) :- L =< H.
nrev_between(L, H, X) :- L < H, L1 is L + 1, nrev_between(L1, H, X).

nrev([], []).
nrev([H|T], R) :-
    nrev(T, RT),
    nrev_app(RT, [H], R).

nrev_app([], L, L).
nrev_app([H|T], L, [H|R]) :-
    nrev_app(T, L, R).

nrev_range(I, N, []) :- I > N, !.
nrev_range(I, N, [I|T]) :-
    I1 is I + 1,
    nrev_range(I1, N, T).

% The list must be K, K-1, ..., 1.
nrev_countdown([], 0).
nrev_countdown([K|T], K) :-
    K1 is K - 1,
    nrev_countdown(T, K1).

nrev_acc_reverse([], Acc, Acc).
nrev_acc_reverse([H|T], Acc, R) :-
    nrev_acc_reverse(T, [H|Acc], R).
