% query: a small database query, pairs of regions of similar density.
%
% Measures: a join of a 30-row fact table with itself (900 pairs) by
% backtracking, with integer arithmetic on every pair: find the regions
% A and B where A's population density exceeds B's by less than 5%.
% One iteration runs the query 30 times.
% Verifies: the answers, in the order found, are exactly the 5 pairs
% below, which an independent Python evaluation of the same query over
% the same table found. The table is made up (population in thousands,
% area in square kilometres), not real data.

bench(N) :- \+ ( qy_between(1, N, _), \+ qy_iteration ).

qy_iteration :-
    ( qy_between(1, 29, _), findall(A-B, qy_similar(A, B), _), fail ; true ),
    findall(A-B, qy_similar(A, B), Pairs),
    Pairs == [heath-dune, quartz-garnet, slate-lumen, umber-alder, alder-rowan].

qy_similar(A, B) :-
    qy_density(A, DA),
    qy_density(B, DB),
    DA > DB,
    20 * DA < 21 * DB.

% People per square kilometre, rounded down.
qy_density(R, D) :-
    qy_region(R, Pop, Area),
    D is Pop * 1000 // Area.

qy_region(amber, 42645, 159176).
qy_region(basalt, 51950, 51631).
qy_region(cedar, 9694, 562913).
qy_region(delta, 12537, 384452).
qy_region(ember, 76587, 61816).
qy_region(fjord, 66710, 226127).
qy_region(garnet, 5114, 91122).
qy_region(heath, 57038, 439485).
qy_region(iris, 9356, 253353).
qy_region(jasper, 12089, 578814).
qy_region(kestrel, 55842, 62981).
qy_region(lumen, 74315, 130815).
qy_region(moss, 29460, 65867).
qy_region(nettle, 75842, 416949).
qy_region(onyx, 6699, 232821).
qy_region(pine, 6305, 584705).
qy_region(quartz, 17655, 304677).
qy_region(rowan, 55137, 152262).
qy_region(slate, 71068, 124514).
qy_region(thistle, 75030, 324466).
qy_region(umber, 73634, 190505).
qy_region(vale, 13707, 599951).
qy_region(willow, 83943, 197997).
qy_region(xenon, 49010, 103163).
qy_region(yarrow, 71993, 66839).
qy_region(zephyr, 74172, 63496).
qy_region(alder, 81334, 216963).
qy_region(birch, 65266, 558549).
qy_region(coral, 56245, 330407).
qy_region(dune, 61227, 476198).

qy_between(L, H, L) :- L =< H.
qy_between(L, H, X) :- L < H, L1 is L + 1, qy_between(L1, H, X).
