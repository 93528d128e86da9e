"""The machine every tier shares: dynamic state, the driver, apply,
raise/signal/throw, winding, suspension (`perform`), the shared frames,
backtraces, and the control primitives with their handlers.

Importing it registers the control primitives (control.py) and
`continuation-backtrace` (backtrace.py) in the primitive table.
"""

from . import control  # noqa: F401  (registers the control primitives)
from .backtrace import backtrace
from .frames import Frame, WindEntry, frame_at, new_frame
from .machine import CURRENT, Machine, wind_steps, within_headroom
from .unwind import Mark, NestK, Suspension, Unwind, as_unwind, link

__all__ = ["CURRENT", "Frame", "Machine", "Mark", "NestK", "Suspension", "Unwind", "WindEntry",
           "as_unwind", "backtrace", "frame_at", "link", "new_frame", "wind_steps",
           "within_headroom"]
