% ISO 8.2-8.5: unification, type testing, term construction and
% inspection (functor/3, arg/3, =../2, copy_term/2, term_variables/2),
% and the standard order (compare/3, ==, @<, sort/2, msort/2, keysort/2,
% sort/4, predsort/3).
% Differences from swipl's output: the list constructor is '.' (ISO; swipl
% 7 uses '[|]'). Not here: cyclic terms, which SX's Prolog does not
% support (X = f(X) makes one; copying or writing it recurses until the
% depth limit, a resource error).
:- style_check(-singleton).
t(f(X, b) = f(a, Y)).
t(f(X, X) = f(a, b)).
t(unify_with_occurs_check(X, f(X))).
t(f(A, B, C) = f(B, C, 1)).
t([H|T] = [1, 2, 3]).
t(a \= b).
t(f(X) \= f(1)).
t((var(X), nonvar(a), atom(a), \+ atom(1), number(1.5), integer(3), float(2.0))).
t((atomic("s"), compound(f(x)), compound([a]), callable(foo), callable(f(x)), is_list([a]))).
t(is_list([a|_])).
t(ground(f(a, [b]))).
t(ground(f(a, _))).
t(functor(foo(a, b), N, A)).
t(functor(T, foo, 3)).
t(functor(T, foo, 0)).
t(functor([a], N, A)).
t(functor(T, N, 2)).
t(functor(T, foo, -1)).
t(arg(2, f(a, b, c), X)).
t(arg(N, f(a, b), X)).
t(arg(0, f(a), X)).
t(arg(x, f(a), X)).
t(f(a, b) =.. L).
t(T =.. [g, 1, 2]).
t(T =.. [foo]).
t(T =.. [1, 2]).
t(T =.. L).
t(copy_term(f(X, Y, X), C)).
t((copy_term(X-Y, C), C = 1-2, var(X))).
t(term_variables(f(X, g(Y, X), _Z), Vs)).
t(compare(O, 1, a)).
t(compare(O, f(a), g(a))).
t(compare(O, f(a, b), g(a))).
t(compare(O, 1, 1.0)).
t(compare(O, X, Y)).
t(compare(foo, 1, 2)).
t(f(a) == f(a)).
t(f(X) == f(Y)).
t(f(X) =@= f(Y)).
t(a @< b).
t(f(b) @> f(a, a)).
t(sort([c, a, b, a], L)).
t(msort([c, a, b, a], L)).
t(sort(0, @>=, [1, 3, 2, 3], L)).
t(sort(1, @<, [f(2, a), f(1, b), f(2, c)], L)).
t(keysort([b-1, a-2, b-0, a-1], L)).
t(keysort([a|_], L)).
t(keysort([a], L)).
t(predsort([O, A, B]>>compare(O, A, B), [3, 1, 2, 1], L)).
t(sort([f(X), 1, b, "s", 2.0, Y], L)).
t(length(L, 2)).
t(length([a, b, c], N)).
t(length(L, -1)).
t(length([a|T], 3)).
