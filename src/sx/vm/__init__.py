"""Tier 1: the bytecode VM (runs code objects from bytecode/)."""
