"""What a measurement was taken on, recorded with every run and every
baseline: the machine and the versions. Its own module so that the command
line (cli.py) and the alarm (alarm.py) both import it downward."""

from __future__ import annotations

import os
import platform


def machine_info() -> dict:
    info = {"system": platform.system(), "release": platform.release(),
            "machine": platform.machine(), "processor": platform.processor(),
            "cpus": os.cpu_count()}
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


def sx_version() -> str:
    from .. import __version__
    return __version__
