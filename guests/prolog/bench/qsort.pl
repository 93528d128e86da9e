% qsort: quicksort of a 50-element list of integers.
%
% Measures: the partition-and-append shape of list processing, with
% arithmetic comparisons deciding every step and a difference list
% instead of append. One iteration sorts the list 500 times.
% Verifies: the sorted list equals what an insertion sort (a different
% algorithm) makes of the same input, has 50 elements, starts with the
% smallest and ends with the largest input element (496 and 9992 for the
% input the generator below makes, computed independently in Python).

bench(N) :- \+ ( qs_between(1, N, _), \+ qs_iteration ).

qs_iteration :-
    qs_input(50, L),
    ( qs_between(1, 499, _), qs_sort(L, _), fail ; true ),
    qs_sort(L, S),
    qs_insertion_sort(L, [], S2),
    S == S2,
    qs_length(S, 0, 50),
    S = [496|_],
    qs_last(S, 9992).

% Quicksort into a difference list: qs_sort(L, S) sorts L into S.
qs_sort(L, S) :- qs_dl(L, S, []).

qs_dl([], S, S).
qs_dl([P|Xs], S, S0) :-
    qs_partition(Xs, P, Small, Large),
    qs_dl(Small, S, [P|S1]),
    qs_dl(Large, S1, S0).

qs_partition([], _, [], []).
qs_partition([X|Xs], P, [X|Small], Large) :-
    X =< P, !,
    qs_partition(Xs, P, Small, Large).
qs_partition([X|Xs], P, Small, [X|Large]) :-
    qs_partition(Xs, P, Small, Large).

% The input: N pseudo-random integers in 0..9999 from a linear
% congruential generator (so the list is fixed without being written out).
qs_input(N, L) :- qs_lcg(N, 12345, L).

qs_lcg(0, _, []) :- !.
qs_lcg(N, Seed, [X|T]) :-
    Seed1 is (Seed * 1103515245 + 12345) mod 2147483648,
    X is (Seed1 // 65536) mod 10000,
    N1 is N - 1,
    qs_lcg(N1, Seed1, T).

qs_insertion_sort([], S, S).
qs_insertion_sort([X|Xs], Acc, S) :-
    qs_insert(Acc, X, Acc1),
    qs_insertion_sort(Xs, Acc1, S).

qs_insert([], X, [X]).
qs_insert([Y|Ys], X, [X, Y|Ys]) :- X =< Y, !.
qs_insert([Y|Ys], X, [Y|Zs]) :- qs_insert(Ys, X, Zs).

qs_length([], N, N).
qs_length([_|T], N0, N) :- N1 is N0 + 1, qs_length(T, N1, N).

qs_last([X], X) :- !.
qs_last([_|T], X) :- qs_last(T, X).

qs_between(L, H, L) :- L =< H.
qs_between(L, H, X) :- L < H, L1 is L + 1, qs_between(L1, H, X).
