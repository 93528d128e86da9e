% queens_8: all solutions of the 8-queens problem.
%
% Measures: a backtracking search (select a row for the next column from
% the rows left, test it against the diagonals of the queens placed, undo
% on failure) collected with findall/3. One iteration finds all solutions
% 3 times.
% Verifies: there are 92 solutions (the known count for 8 queens), they are
% pairwise distinct, and the known solution 1,5,8,6,3,7,2,4 (a row per
% column) is among them.

bench(N) :- \+ ( qn_between(1, N, _), \+ qn_iteration ).

qn_iteration :-
    ( qn_between(1, 2, _), findall(Q, qn_queens(8, Q), _), fail ; true ),
    findall(Q, qn_queens(8, Q), Qs),
    qn_length(Qs, 0, 92),
    qn_distinct(Qs),
    qn_member([1, 5, 8, 6, 3, 7, 2, 4], Qs).

% Qs: the queens' rows, one per column (placed last column first).
qn_queens(N, Qs) :-
    qn_range(1, N, Rows),
    qn_place(Rows, [], Qs).

qn_place([], Qs, Qs).
qn_place(Rows, Placed, Qs) :-
    qn_select(Q, Rows, Rest),
    qn_safe(Placed, Q, 1),
    qn_place(Rest, [Q|Placed], Qs).

% Q attacks no queen of Placed along a diagonal (D columns away).
qn_safe([], _, _).
qn_safe([P|Ps], Q, D) :-
    Q =\= P + D,
    Q =\= P - D,
    D1 is D + 1,
    qn_safe(Ps, Q, D1).

qn_select(X, [X|T], T).
qn_select(X, [H|T], [H|R]) :- qn_select(X, T, R).

qn_range(I, N, []) :- I > N, !.
qn_range(I, N, [I|T]) :- I1 is I + 1, qn_range(I1, N, T).

qn_length([], N, N).
qn_length([_|T], N0, N) :- N1 is N0 + 1, qn_length(T, N1, N).

qn_member(X, [X|_]) :- !.
qn_member(X, [_|T]) :- qn_member(X, T).

qn_distinct([]).
qn_distinct([Q|Qs]) :- \+ qn_member(Q, Qs), qn_distinct(Qs).

qn_between(L, H, L) :- L =< H.
qn_between(L, H, X) :- L < H, L1 is L + 1, qn_between(L1, H, X).
