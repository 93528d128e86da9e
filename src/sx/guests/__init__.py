"""Launchers of the guest languages written in SX (guests/<lang>/)."""
