% The library predicates written in Prolog: lists, apply, all-solutions
% (bagof/setof/aggregate_all), phrase/2,3. Loaded at start-up, compiled
% like a user's program (at each predicate's first call). A user's file
% that defines one of these predicates replaces it, as a library
% predicate is replaced in swipl.
%
% Helper predicates are named '$...' so that they cannot clash with a
% user's.

% ---- lists -----------------------------------------------------------------

append([], L, L).
append([H|T], L, [H|R]) :- append(T, L, R).

append([], []).
append([L|Ls], As) :- append(L, Ws, As), append(Ls, Ws).

% member/2 walks the list one step behind, so that the first argument of
% '$member' (the tail) tells by indexing when the last element is reached:
% no choicepoint is left after it, as in swipl.
member(X, [H|T]) :- '$member'(T, X, H).
'$member'(_, X, X).
'$member'([H|T], X, _) :- '$member'(T, X, H).

memberchk(X, L) :- member(X, L), !.

length(List, N) :- var(N), !, '$length_count'(List, 0, N).
length(List, N) :- integer(N), !,
    (   N >= 0
    ->  '$length_make'(List, N)
    ;   throw(error(domain_error(not_less_than_zero, N), length/2))
    ).
length(_, N) :- throw(error(type_error(integer, N), length/2)).

'$length_count'(L, N0, N) :- var(L), !, '$length_gen'(L, N0, N).
'$length_count'([], N0, N) :- !, N = N0.
'$length_count'([_|T], N0, N) :- !, N1 is N0+1, '$length_count'(T, N1, N).
'$length_count'(L, _, _) :- throw(error(type_error(list, L), length/2)).

'$length_gen'([], N, N).
'$length_gen'([_|T], N0, N) :- N1 is N0+1, '$length_gen'(T, N1, N).

'$length_make'(L, 0) :- !, L = [].
'$length_make'([_|T], N) :- N1 is N-1, '$length_make'(T, N1).

reverse(L, R) :- '$reverse'(L, [], R).
'$reverse'([], A, A).
'$reverse'([H|T], A, R) :- '$reverse'(T, [H|A], R).

nth0(I, L, E) :- integer(I), !, I >= 0, '$nth'(I, L, E).
nth0(I, L, E) :- var(I), !, '$nth_gen'(L, E, 0, I).
nth0(I, _, _) :- throw(error(type_error(integer, I), nth0/3)).

nth1(I, L, E) :- integer(I), !, I >= 1, I0 is I-1, '$nth'(I0, L, E).
nth1(I, L, E) :- var(I), !, '$nth_gen'(L, E, 1, I).
nth1(I, _, _) :- throw(error(type_error(integer, I), nth1/3)).

'$nth'(0, [E|_], E) :- !.
'$nth'(I, [_|T], E) :- I1 is I-1, '$nth'(I1, T, E).

'$nth_gen'([E|_], E, B, B).
'$nth_gen'([_|T], E, B0, B) :- B1 is B0+1, '$nth_gen'(T, E, B1, B).

last([X|Xs], Last) :- '$last'(Xs, X, Last).
'$last'([], Last, Last).
'$last'([X|Xs], _, Last) :- '$last'(Xs, X, Last).

sum_list(Xs, Sum) :- '$sum_list'(Xs, 0, Sum).
'$sum_list'([], Sum, Sum).
'$sum_list'([X|Xs], Sum0, Sum) :- Sum1 is Sum0+X, '$sum_list'(Xs, Sum1, Sum).
sumlist(Xs, Sum) :- sum_list(Xs, Sum).

max_list([X|Xs], Max) :- '$max_list'(Xs, X, Max).
'$max_list'([], Max, Max).
'$max_list'([X|Xs], Max0, Max) :- Max1 is max(Max0, X), '$max_list'(Xs, Max1, Max).

