% ISO 8.16 atoms and text: atom_codes, atom_chars, char_code, atom_length,
% atom_concat, sub_atom, number_codes, and the SWI text builtins programs
% use (atomic_list_concat, split_string, string_*, upcase_atom...).
% Differences from swipl's output: the ISO builtins are ISO-strict as GNU
% Prolog is (atom_length(123, L) is a type error; swipl accepts numbers).
% No case prints a fresh variable's name (_G<n> here, _<n> in swipl: its
% number depends on everything that ran before).
:- style_check(-singleton).
t(atom_codes(abc, L)).
t(atom_codes(A, [0'h, 0'i])).
t(atom_chars(abc, L)).
t(atom_chars(A, [x, y])).
t(char_code(C, 0'a)).
t(char_code(a, X)).
t(atom_length(hello, N)).
t(atom_length(X, N)).
t(atom_length(123, N)).
t(atom_concat(ab, cd, X)).
t(atom_concat(X, Y, abc)).
t(atom_concat(X, cd, abcd)).
t(sub_atom(abcde, 1, 3, A, S)).
t(sub_atom(abcab, B, 2, A, ab)).
t(sub_atom(abc, B, L, A, S)).
t(number_codes(N, "42")).
t(number_codes(N, " 42")).
t(number_codes(N, "4x")).
t(number_codes(3.5, L)).
t(atom_number('12', N)).
t(atom_number(abc, N)).
t(atom_to_term('foo(X, Y, X)', T, Bs)).
t(term_to_atom(f(x, 'A b', "s", - (1)), A)).
t(\+ \+ (term_to_atom(f(X, Y, X), A), term_to_atom(T, A), T = f(P, Q, R), P == R, P \== Q)).
t(upcase_atom('hello World', U)).
t(atomic_list_concat([a, 1, "s"], X)).
t(atomic_list_concat([a, b, c], '-', X)).
t(atomic_list_concat(L, ',', 'a,b,,c')).
t(split_string("a b  c", " ", "", L)).
t(split_string("  hi  ", "", " ", L)).
t(string_concat(S1, S2, "ab")).
t(string_chars(S, [h, i])).
t(string_codes("hi", L)).
t(string_to_atom(S, abc)).
t(string_length("hello", N)).
t(sub_string("hello world", B, 5, 0, S)).
t(number_string(N, " 42 ")).
t(char_type(a, alpha)).
t(char_type('1', digit(W))).
t(code_type(0' , space)).
t(atom_string(A, "xyz")).
