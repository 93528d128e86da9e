% tak: the Takeuchi function, tak(18, 12, 6).
%
% Measures: deep non-tail recursion with integer arithmetic and
% comparison (63,609 calls of tak/4 per iteration), no data structures.
% Verifies: tak(18, 12, 6) = 7 (the classic benchmark's known answer) and
% tak(6, 4, 2) = 3 (both also computed by a direct Python transcription of
% the function's definition).

bench(N) :- \+ ( tak_between(1, N, _), \+ tak_iteration ).

tak_iteration :-
    tak(18, 12, 6, A),
    A =:= 7,
    tak(6, 4, 2, B),
    B =:= 3.

tak(X, Y, Z, A) :-
    X =< Y, !,
    Z = A.
tak(X, Y, Z, A) :-
    X1 is X - 1,
    Y1 is Y - 1,
    Z1 is Z - 1,
    tak(X1, Y, Z, A1),
    tak(Y1, Z, X, A2),
    tak(Z1, X, Y, A3),
    tak(A1, A2, A3, A).

tak_between(L, H, L) :- L =< H.
tak_between(L, H, X) :- L < H, L1 is L + 1, tak_between(L1, H, X).
