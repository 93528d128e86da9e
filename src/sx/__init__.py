"""SX: an R7RS-small Scheme hosted on Python, with a tiered JIT."""

__version__ = "0.1.0"
