"""The demo catalog for `make run` and a load-test catalog for the benchmark."""
