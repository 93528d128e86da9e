"""The outermost machine run starts from a frame that fills most of a fresh
chunk of CPython's frame stack (machine.with_headroom): what it passes on
and what it gives back, and that the frame is as big as its comment says.
Its effect on speed is shown by `sx bench` (interp, ctak), never timed
here."""

import pytest

from sx.api import Runtime
from sx.machine.machine import _HEADROOM_SLOTS, with_headroom


def test_with_headroom_calls_through():
    assert with_headroom(lambda a, b: (a, b), 1, "x") == (1, "x")
    with pytest.raises(ZeroDivisionError):
        with_headroom(lambda: 1 // 0)


def test_its_frame_has_the_slots_that_make_a_128_kib_chunk():
    code = with_headroom.__code__
    assert code.co_nlocals == len(code.co_varnames) >= _HEADROOM_SLOTS
    # just over 64 KiB: CPython doubles 16 KiB until the frame fits, so the
    # chunk is 128 KiB, and the computation has most of the other half
    assert 64 * 1024 < 8 * code.co_nlocals < 72 * 1024


@pytest.mark.parametrize("tier", ["cek", "vm", "py", "auto"])
def test_deep_recursion_and_nested_runs_still_work_under_it(tier):
    rt = Runtime(tier)
    rt.eval_string("(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))")
    assert rt.eval_string("(count 100000)") == 100000
    # a nested run (dynamic-wind through a control primitive) inside the outermost
    assert rt.eval_string("(let ((x 0)) (dynamic-wind (lambda () (set! x 1)) "
                          "(lambda () (count 1000)) (lambda () (set! x 2))))") == 1000


def test_within_headroom_gives_every_run_it_makes_the_headroom_once(monkeypatch):
    # a server's event loop runs within_headroom: the machine runs of its
    # requests make no chunk of their own (each would cost a map and unmap)
    import sx.machine.machine as machine
    made = []
    real = machine.with_headroom

    def counting(fn, *args):
        made.append(fn)
        return real(fn, *args)
    monkeypatch.setattr(machine, "with_headroom", counting)
    rt = Runtime("auto")
    rt.eval_string("(define (f x) (+ x 1))")
    f = rt.lookup("f")
    made.clear()
    assert [rt.call(f, i) for i in range(3)] == [1, 2, 3]
    assert len(made) == 3                  # on its own: one per outermost run
    made.clear()
    assert machine.within_headroom(lambda: [rt.call(f, i) for i in range(3)]) == [1, 2, 3]
    assert len(made) == 1                  # within: one in all
    assert machine.CURRENT.roomy is False  # and off again afterwards


def test_the_http_servers_event_loop_runs_within_the_headroom():
    # what `sx serve APP.sx` gives uvicorn as its loop, with one worker or N
    import asyncio
    import sx.machine.machine as machine
    from sx.serve.http.launch import LOOP, HeadroomLoop
    from uvicorn.importer import import_from_string
    assert import_from_string(LOOP) is HeadroomLoop

    async def roomy():
        return machine.CURRENT.roomy
    with asyncio.Runner(loop_factory=HeadroomLoop) as runner:
        assert runner.run(roomy()) is True
    assert machine.CURRENT.roomy is False
