"""The content library (guests/som/content, Markdown to HTML in SOM) used
from SX through the SX <-> SOM API (guests/som/src/api.sx): one SX program
renders documents, converts values both ways and catches SOM errors with
`guard`, under every tier, with identical output; and the Python helper
that loads the API into a Runtime (launcher.load_api).

The library's own tests are SOM tests (guests/som/tests/Markup*Test.som),
run with the rest of the SOM suite by test_guests.py and test_som.py."""

import json
import os
import subprocess
import sys

import pytest

from sx.api import TIERS
from sx.guests import find

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
SOM = os.fspath(find("som").home())

# A post of about 2 KB using every construct (and some hostile text).
POST = """# Tiered compilation, one step at a time

Most of the time a program spends is spent in a *small* part of its code.
A **tiered** system starts every procedure in the simplest tier and only
compiles what turns out to be hot. This post walks through the tiers of
[SX](https://example.org/sx) and what each one buys, with `numbers`.

## The interpreter

The reference interpreter is a CEK machine: it _interprets_ the core
language and nothing else. It is the **definition** of what a program
computes: every other tier is checked against it.

> A divergence is a bug in the higher tier,
> never a reason to exclude code from compilation.

## Bytecode

- opcodes with their operands resolved;
- a line table, for errors and backtraces;
- a safepoint table, for rebuilding frames.

```scheme
(define (fib n)
  (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
```

## Generated Python

The third tier turns bytecode into Python source & compiles it with
`compile()`. A few things make it fast:

1. arithmetic on known integers is inline, as in `a + b < c`;
2. calls of known procedures are plain Python calls;
3. loops become `while True:` loops.

Guards are checked once on entry; after that, types flow forward. The
cost of a guard is *small* but not zero: on `fib` it is about 10%.

### What it does not do

It does not compile `call/cc` specially, and it does not (yet) know about
flonums in every position. See the [design notes](/notes/tiers.html) and
the [issue tracker](https://example.org/issues?q=tier+2&state=open) for
details, or write to [the author](mailto:author@example.org).

> Measure twice, compile once. Or, as the _old_ saying goes: premature
> optimisation is the root of all evil, but **late** optimisation is the
> root of all slow software.

---

Comments are welcome, but <script>alert('no')</script> & no
[clever links](javascript:alert(1)): they are shown as text. The
snake_case_names and 2 * 3 * 4 stay as they are, *unclosed stays too.
"""

# A class of the program's own, on the class path given to som-load!.
PROBE = """ApiProbe = (
    | name |
    name: aString = ( name := aString )
    greet = ( ^'Hello, ' , name , '!' )
    echo: x = ( ^x )
    classOf: x = ( ^x class name )
    vector = ( ^Vector with: 1 with: 'two' with: #three )
    fail = ( ^self inner )
    inner = ( ^nil frobnicate )
    oops = ( ^self error: 'something broke' )
    divide = ( ^1 / 0 )
)
"""


def program(probe_dir: str, post_file: str) -> str:
    def sx(path: str) -> str:    # an SX string literal (paths need no other escapes)
        return json.dumps(path)
    return f"""
(include {sx(os.path.join(SOM, "src", "api.sx"))})
(som-set-home! {sx(SOM)})
(som-load! (list {sx(probe_dir)}))

(define (show label x) (display label) (display ": ") (write x) (newline))
(define-syntax caught
  (syntax-rules ()
    ((_ label expr)
     (guard (e ((error-object? e) (show label (error-object-message e))))
       (show label expr)
       (display "no error") (newline)))))

;; the content library
(show "html" (markup->html "# Hi *there*\\n\\nA [link](/a?b=1&c=2), `code` <b>bold</b>."))
(show "empty" (markup->html ""))
(show "injection" (markup->html "[x](javascript:alert(1)) <img onerror=x> \\"q\\" 'a'"))
(show "outline" (markup-outline "# A\\n## B *c*\\n> # quoted\\n### D"))
(show "excerpt" (markup->excerpt "## Title\\n\\nSome *text* here, and more words." 16))
(show "escape" (markup-escape "<a href=\\"x\\">&'</a>"))

;; conversions
(define p (som-new "ApiProbe"))
(som-call p "name:" "World")
(show "greet" (som-call p 'greet))
(show "echo" (som-call p "echo:" (list 1 -2 (expt 10 30) "a" 'b #t #f 2.5 #\\c (vector 1 (list 2)) '() (void))))
(show "classes" (map (lambda (x) (som-call p "classOf:" x)) (list 1 2.5 "s" 'sym #t #f (void) (list 1))))
(show "vector" (som-call p "vector"))
(show "number" (som-call 3 "+" 4))
(show "string" (som-call "abc" "length"))
(show "object" (eq? (som-call p "echo:" p) p))
(show "class" (eq? (som-class "ApiProbe") (som-call p "class")))

;; errors: SX errors, caught by guard, naming the Smalltalk methods pending
(caught "dnu" (som-call p "fail"))
(caught "error:" (som-call p "oops"))
(caught "primitive" (som-call p "divide"))
(caught "arity" (som-call p "echo:"))
(caught "selector" (som-call p 42))
(caught "no class" (som-class "NoSuchClass"))
(caught "conversion" (som-call p "echo:" (make-dict)))
(caught "not a string" (markup->html 42))

;; a post of about 2 KB
(define post (call-with-input-file {sx(post_file)} (lambda (port) (read-string 100000 port))))
(define html (markup->html post))
(show "post length" (list (string-length post) (string-length html)))
(display html)
"""


# What the program prints, the same under every tier (regenerate it with
# `PYTHONPATH=src python tests/test_som_content.py` after a deliberate change).
EXPECTED = os.path.join(ROOT, "tests", "som_content.out")


