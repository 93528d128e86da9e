"""The expander: syntax -> Core IR (macros and derived forms gone)."""
