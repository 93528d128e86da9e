% ISO 7.12 and 8.x error cases: the error terms builtins raise (only the
% formal part is printed), errors inside catch/3 recovery, rethrow, and
% cleanup of bindings on the way out.
% Differences from swipl's output: error contexts (swipl's context(system:
% F/A, _); ours: a variable, F/A for unknown procedures and the library's
% errors); ISO-strict sub_atom/5 and atom_length/2 on numbers; format/2
% writes nothing of a format it rejects (swipl writes up to the error).
:- style_check(-singleton).
t(catch(atom_length(1, _), error(E, _), true)).
t(catch(foo123(1), error(existence_error(procedure, PI), _), true)).
t(catch(call(1), error(E, _), true)).
t(catch(arg(a, f(a), _), error(E, _), true)).
t(catch(X is 1 + a, error(E, _), true)).
t(catch(atom_codes(_, _), error(E, _), true)).
t(catch(throw(first), first, catch(throw(second), second, true))).
t(catch(catch(throw(a), a, throw(b)), b, X = rethrown)).
t(catch((X = bound, throw(oops)), oops, true)).
t(catch(throw(f(X)), f(Y), true)).
t(catch((member(X, [1, 2, 3]), X > 2, throw(got(X))), got(Y), true)).
t((catch(member(X, [1, 2]), E, true), throw_if(X))).
t(catch(number_codes(N, "3 x"), error(E, _), true)).
t(catch(atom_length(abc, foo), error(E, _), true)).
t(catch(sub_atom(abc, B, L, A, 1), error(E, _), true)).
t(catch(functor(_, _, _), error(E, _), true)).
t(catch(assertz(foo :- 1), error(E, _), true)).
t(catch(op(1201, xfx, foo), error(E, _), true)).
t(catch(msort(a, _), error(E, _), true)).
t(catch(succ(X, -1), error(E, _), true)).
t(catch(nth0(a, [1], X), error(E, _), true)).
t(catch(format("~q ~q", [a]), error(E, _), true)).
t(catch(with_output_to(string(S), (write(partial), throw(inner))), inner, S = caught)).
t(catch(findall(X, (member(X, [1, 2]), X > 1, throw(late(X))), L), late(Y), true)).

throw_if(2) :- throw(two).
throw_if(_).
