"""Benchmarks against the bare libraries and targets; `make bench` runs `python -m bench`."""
