"""Every conformance program, under every tier, must print exactly its
expected output and fail (if it fails) with exactly its expected error."""

import pytest

from conformance_runner import expected, programs, run_program
from sx.api import TIERS

PROGRAMS = programs()


def test_suite_is_not_empty():
    assert len(PROGRAMS) > 50


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("rel", PROGRAMS)
def test_program(rel, tier):
    out, err, status = run_program(rel, tier)
    exp_out, exp_err = expected(rel)
    assert out == exp_out
    assert err == exp_err
    if exp_err:
        assert status == 1
