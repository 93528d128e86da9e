"""The tier manager, tier 2 (Python code generation) and the tools built on
them (statistics, bisect)."""

# The machine and tier 2 refer to each other; loading the machine first
# (which loads pyrun at its end) lets either be imported first.
from .. import cek as _cek  # noqa: F401
