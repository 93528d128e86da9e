"""Primitives grouped by R7RS chapter. Importing this package registers them all."""

import importlib

# Each module registers its primitives into registry.PRIMITIVES on import.
_MODULES = (
    "equality", "numbers", "booleans", "lists", "symbols", "chars", "strings",
    "vectors", "bytevectors", "dicts", "records", "control", "ports", "system", "json", "codecache",
)

for _m in _MODULES:
    importlib.import_module(f"{__name__}.{_m}")

from .registry import PRIMITIVES  # noqa: E402,F401
