"""The code cache (sx.runtime.codecache): what it stores comes back equal,
sharing kept; source read from it has the reader's locations; a corrupt,
truncated, foreign or unwritable entry is never an error; SX_CACHE=off and
SX_CACHE_DIR are obeyed."""

import gc
import os
import stat

import pytest

from sx.api import Runtime
from sx.printer import write_string
from sx.reader import read_all
from sx.runtime import codecache
from sx.values import Pair


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SX_CACHE", raising=False)
    return tmp_path / "cache"


def entries(folder):
    return [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs]


def sx(text):
    return Runtime(tier="cek").eval_string(text)


Runtime(tier="cek")     # (the prelude read now, its entry in the session's cache folder)


def test_sx_data_comes_back_equal_with_its_sharing(cache):
    got = sx("""
      (define shared (list 1 2))
      (define k (code-cache-key "a test" "of data"))
      (code-cache-set! k (vector shared shared "s" #\\x 'sym 3/4 1.5 -2 (bytevector 1 255)
                                 '(a . b) '() #t #f (expt 10 30) (make-rectangular 1.5 2.0)))
      (let ((v (code-cache-ref k #f)))
        (list v (eq? (vector-ref v 0) (vector-ref v 1))))""")
    assert write_string(got) == ('(#((1 2) (1 2) "s" #\\x sym 3/4 1.5 -2 #u8(1 255) (a . b) () #t #f '
                                 '1000000000000000000000000000000 1.5+2.0i) #t)')
    assert len(entries(cache)) == 1


def test_a_fresh_copy_at_each_ref(cache):
    assert sx("""
      (define k (code-cache-key "copy"))
      (code-cache-set! k (list (string #\\a)))
      (define one (code-cache-ref k #f))
      (string-set! (car one) 0 #\\z)
      (code-cache-ref k #f)""").car.s == "a"


def test_what_cannot_be_stored_is_refused_without_hanging(cache):
    assert write_string(sx("""
      (define k (code-cache-key "cycles"))
      (define l (list 1 2 3))
      (set-cdr! (cddr l) l)
      (define v (vector 1))
      (vector-set! v 0 v)
      (list (code-cache-set! k l) (code-cache-set! k v) (code-cache-set! k car)
            (code-cache-ref k 'none))""")) == "(#f #f #f none)"
    assert entries(cache) == []


def test_a_long_list_is_not_a_deep_one(cache):
    assert sx("""
      (define k (code-cache-key "long"))
      (code-cache-set! k (iota 200000))
      (length (code-cache-ref k #f))""") == 200000


def test_keys_name_every_part(cache):
    assert sx('(equal? (code-cache-key "ab" "c") (code-cache-key "a" "bc"))') is False
    assert sx('(equal? (code-cache-key "ab" "c") (code-cache-key "ab" "c"))') is True


def test_arguments_are_checked(cache):
    from sx.errors import SchemeError
    with pytest.raises(SchemeError, match="code-cache-ref: expected a string"):
        sx("(code-cache-ref 'k #f)")


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "empty"])
def test_a_damaged_entry_is_ignored_and_rewritten(cache, damage):
    k = codecache.key("damaged")
    assert codecache.store(k, Pair(1, Pair(2, codecache.NIL)))
    (path,) = entries(cache)
    blob = open(path, "rb").read()
    if damage == "truncate":
        blob = blob[:len(blob) // 2]
    elif damage == "flip":
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    elif damage == "foreign":      # a well-formed entry of what is not ours
        import hashlib
        import marshal
        payload = marshal.dumps(compile("1", "x", "eval"))
        blob = codecache.MAGIC + hashlib.sha256(payload).digest() + payload
    else:
        blob = b""
    open(path, "wb").write(blob)
    assert write_string(sx(f'(code-cache-ref "{k}" (quote default))')) == "default"
    assert codecache.store(k, Pair(3, codecache.NIL))
    assert write_string(sx(f'(code-cache-ref "{k}" #f)')) == "(3)"


def test_a_read_only_folder_is_read_and_not_written(cache, monkeypatch):
    sx('(code-cache-set! (code-cache-key "ro") 1)')
    cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    for sub in cache.iterdir():
        sub.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:
        # (root writes into read-only folders: the refusal they give others)
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(codecache.tempfile, "mkstemp", refuse)
    try:
        assert write_string(sx('(list (code-cache-set! (code-cache-key "ro2") 2) '
                               '(code-cache-ref (code-cache-key "ro2") 0) '
                               '(code-cache-ref (code-cache-key "ro") 0))')) == "(#f 0 1)"
    finally:
        for sub in cache.iterdir():
            sub.chmod(stat.S_IRWXU)
        cache.chmod(stat.S_IRWXU)


def test_a_folder_that_cannot_be_made_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("SX_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert write_string(sx('(list (code-cache-set! (code-cache-key "x") 1) '
                           '(code-cache-ref (code-cache-key "x") 0))')) == "(#f 0)"


