"""`sx bench`: SX's benchmark harness.

    programs.py  where the programs, twins and preludes are; an SX program
                 under one tier (in process) and its Python twin
    peers.py     other Schemes running the same programs in subprocesses
    measure.py   interleaved timing of one program; ratios, geometric means
    table.py     the tables printed
    report.py    the HTML report with charts
    alarm.py     the perf-regression alarm and its recorded reference ratios
    host.py      the machine and versions a run records
    cli.py       the command line

The programs (bench/programs/NAME.sx) are plain R7RS programs that check
their own answers; bench/programs/driver.scm says how.
"""

from .cli import main

__all__ = ["main"]