def run_program(tmp_path, tier: str) -> subprocess.CompletedProcess:
    (tmp_path / "classes").mkdir()
    (tmp_path / "classes" / "ApiProbe.som").write_text(PROBE)
    (tmp_path / "post.md").write_text(POST)
    prog = tmp_path / "prog.sx"
    prog.write_text(program(os.fspath(tmp_path / "classes"), os.fspath(tmp_path / "post.md")))
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-m", "sx", "--tier", tier, "run", os.fspath(prog)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def expected() -> str:
    with open(EXPECTED, encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_prints_the_expected_output(tmp_path, tier):
    done = run_program(tmp_path, tier)
    assert done.returncode == 0 and done.stderr == "", done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout == expected()


# What the expected output says (every tier prints exactly it).

def lines() -> dict:
    """The program's `label: value` lines, by label."""
    out = {}
    for line in expected().splitlines():
        label, sep, value = line.partition(": ")
        if sep and label not in out:
            out[label] = value
    return out


def test_rendering():
    got = lines()
    assert got["html"] == ('"<h1>Hi <em>there</em></h1>\\n<p>A <a href=\\"/a?b=1&amp;c=2\\">link</a>, '
                           '<code>code</code> &lt;b&gt;bold&lt;/b&gt;.</p>\\n"')
    assert got["empty"] == '""'
    assert got["injection"] == ('"<p>x &lt;img onerror=x&gt; &quot;q&quot; &#39;a&#39;</p>\\n"')
    assert got["outline"] == '((1 "A") (2 "B c") (3 "D"))'
    assert got["excerpt"] == '"Some text here,…"'
    assert got["escape"] == '"&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"'


def test_a_2kb_post():
    out = expected()
    length, html_length = map(int, lines()["post length"].strip("()").split())
    assert length > 1900 and html_length > length
    html = out[out.index("\n", out.index("post length: ")) + 1:]
    assert html.startswith("<h1>Tiered compilation, one step at a time</h1>\n<p>Most of the time")
    for piece in ('<a href="https://example.org/sx">SX</a>', "<em>interprets</em>",
                  "<blockquote>\n<p>A divergence", "<ul>\n<li>opcodes",
                  '<pre><code class="language-scheme">(define (fib n)\n  (if (&lt; n 2)',
                  "<ol>\n<li>arithmetic", "<code>a + b &lt; c</code>", "<hr />",
                  "&lt;script&gt;alert(&#39;no&#39;)&lt;/script&gt; &amp; no\nclever links:",
                  "snake_case_names and 2 * 3 * 4", "*unclosed stays too.</p>"):
        assert piece in html, piece
    assert "<script>" not in html and "javascript:" not in html.split("clever links")[1][:40]


def test_conversions():
    got = lines()
    assert got["greet"] == '"Hello, World!"'
    # lists and vectors become Arrays and come back as lists; () is an
    # empty Array; (void) is nil and comes back as (void); a character a String
    assert got["echo"] == ('(1 -2 1000000000000000000000000000000 "a" b #t #f 2.5 "c" (1 (2)) () '
                           '#<unspecified>)')
    assert got["classes"] == "(Integer Double String Symbol True False Nil Array)"
    assert got["vector"] == '(1 "two" three)'
    assert got["number"] == "7" and got["string"] == "3"
    assert got["object"] == "#t" and got["class"] == "#t"


def test_som_errors_are_sx_errors_naming_the_methods_pending():
    got = lines()
    assert got["dnu"] == ('"ERROR: Nil does not understand #frobnicate (pending: '
                          'Object>>doesNotUnderstand:arguments:, ApiProbe>>inner, ApiProbe>>fail)"')
    assert got["error:"] == '"ERROR: something broke (pending: Object>>error:, ApiProbe>>oops)"'
    assert got["primitive"] == '"SOM: Integer>>/: division by zero (pending: ApiProbe>>divide)"'
    assert got["arity"] == '"som-call: #echo: takes 1 argument(s), got 0"'
    assert got["selector"] == '"som-call: expected a selector (a string or a symbol), got"'
    assert got["no class"] == '"som-class: no class NoSuchClass on the class path"'
    assert got["conversion"] == '"sx->som: no SOM value for"'
    assert got["not a string"] == ('"ERROR: Markup expects a String, got 42 (pending: Object>>error:, '
                                   'Markup>>check:, Markup>>render:)"')
    assert "no error" not in expected()


def test_the_python_helper_loads_the_api_into_a_runtime(tmp_path):
    from sx.api import Runtime
    from sx.errors import SchemeError
    from sx.guests.som import launcher
    from sx.values import MString
    (tmp_path / "ApiProbe.som").write_text(PROBE)
    rt = Runtime("auto")
    launcher.load_api(rt, [os.fspath(tmp_path)])
    html = rt.call(rt.lookup("markup->html"), MString("*a* & b"))
    assert isinstance(html, MString) and html.s == "<p><em>a</em> &amp; b</p>\n"
    probe = rt.call(rt.lookup("som-new"), MString("ApiProbe"))
    with pytest.raises(SchemeError) as err:
        rt.call(rt.lookup("som-call"), probe, MString("fail"))
    assert err.value.payload.message == ("ERROR: Nil does not understand #frobnicate (pending: "
                                         "Object>>doesNotUnderstand:arguments:, ApiProbe>>inner, "
                                         "ApiProbe>>fail)")


if __name__ == "__main__":      # regenerate the expected output (from the auto tier)
    import pathlib
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        done = run_program(pathlib.Path(d), "auto")
    if done.returncode != 0 or done.stderr:
        sys.exit(done.stdout + done.stderr)
    with open(EXPECTED, "w", encoding="utf-8") as f:
        f.write(done.stdout)
    print(f"wrote {EXPECTED}")