min_list([X|Xs], Min) :- '$min_list'(Xs, X, Min).
'$min_list'([], Min, Min).
'$min_list'([X|Xs], Min0, Min) :- Min1 is min(Min0, X), '$min_list'(Xs, Min1, Min).

max_member(Max, [X|Xs]) :- '$max_member'(Xs, X, Max).
'$max_member'([], Max, Max).
'$max_member'([X|Xs], Max0, Max) :-
    ( X @> Max0 -> '$max_member'(Xs, X, Max) ; '$max_member'(Xs, Max0, Max) ).

min_member(Min, [X|Xs]) :- '$min_member'(Xs, X, Min).
'$min_member'([], Min, Min).
'$min_member'([X|Xs], Min0, Min) :-
    ( X @< Min0 -> '$min_member'(Xs, X, Min) ; '$min_member'(Xs, Min0, Min) ).

numlist(L, H, R) :- L =< H, '$numlist'(L, H, R).
'$numlist'(H, H, R) :- !, R = [H].
'$numlist'(L, H, [L|T]) :- L1 is L+1, '$numlist'(L1, H, T).

select(X, [X|T], T).
select(X, [H|T], [H|R]) :- select(X, T, R).

selectchk(X, L, R) :- select(X, L, R), !.

select(X, Xs, Y, Ys) :- '$select4'(Xs, X, Y, Ys).
'$select4'([X|T], X, Y, [Y|T]).
'$select4'([H|T], X, Y, [H|T2]) :- '$select4'(T, X, Y, T2).

exclude(_, [], []).
exclude(P, [X|Xs], R) :- ( call(P, X) -> R = R1 ; R = [X|R1] ), exclude(P, Xs, R1).

include(_, [], []).
include(P, [X|Xs], R) :- ( call(P, X) -> R = [X|R1] ; R = R1 ), include(P, Xs, R1).

partition(_, [], [], []).
partition(P, [X|Xs], I, E) :-
    (   call(P, X) -> I = [X|I1], E = E1 ; I = I1, E = [X|E1] ),
    partition(P, Xs, I1, E1).

subtract([], _, []).
subtract([H|T], L, R) :- ( memberchk(H, L) -> R = R1 ; R = [H|R1] ), subtract(T, L, R1).

intersection([], _, []).
intersection([H|T], L, R) :- ( memberchk(H, L) -> R = [H|R1] ; R = R1 ), intersection(T, L, R1).

union([], L, L).
union([H|T], L, R) :- ( memberchk(H, L) -> R = R1 ; R = [H|R1] ), union(T, L, R1).

delete([], _, []).
delete([H|T], X, R) :- ( H \= X -> R = [H|R1] ; R = R1 ), delete(T, X, R1).

permutation([], []).
permutation(L, [H|T]) :- select(H, L, R), permutation(R, T).

list_to_set(L, S) :- '$list_to_set'(L, [], S).
'$list_to_set'([], _, []).
'$list_to_set'([H|T], Seen, R) :-
    (   '$memberchk_eq'(H, Seen) -> R = R1 ; R = [H|R1] ),
    '$list_to_set'(T, [H|Seen], R1).
'$memberchk_eq'(X, [Y|Ys]) :- ( X == Y -> true ; '$memberchk_eq'(X, Ys) ).

flatten(List, Flat) :- '$flatten'(List, [], Flat0), !, Flat = Flat0.
'$flatten'(V, T, [V|T]) :- var(V), !.
'$flatten'([], T, T) :- !.
'$flatten'([H|Rest], T, F) :- !, '$flatten'(H, F1, F), '$flatten'(Rest, T, F1).
'$flatten'(A, T, [A|T]).

pairs_keys_values([], [], []).
pairs_keys_values([K-V|T], [K|Ks], [V|Vs]) :- pairs_keys_values(T, Ks, Vs).
pairs_keys([], []).
pairs_keys([K-_|T], [K|Ks]) :- pairs_keys(T, Ks).
pairs_values([], []).
pairs_values([_-V|T], [V|Vs]) :- pairs_values(T, Vs).

