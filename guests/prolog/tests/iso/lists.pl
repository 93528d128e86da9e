% The list library (lib.pl, as swipl's library(lists) and library(apply)):
% append, member, memberchk, length, nth0, nth1, reverse, last, msort,
% sum_list, max_list, numlist, exclude, include, partition, maplist/2..5,
% foldl/4..6, select, subtract, permutation, between/3, succ/2, plus/3.
:- style_check(-singleton).
t(append(X, Y, [1, 2])).
t(append([[a], [b, c], []], L)).
t(member(X, [a, b, c])).
t(memberchk(b, [a, b, c, b])).
t(nth0(1, [a, b, c], X)).
t(nth1(I, [a, b, c], c)).
t(reverse([1, 2, 3], R)).
t(last([1, 2, 3], X)).
t(sum_list([1, 2.5, 3], S)).
t(max_list([1, 7, 3], M)).
t(min_list([4, 2, 8], M)).
t(numlist(1, 5, L)).
t(numlist(5, 1, L)).
t(exclude([X]>>(X > 2), [1, 2, 3, 4], L)).
t(include([X]>>(0 is X mod 2), [1, 2, 3, 4], L)).
t(partition([X]>>(X < 3), [1, 2, 3, 4], I, E)).
t(maplist([X, Y]>>(Y is X * 2), [1, 2, 3], L)).
t(maplist([X, Y, Z]>>(Z is X + Y), [1, 2], [10, 20], L)).
t(foldl([X, A0, A]>>(A is A0 + X), [1, 2, 3], 0, S)).
t(foldl([X, Y, A0, A]>>(A is A0 + X * Y), [1, 2], [3, 4], 0, S)).
t(select(b, [a, b, c], L)).
t(selectchk(X, [a, b], L)).
t(subtract([1, 2, 3, 4], [2, 4], L)).
t(permutation([1, 2, 3], P)).
t(between(1, 3, X)).
t(between(1, inf, 3)).
t((length(L, 2), maplist(=(z), L))).
t((length(L, N), N >= 2, !)).
t(list_to_set([a, b, a, c, b], S)).
t(delete([a, b, a, c], a, L)).
t(flatten([1, [2, [3, 4]], [], 5], L)).
t(exclude([X]>>memberchk(X, [a]), [a, b, a], L)).
t(pairs_keys_values(P, [a, b], [1, 2])).
t(max_member(M, [3, 1, 4])).
t(sumlist([1, 2], S)).
