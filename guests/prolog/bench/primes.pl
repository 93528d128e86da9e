% primes: the sieve of Eratosthenes on a list, the primes up to 10000.
%
% Measures: list filtering with integer arithmetic (mod) and building
% fresh lists: each prime up to 100 strikes its multiples from the list
% of remaining candidates. One iteration sieves once.
% Verifies: there are 1229 primes below 10000 (pi(10^4), a known value),
% the largest is 9973, and their sum is 5736396 (computed independently
% in Python); and a sample of the result is checked by trial division.

bench(N) :- \+ ( pr_between(1, N, _), \+ pr_iteration ).

pr_iteration :-
    pr_primes(10000, Ps),
    pr_count_sum(Ps, 0, 1229, 0, 5736396),
    pr_last(Ps, 9973),
    Ps = [2, 3, 5, 7, 11, 13|_],
    pr_all_prime(Ps, 20).

pr_primes(Max, Ps) :-
    pr_range(2, Max, Candidates),
    pr_sieve(Candidates, Max, Ps).

% Once P * P > Max every candidate left is prime.
pr_sieve([], _, []).
pr_sieve([P|Xs], Max, [P|Xs]) :- P * P > Max, !.
pr_sieve([P|Xs], Max, [P|Ps]) :-
    pr_strike(Xs, P, Ys),
    pr_sieve(Ys, Max, Ps).

pr_strike([], _, []).
pr_strike([X|Xs], P, Ys) :-
    X mod P =:= 0, !,
    pr_strike(Xs, P, Ys).
pr_strike([X|Xs], P, [X|Ys]) :-
    pr_strike(Xs, P, Ys).

pr_range(I, N, []) :- I > N, !.
pr_range(I, N, [I|T]) :- I1 is I + 1, pr_range(I1, N, T).

pr_count_sum([], C, C, S, S).
pr_count_sum([P|Ps], C0, C, S0, S) :-
    C1 is C0 + 1, S1 is S0 + P,
    pr_count_sum(Ps, C1, C, S1, S).

pr_last([X], X) :- !.
pr_last([_|T], X) :- pr_last(T, X).

% Every K-th element of the list is prime by trial division.
pr_all_prime([], _).
pr_all_prime([P|Ps], K) :-
    pr_trial(P, 2),
    pr_drop(K, [P|Ps], Rest),
    pr_all_prime(Rest, K).

pr_trial(P, D) :- D * D > P, !.
pr_trial(P, D) :- P mod D =\= 0, D1 is D + 1, pr_trial(P, D1).

pr_drop(0, L, L) :- !.
pr_drop(_, [], []) :- !.
pr_drop(K, [_|T], R) :- K1 is K - 1, pr_drop(K1, T, R).

pr_between(L, H, L) :- L =< H.
pr_between(L, H, X) :- L < H, L1 is L + 1, pr_between(L1, H, X).
