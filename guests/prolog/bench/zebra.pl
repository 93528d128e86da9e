% zebra: the five houses puzzle ("who owns the zebra?").
%
% Measures: unification-driven search over a list of partially
% instantiated structures (member and adjacency constraints with deep
% backtracking), all solutions. One iteration solves the puzzle 5 times.
% Verifies: the puzzle has exactly one solution, in which the Japanese owns
% the zebra and the Norwegian drinks water (the puzzle's known answer),
% and the whole street is the known one (checked house by house).
%
% A house is h(Colour, Nationality, Pet, Drink, Cigarettes); the street is
% the list of the five houses, left to right.

bench(N) :- \+ ( zb_between(1, N, _), \+ zb_iteration ).

zb_iteration :-
    ( zb_between(1, 4, _), findall(S, zb_street(S), _), fail ; true ),
    findall(S, zb_street(S), [Street]),
    zb_member(h(_, ZebraOwner, zebra, _, _), Street), ZebraOwner == japanese,
    zb_member(h(_, WaterDrinker, _, water, _), Street), WaterDrinker == norwegian,
    Street == [h(yellow, norwegian, fox, water, kools),
               h(blue, ukrainian, horse, tea, chesterfield),
               h(red, english, snails, milk, old_gold),
               h(ivory, spanish, dog, orange_juice, lucky_strike),
               h(green, japanese, zebra, coffee, parliament)].

zb_street(S) :-
    S = [h(_, norwegian, _, _, _), _, h(_, _, _, milk, _), _, _],
    zb_member(h(red, english, _, _, _), S),
    zb_member(h(_, spanish, dog, _, _), S),
    zb_member(h(green, _, _, coffee, _), S),
    zb_member(h(_, ukrainian, _, tea, _), S),
    zb_right_of(h(green, _, _, _, _), h(ivory, _, _, _, _), S),
    zb_member(h(_, _, snails, _, old_gold), S),
    zb_member(h(yellow, _, _, _, kools), S),
    zb_next_to(h(_, _, _, _, chesterfield), h(_, _, fox, _, _), S),
    zb_next_to(h(_, _, _, _, kools), h(_, _, horse, _, _), S),
    zb_member(h(_, _, _, orange_juice, lucky_strike), S),
    zb_member(h(_, japanese, _, _, parliament), S),
    zb_next_to(h(_, norwegian, _, _, _), h(blue, _, _, _, _), S),
    zb_member(h(_, _, zebra, _, _), S),
    zb_member(h(_, _, _, water, _), S).

% A is immediately right of B.
zb_right_of(A, B, [B, A|_]).
zb_right_of(A, B, [_|T]) :- zb_right_of(A, B, T).

zb_next_to(A, B, S) :- zb_right_of(A, B, S).
zb_next_to(A, B, S) :- zb_right_of(B, A, S).

zb_member(X, [X|_]).
zb_member(X, [_|T]) :- zb_member(X, T).

zb_between(L, H, L) :- L =< H.
zb_between(L, H, X) :- L < H, L1 is L + 1, zb_between(L1, H, X).
