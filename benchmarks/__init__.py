"""Benchmarks that print their figures and write ``benchmarks/results/<name>.json``: all
of them at a modest size with ``python -m benchmarks`` (``make bench``), or one at full
size with ``python -m benchmarks.<name>``."""
