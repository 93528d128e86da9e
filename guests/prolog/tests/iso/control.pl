% ISO 7.8 control constructs: true, fail, call/N, !, (,)/2, (;)/2, (->)/2,
% Differences from swipl's output: error contexts (SWI's context(system:F/A, _);
% ours is implementation-defined too: F/A for unknown procedures, else a variable).
:- style_check(-singleton).
% catch/3 and throw/1; and \+, once/1, ignore/1, forall/2, *->.
t(true).
t(fail).
t(call(true)).
t(call(fail)).
t((X = 1 ; X = 2)).
t((X = 1 , X = 2)).
t((X = 1 -> Y = a ; Y = b)).
t((fail -> Y = a ; Y = b)).
t((member(X, [1,2,3]) -> true ; X = none)).
t((member(X, [1,2,3]), X > 1 -> true ; X = none)).
t((fail -> true)).
t((member(X, [1,2,3]) *-> true ; X = none)).
t((fail *-> true ; X = none)).
t(call((member(X, [1,2,3]), !))).
t((member(X, [1,2,3]), call(!))).
t(call(member, X, [a,b])).
t(call(member(X), [a,b])).
t(call(G)).
t(call(3)).
t(call((fail, 3))).
t(call(foo_undefined)).
t(\+ fail).
t(\+ true).
t(\+ X = 1).
t((\+ \+ X = 1, var(X))).
t(once(member(X, [a,b]))).
t(ignore(fail)).
t(ignore(member(X, [a,b]))).
t(forall(member(X, [1,2,3]), X > 0)).
t(forall(member(X, [1,2,3]), X > 1)).
t(catch(throw(ball), ball, true)).
t(catch(throw(f(X)), f(Y), Y = caught)).
t(catch(member(X, [1,2]), _, true)).
t(catch(throw(inner), outer, true)).
t(catch(catch(throw(inner), outer, true), inner, X = outer_caught)).
t(catch((X = 1, throw(b)), b, true)).
t(catch(number_codes(X, Y), error(E, _), true)).
t((catch(member(X, [1,2,3]), _, true), X >= 2)).
t(catch((member(X, [1,2,3]), X >= 2, throw(found(X))), found(Y), true)).
t(throw(_)).
t((G = (X = 1 ; X = 2), call(G))).
t(cut_in_clause(X)).
t(cut_in_ite(X)).
t(cut_in_or(X)).
t(cut_in_negation(X)).
t(findall(X-Y, cut_in_call(X, Y), L)).
t(zero_arity_pred).

cut_in_clause(X) :- member(X, [1,2,3]), !.
cut_in_clause(none).
cut_in_ite(X) :- ( member(X, [1,2,3]), X > 1 -> true ; X = none ).
cut_in_ite(last).
cut_in_or(X) :- ( X = 1, ! ; X = 2 ).
cut_in_or(3).
cut_in_negation(X) :- \+ (!, fail), X = ok.
cut_in_negation(second).
cut_in_call(X, Y) :- member(X, [1,2]), call((member(Y, [a,b]), !)).
zero_arity_pred.
