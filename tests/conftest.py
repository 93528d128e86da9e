import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

# The conformance runner is imported as a plain module by the tests.
sys.path.insert(0, os.path.dirname(__file__))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The code cache (sx.runtime.codecache) of this test process and of the sx
# processes it starts: a folder of its own, not the user's ~/.cache/sx, gone
# at the end. (Set before anything is read, so every test sees it.)
os.environ["SX_CACHE_DIR"] = tempfile.mkdtemp(prefix="sx-test-cache-")
atexit.register(shutil.rmtree, os.environ["SX_CACHE_DIR"], True)


@pytest.fixture(scope="session")
def guest_suite_runs():
    """runs(guest) -> {tier: CompletedProcess}: the guest's test suite (its
    registry entry) run under every tier, once per session (test_guests.py
    checks them generically, each guest's own tests read its output)."""
    from sx.api import TIERS
    done = {}

    def runs(guest):
        if guest.name not in done:
            env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"))
            env.pop("SX_TIER", None)
            done[guest.name] = {
                t: subprocess.run([sys.executable, "-m", "sx", "--tier", t, *guest.test_argv()],
                                  capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
                for t in TIERS}
        return done[guest.name]
    return runs