def test_off_stores_nothing(cache, monkeypatch):
    monkeypatch.setenv("SX_CACHE", "off")
    assert write_string(sx('(list (code-cache-set! (code-cache-key "x") 1) '
                           '(code-cache-ref (code-cache-key "x") 0))')) == "(#f 0)"
    assert not cache.exists()


SOURCE = """; a program
(define (f x)
  `(,x #(1 "two" #\\3) . [4 5]))
(display 'done) #;(skipped) '(quoted . 1/2)
"""


def located(forms, srcmap):
    """Each pair's written form with its location, in reading order."""
    out = []

    def walk(x):
        while type(x) is Pair:
            out.append((write_string(x), srcmap.get(id(x))))
            walk(x.car)
            x = x.cdr
        if type(x) is list:
            for v in x:
                walk(v)
    for d, loc in forms:
        out.append((write_string(d), loc))
        walk(d)
    return out


def test_source_read_from_the_cache_has_the_readers_locations(cache):
    expected = located(*read_all(SOURCE, "f.sx"))
    cold = located(*codecache.read_all_cached(SOURCE, "f.sx"))
    warm = located(*codecache.read_all_cached(SOURCE, "f.sx"))
    assert cold == expected and warm == expected
    assert len(entries(cache)) == 1
    # the locations name the file as it is called now
    moved = located(*codecache.read_all_cached(SOURCE, "g.sx"))
    assert moved == [(w, loc and ("g.sx",) + loc[1:]) for w, loc in expected]


def test_a_datum_label_is_read_each_time(cache):
    forms, _ = codecache.read_all_cached("'(#0=(a) #0#)", "f.sx")
    lst = forms[0][0].cdr.car
    assert lst.car is lst.cdr.car
    assert entries(cache) == []


def test_a_source_map_holds_the_pairs_it_locates(cache):
    # (an id names an object only while it lives: a pair made later at a
    # dead one's address must not take its location)
    forms, srcmap = codecache.read_all_cached(SOURCE * 20, "f.sx")
    del forms
    gc.collect()
    fresh = [Pair(i, i) for i in range(20000)]
    assert not any(id(p) in srcmap for p in fresh)


def test_a_foreign_entry_under_a_sources_key_is_read_over(cache):
    k = codecache.key("read", SOURCE)
    assert codecache.store(k, [("not", "ours")], encoded=True)
    assert located(*codecache.read_all_cached(SOURCE, "f.sx")) == located(*read_all(SOURCE, "f.sx"))
    assert located(*codecache.read_all_cached(SOURCE, "f.sx")) == located(*read_all(SOURCE, "f.sx"))


def test_python_is_compiled_once(cache, monkeypatch):
    src = "def F(x):\n    return x + 1\n"
    first = codecache.compile_python(src, "<sx-py f>")
    assert len(entries(cache)) == 1

    def refuse(*args):
        raise AssertionError("compiled again")
    monkeypatch.setattr(codecache, "compile", refuse, raising=False)
    again = codecache.compile_python(src, "<sx-py f>")
    ns: dict = {}
    exec(again, ns)
    assert ns["F"](41) == 42 and again.co_filename == first.co_filename == "<sx-py f>"
    with pytest.raises(AssertionError):                  # another source is compiled
        codecache.compile_python(src + "\n", "<sx-py f>")


def test_python_that_does_not_compile_is_not_kept(cache):
    with pytest.raises(SyntaxError):
        codecache.compile_python("def (:\n", "<sx-py bad>")
    assert entries(cache) == []