% predsort(P, List, Sorted): merge sort by call(P, Order, A, B); an
% element the order says = to one kept is dropped.
predsort(P, L, Sorted) :-
    length(L, N),
    (   N < 2
    ->  Sorted = L
    ;   '$predsort'(P, N, L, _, Sorted)
    ).
'$predsort'(P, 2, [X1,X2|L], L, R) :- !,
    call(P, Delta, X1, X2),
    '$sort2'(Delta, X1, X2, R).
'$predsort'(_, 1, [X|L], L, [X]) :- !.
'$predsort'(_, 0, L, L, []) :- !.
'$predsort'(P, N, L1, L3, R) :-
    N1 is N // 2, plus(N1, N2, N),
    '$predsort'(P, N1, L1, L2, R1),
    '$predsort'(P, N2, L2, L3, R2),
    '$predmerge'(P, R1, R2, R).
'$sort2'(<, X1, X2, [X1,X2]).
'$sort2'(=, X1, _,  [X1]).
'$sort2'(>, X1, X2, [X2,X1]).
'$predmerge'(_, [], R, R) :- !.
'$predmerge'(_, R, [], R) :- !.
'$predmerge'(P, [H1|T1], [H2|T2], Result) :-
    call(P, Delta, H1, H2), !,
    '$predmerge_'(Delta, P, H1, H2, T1, T2, Result).
'$predmerge_'(<, P, H1, H2, T1, T2, [H1|R]) :- '$predmerge'(P, T1, [H2|T2], R).
'$predmerge_'(=, P, H1, _, T1, T2, [H1|R])  :- '$predmerge'(P, T1, T2, R).
'$predmerge_'(>, P, H1, H2, T1, T2, [H2|R]) :- '$predmerge'(P, [H1|T1], T2, R).

% ---- apply ------------------------------------------------------------------

maplist(_, []).
maplist(G, [X|Xs]) :- call(G, X), maplist(G, Xs).
maplist(_, [], []).
maplist(G, [X|Xs], [Y|Ys]) :- call(G, X, Y), maplist(G, Xs, Ys).
maplist(_, [], [], []).
maplist(G, [X|Xs], [Y|Ys], [Z|Zs]) :- call(G, X, Y, Z), maplist(G, Xs, Ys, Zs).
maplist(_, [], [], [], []).
maplist(G, [X|Xs], [Y|Ys], [Z|Zs], [W|Ws]) :- call(G, X, Y, Z, W), maplist(G, Xs, Ys, Zs, Ws).

foldl(G, L, A0, A) :- '$foldl'(L, G, A0, A).
'$foldl'([], _, A, A).
'$foldl'([X|Xs], G, A0, A) :- call(G, X, A0, A1), '$foldl'(Xs, G, A1, A).
foldl(G, L1, L2, A0, A) :- '$foldl'(L1, L2, G, A0, A).
'$foldl'([], [], _, A, A).
'$foldl'([X|Xs], [Y|Ys], G, A0, A) :- call(G, X, Y, A0, A1), '$foldl'(Xs, Ys, G, A1, A).
foldl(G, L1, L2, L3, A0, A) :- '$foldl'(L1, L2, L3, G, A0, A).
'$foldl'([], [], [], _, A, A).
'$foldl'([X|Xs], [Y|Ys], [Z|Zs], G, A0, A) :-
    call(G, X, Y, Z, A0, A1), '$foldl'(Xs, Ys, Zs, G, A1, A).

% ---- all solutions ------------------------------------------------------------

% bagof/3: the goal's free variables (those neither in the template nor
% bound by ^) make the witness; the solutions are grouped by the witness's
% value, in the standard order of the witnesses, one group per answer.
bagof(T, G, L) :-
    '$bagof_split'(T, G, W, G1),
    (   W == []
    ->  findall(T, G1, L), L \== []
    ;   findall(W-T, G1, Pairs), Pairs \== [],
        keysort(Pairs, Sorted),
        '$bagof_groups'(Sorted, Groups),
        member(W-L, Groups)
    ).

