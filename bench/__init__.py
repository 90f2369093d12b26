"""Benchmarks: every subject is measured next to its baseline, in the same run."""
