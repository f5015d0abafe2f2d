"""Benchmarks; each script here runs on its own and prints its figures."""
