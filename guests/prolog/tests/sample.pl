% A small Prolog file read through a port (read_port.sx).
:- dynamic counter/1.

counter(0).

app([], L, L).
app([H|T], L, [H|R]) :-
    app(T, L, R).

/* a block comment
   over three lines */
greeting('Hello,
world').                      % a quoted atom over two lines

ops(X) :- X = (a :- b, c ; d -> e), X \= f(- 1, -1, 0'a, "str").
broken(X :- .
after_error(ok).
last(clause). % no newline at the end
no_end(here)