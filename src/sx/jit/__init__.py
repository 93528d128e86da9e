"""The JIT: the tier manager (tiering.py), which plugs the compiled tiers
into the machine, and tier 2 (generated Python)."""
