% browse: pattern matching over a generated "database" of symbol lists.
%
% Measures: what the classic browse benchmark stresses, in a smaller
% program of our own: building a collection of data by a pseudo-random
% generator, then matching every entry against every pattern, where a
% pattern has literal atoms, '?' (any one element), '*' (any run of
% elements, backtracking over where it ends) and v(X) (an element that
% must equal every other v(X) of the same pattern: unification does it).
% One iteration builds 100 entries and matches them against 10 patterns,
% 10 times over.
% Verifies: of the 1000 (entry, pattern) pairs, exactly 232 match, and
% the sum of EntryIndex * PatternIndex over the matching pairs is 80452
% (both computed independently in Python, with the patterns as regular
% expressions: '*' as .*, '?' as ., v(X) as a backreference).

bench(N) :- \+ ( br_between(1, N, _), \+ br_iteration ).

br_iteration :-
    ( br_between(1, 9, _), br_run(_, _), fail ; true ),
    br_run(Count, Sum),
    Count =:= 232,
    Sum =:= 80452.

br_run(Count, Sum) :-
    br_entries(100, 1, Entries),
    findall(I * J, br_hit(Entries, I, J), Hits),
    br_count_sum(Hits, 0, Count, 0, Sum).

% Entry number I matches pattern number J.
% (\+ \+: one hit per pair however many ways it matches, and the
% pattern's variables stay unbound for the next entry.)
br_hit(Entries, I, J) :-
    br_nth(Entries, 1, I, Entry),
    br_pattern(J, P),
    \+ \+ br_match(P, Entry).

br_pattern(1, ['*', a, b, '*']).
br_pattern(2, [a, '*', a]).
br_pattern(3, ['*', b, '?', b, '*']).
br_pattern(4, ['?', '?', c, '*']).
br_pattern(5, ['*', e]).
br_pattern(6, ['*', a, '*', b, '*', c, '*']).
br_pattern(7, [d, '*', '?', e, '*']).
br_pattern(8, ['*', v(X), v(X), '*']).
br_pattern(9, [v(X), '*', v(X)]).
br_pattern(10, ['*', v(X), '?', v(X), '*', v(X), '*']).

br_match([], []).
br_match([P|Ps], Xs) :- br_match_element(P, Ps, Xs).

br_match_element('*', Ps, Xs) :- !, br_suffix(Xs, Rest), br_match(Ps, Rest).
br_match_element('?', Ps, [_|Xs]) :- !, br_match(Ps, Xs).
br_match_element(v(V), Ps, [X|Xs]) :- !, V = X, br_match(Ps, Xs).
br_match_element(A, Ps, [A|Xs]) :- br_match(Ps, Xs).

br_suffix(Xs, Xs).
br_suffix([_|Xs], Rest) :- br_suffix(Xs, Rest).

% K entries from seed S: each a list of 4 to 11 letters a..e.
br_entries(K, S0, Entries) :- br_entries_(K, S0, Entries).

br_entries_(0, _, []) :- !.
br_entries_(K, S0, [E|Es]) :-
    br_next(S0, S1),
    Len is 4 + S1 mod 8,
    br_letters(Len, S1, S2, E),
    K1 is K - 1,
    br_entries_(K1, S2, Es).

br_letters(0, S, S, []) :- !.
br_letters(L, S0, S, [X|Xs]) :-
    br_next(S0, S1),
    I is S1 mod 5,
    br_letter(I, X),
    L1 is L - 1,
    br_letters(L1, S1, S, Xs).

br_letter(0, a). br_letter(1, b). br_letter(2, c). br_letter(3, d). br_letter(4, e).

br_next(S0, S1) :- S1 is (S0 * 75 + 74) mod 65537.

br_nth([X|_], I, I, X).
br_nth([_|T], I0, I, X) :- I1 is I0 + 1, br_nth(T, I1, I, X).

br_count_sum([], C, C, S, S).
br_count_sum([I * J|Hs], C0, C, S0, S) :-
    C1 is C0 + 1, S1 is S0 + I * J,
    br_count_sum(Hs, C1, C, S1, S).

br_between(L, H, L) :- L =< H.
br_between(L, H, X) :- L < H, L1 is L + 1, br_between(L1, H, X).