'$bagof_groups'([], []).
'$bagof_groups'([W-T|Rest], [W-[T|Ts]|Groups]) :-
    '$bagof_same'(Rest, W, Ts, Others),
    '$bagof_groups'(Others, Groups).

'$bagof_same'([], _, [], []).
'$bagof_same'([W1-T|Rest], W, Ts, Others) :-
    (   W1 =@= W
    ->  W1 = W, Ts = [T|Ts1], Others = Others1
    ;   Ts = Ts1, Others = [W1-T|Others1]
    ),
    '$bagof_same'(Rest, W, Ts1, Others1).

setof(T, G, S) :- bagof(T, G, L), sort(L, S).

_ ^ G :- call(G).

aggregate_all(count, G, C) :- !, findall(x, G, L), length(L, C).
aggregate_all(count(T), G, C) :- !, findall(T, G, L), length(L, C).
aggregate_all(sum(E), G, S) :- !, findall(E, G, L), '$sum_values'(L, 0, S).
aggregate_all(max(E), G, M) :- !, findall(E, G, L), L = [H|T], '$max_values'(T, H, M).
aggregate_all(min(E), G, M) :- !, findall(E, G, L), L = [H|T], '$min_values'(T, H, M).
aggregate_all(max(E, W), G, max(M, MW)) :- !,
    findall(E-W, G, L), L = [H|T], '$max_pair'(T, H, M-MW).
aggregate_all(min(E, W), G, min(M, MW)) :- !,
    findall(E-W, G, L), L = [H|T], '$min_pair'(T, H, M-MW).
aggregate_all(bag(E), G, L) :- !, findall(E, G, L).
aggregate_all(set(E), G, S) :- !, findall(E, G, L), sort(L, S).
aggregate_all(Spec, _, _) :- throw(error(domain_error(aggregate_spec, Spec), aggregate_all/3)).

'$sum_values'([], S, S).
'$sum_values'([X|Xs], S0, S) :- S1 is S0+X, '$sum_values'(Xs, S1, S).
'$max_values'([], M, M).
'$max_values'([X|Xs], M0, M) :- M1 is max(M0, X), '$max_values'(Xs, M1, M).
'$min_values'([], M, M).
'$min_values'([X|Xs], M0, M) :- M1 is min(M0, X), '$min_values'(Xs, M1, M).
'$max_pair'([], P, P).
'$max_pair'([E-W|T], E0-W0, P) :-
    ( E > E0 -> '$max_pair'(T, E-W, P) ; '$max_pair'(T, E0-W0, P) ).
'$min_pair'([], P, P).
'$min_pair'([E-W|T], E0-W0, P) :-
    ( E < E0 -> '$min_pair'(T, E-W, P) ; '$min_pair'(T, E0-W0, P) ).

% ---- grammar rules and odds and ends ------------------------------------------------

phrase(G, L) :- phrase(G, L, []).
phrase(G, L, R) :-
    (   var(G) -> throw(error(instantiation_error, phrase/3)) ; true ),
    '$must_be_list_or_partial'(L, phrase/3),
    '$must_be_list_or_partial'(R, phrase/3),
    '$dcg_body'(G, S0, S, Goal), S0 = L, S = R, call(Goal).

'$must_be_list_or_partial'(L, Where) :-
    '$skip_list'(L, Tail),
    (   ( var(Tail) ; Tail == [] ) -> true
    ;   throw(error(type_error(list, L), Where))
    ).
'$skip_list'(L, T) :- ( nonvar(L), L = [_|R] -> '$skip_list'(R, T) ; T = L ).

writeln(X) :- write(X), nl.
writeln(S, X) :- write(S, X), nl(S).
