"""The tier manager and the tools built on it (statistics, bisect)."""
