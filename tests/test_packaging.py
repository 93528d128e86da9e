"""sx as a user installs it: a wheel built from this checkout, installed
into a fresh venv, runs SX and the guests from anywhere, with the guests'
files found in the installed package (not in the checkout).

The wheel is built from a copy of the checkout (pip builds in the source
folder, leaving build/ and *.egg-info behind). Building needs setuptools
from the package index, as `make install` does; the rest is offline:
`--no-deps`, and the commands run need no dependency (prompt_toolkit is
only imported by an interactive REPL). About 10 s.
"""

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SX_TIER")}
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=300,
                          **kw)
    assert done.returncode == 0, f"{argv}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "guests"):
        shutil.copytree(os.path.join(ROOT, name), source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(ROOT, name), source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist"),
         str(source)], cwd=tmp)
    (path,) = (tmp / "dist").glob("sx-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(the venv's bin folder, a working folder outside the checkout)."""
    tmp = tmp_path_factory.mktemp("venv")
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--quiet", str(wheel)], cwd=tmp)
    work = tmp / "work"
    work.mkdir()
    return venv / "bin", work


def _checkout_files(top):
    """Every file under the checkout's folder `top` (caches aside), relative to src/ or to
    guests/: where it must be in the wheel, under sx/ and sx/guests/."""
    for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not d.endswith(".egg-info")]
        for f in files:
            yield os.path.relpath(os.path.join(folder, f), os.path.join(ROOT, top))


def test_the_wheel_holds_every_package_and_the_guests_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_src = [p for p in _checkout_files("src") if not p.endswith(".pyc")]
    missing = [p for p in in_src if p.endswith((".py", ".sx")) and p.replace(os.sep, "/")
               not in names]
    assert not missing, f"not in the wheel (add the package to pyproject.toml): {missing}"
    # a guest's folder ships whole, its READMEs aside
    in_guests = [f"sx/guests/{p}".replace(os.sep, "/") for p in _checkout_files("guests")
                 if not p.endswith((".pyc", ".md"))]
    missing = [p for p in in_guests if p not in names]
    assert not missing, f"not in the wheel (see pyproject.toml's package data): {missing}"


def test_the_installed_sx_runs_scheme_and_som_from_anywhere(installed):
    bin_dir, work = installed
    assert run([str(bin_dir / "sx"), "eval", "(+ 1 2)"], cwd=work).stdout == "3\n"
    # The guest's files are where it was installed, not in the checkout.
    home = run([str(bin_dir / "python"), "-c",
                "from sx.guests import find; print(find('som').home())"], cwd=work).stdout.strip()
    assert home.startswith(str(bin_dir.parent)) and os.path.isdir(home)
    hello = os.path.join(home, "examples", "Hello.som")
    done = run([str(bin_dir / "sx"), "som", hello], cwd=work)
    assert done.stdout == "Hello, World\n" and done.stderr == ""
    # the guest's test files ship too: one of its tests runs from there
    tests = os.path.join(home, "tests")
    done = run([str(bin_dir / "sx"), "som", "-cp", tests, os.path.join(tests, "TestHarness.som"),
                "BooleanTest"], cwd=work)
    assert done.stdout.splitlines()[-1].endswith(" passed, 0 failed")
    # the content library and the SX <-> SOM API, from the installed package
    done = run([str(bin_dir / "python"), "-c",
                "from sx.api import Runtime; from sx.guests.som import launcher; "
                "from sx.values import MString; rt = Runtime(); launcher.load_api(rt); "
                "print(rt.call(rt.lookup('markup->html'), MString('*a* <b>')).s, end='')"],
               cwd=work)
    assert done.stdout == "<p><em>a</em> &lt;b&gt;</p>\n"
