"""The bytecode layer: code objects and the compiler from Core IR to them.

Knows the IR and nothing about how code is run (that is vm/ and later tiers).
"""
