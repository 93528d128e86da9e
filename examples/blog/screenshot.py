"""Screenshots of the blog for the README (`make screenshots`): serve it
with `sx serve` on a free 127.0.0.1 port, let headless Chromium (the Debian
package, `make chromium`) take the home page and a post page, stop it.

    python examples/blog/screenshot.py [OUT_DIR]     (default docs/)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PAGES = {"blog-home.png": "/", "blog-post.png": "/posts/smalltalk-renders-this-page"}
# The flags this machine's closed network needs (no background requests).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--window-size=1100,1400"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            sys.exit(f"screenshot: sx serve exited with status {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"screenshot: the blog did not answer at {url} within {seconds:.0f} s")


def main() -> int:
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "docs"))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("screenshot: no chromium on PATH (make chromium installs the Debian package)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sx", "serve", os.path.join(HERE, "app.sx"),
                               "--port", str(port)], cwd=ROOT)
    try:
        wait_until_up(base + "/", server)
        os.makedirs(out, exist_ok=True)
        for name, path in PAGES.items():
            with tempfile.TemporaryDirectory() as profile:
                subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                f"--screenshot={os.path.join(out, name)}", base + path],
                               check=True, timeout=120, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            print(f"screenshot: {base}{path} -> {os.path.join(out, name)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
