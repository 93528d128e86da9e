% ISO 8.6-8.7 and 9: is/2, the comparisons, and the evaluable functors with
% their errors (the evaluation itself is tested case by case in
% ../arith.sx; these are the builtins as a program calls them, compiled).
% Differences from swipl's output: cot/1 is evaluable (swipl 9.0.4 lacks
% it); floats are written 1.0e308 (swipl: 1.0e+308).
:- style_check(-singleton).
t(X is 1 + 2 * 3).
t(X is 7 // 2).
t(X is -7 // 2).
t(X is 7 mod -2).
t(X is -7 rem 2).
t(X is 7 / 2).
t(X is 8 / 2).
t(X is 2 ** 10).
t(X is 2 ^ 100).
t(X is 2.0 ** 3).
t(X is max(3, 4.0)).
t(X is min(3, 3.0)).
t(X is abs(-5) + sign(-3)).
t(X is sqrt(16)).
t(X is truncate(3.7) + round(2.5) + ceiling(2.1) + floor(-2.1)).
t(X is 5 /\ 3 \/ 8 xor 1).
t(X is \ 5).
t(X is 1 << 70 >> 68).
t(X is gcd(12, 18)).
t(X is pi).
t(X is cot(1.0) - 1 / tan(1.0)).
t(X is 10 ** 20 * 10 ** 20).
t(X is "a" + 0).
t(X is 1 / 0).
t(X is 1.0 / 0).
t(X is 1 // 0).
t(X is log(0)).
t(X is sqrt(-1)).
t(X is foo + 1).
t(X is Y + 1).
t(X is 1 mod 2.0).
t(X is 1.0e308 * 10).
t(1 =:= 1.0).
t(1 < 2).
t(2 =< 1).
t(1.0 =\= 1).
t(3 >= 3).
t(a < 1).
t(succ(X, 4)).
t(succ(3, X)).
t(succ(X, 0)).
t(plus(1, X, 5)).
t(count(100000, 0, N)).
t(fact(25, F)).
t((X = 3, Y is X * X)).
t((X is 2 + 3, X == 5)).
t((Y = 4, 5 is Y + 1)).
t((Y = 4, 6 is Y + 1)).

count(0, N, N) :- !.
count(K, N0, N) :- K1 is K - 1, N1 is N0 + 1, count(K1, N1, N).
fact(0, 1) :- !.
fact(N, F) :- N1 is N - 1, fact(N1, F1), F is N * F1.
