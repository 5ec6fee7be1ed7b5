"""Benchmarks with printed figures (issue 16); targets are printed here, never asserted in tests."""
