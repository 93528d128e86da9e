"""The Prolog benchmarks (NAME.pl) and their peers runner (peers.py)."""
