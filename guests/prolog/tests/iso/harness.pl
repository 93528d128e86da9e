% The conformance programs' harness. A program states its cases as
% clauses of t/1; `run` prints each goal, then each of its solutions (the
% goal as it was solved), "false" when it has none, or the error it
% raised (only the formal part of error(Formal, Context): the context is
% implementation-defined). Variables print as A, B, ... (numbervars).
%
% The same harness and programs run in swipl, which is how their expected
% outputs were checked (see tests/test_prolog.py).

run :- forall(clause(t(G), true), run_one(G)).

run_one(G) :-
    show('', G),
    catch(( findall(G, G, Sols),
            ( Sols == [] -> write('    false'), nl ; forall(member(S, Sols), show('    ', S)) ) ),
          E,
          ( formal(E, F), show('    error ', F) )).

formal(E, F) :- nonvar(E), E = error(F, _), !.
formal(E, E).

show(Prefix, T) :-
    \+ \+ ( numbervars(T, 0, _), write(Prefix), writeq(T), nl ).

% run_all(Dir): every conformance program of Dir in turn (the guest's test
% suite, `sx prolog harness.pl -g "run_all('DIR')"`: the guest registry runs
% it under every tier and compares the output).
run_all(Dir) :-
    forall(member(Name, [control, database, solutions, arith, terms, atoms,
                         exceptions, lists, dcg]),
           ( atomic_list_concat([Dir, '/', Name, '.pl'], File),
             write('== '), write(Name), nl,
             consult(File),
             run )).
