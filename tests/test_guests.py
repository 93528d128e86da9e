"""The guest registry (sx.guests): every registered guest's declaration, its
command in the CLI, its test suite passing identically under every tier,
and guests being imported only when asked for."""

import os
import subprocess
import sys

import pytest

from sx.api import TIERS
from sx.cli import BUILTIN
from sx.guests import PACKAGES, Guest, all_guests, find

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
GUESTS = all_guests()
IDS = [g.name for g in GUESTS]


def sx(*args, python_flags=(), cwd=ROOT, code=None):
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    argv = ["-c", code, *args] if code else ["-m", "sx", *args]
    return subprocess.run([sys.executable, *python_flags, *argv], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_every_package_declares_one_guest():
    assert len(GUESTS) == len(PACKAGES) >= 1
    for guest, package in zip(GUESTS, PACKAGES):
        assert isinstance(guest, Guest) and guest.package == package
        assert find(guest.name) is guest
    assert find("no-such-guest") is None


@pytest.mark.parametrize("guest", GUESTS, ids=IDS)
def test_a_declaration_is_complete(guest):
    assert guest.command not in BUILTIN and guest.help and "\n" not in guest.help
    assert guest.home().is_dir()
    for name, (full, small) in guest.benchmarks.items():
        assert ":" not in name and full >= small >= 1
    if guest.benchmarks:
        assert callable(guest.load_benchmark)
    assert guest.tests is not None, "every guest has a test suite"
    assert (guest.home() / guest.tests.folder).is_dir()


def test_names_and_commands_are_unique():
    for attr in ("name", "command"):
        values = [getattr(g, attr) for g in GUESTS]
        assert len(set(values)) == len(values)


def test_the_cli_has_one_subcommand_per_guest():
    done = sx("-h")
    assert done.returncode == 0
    for guest in GUESTS:
        assert guest.command in done.stdout and guest.help in done.stdout
    done = sx(GUESTS[0].command, "-h")
    assert done.returncode == 0 and f"usage: sx {GUESTS[0].command}" in done.stdout


def test_a_built_in_command_imports_no_guest():
    done = sx(code="import sys; from sx.cli import main; main(['eval', '(+ 1 2)']); "
                   "print(sorted(m for m in sys.modules if m.startswith('sx.guests.')))")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "3\n[]\n"


def test_the_guests_are_found_in_a_checkout_that_is_not_installed(tmp_path):
    # python -S: no site-packages, so no editable install's import hook
    # either: the guests are found through src/sx/guests/__init__.py alone.
    done = sx(code="import sx.guests, sys; g = sx.guests.all_guests(); "
                   "print(*(x.home() for x in g))", python_flags=["-S"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    homes = done.stdout.split()
    assert len(homes) == len(GUESTS)
    for home, guest in zip(homes, GUESTS):
        assert os.path.samefile(home, os.path.join(ROOT, "guests", guest.name))


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("guest", GUESTS, ids=IDS)
def test_the_test_suite_passes(guest_suite_runs, guest, tier):
    done = guest_suite_runs(guest)[tier]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.parametrize("guest", GUESTS, ids=IDS)
def test_the_test_suite_gives_identical_output_under_every_tier(guest_suite_runs, guest):
    outputs = {t: (r.stdout, r.stderr, r.returncode) for t, r in guest_suite_runs(guest).items()}
    assert all(o == outputs[TIERS[0]] for o in outputs.values())
