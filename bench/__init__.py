"""Benchmarks and the synthetic generator (``bench.synth``, behind ``outlook synth``).

The scripts here (run.py, accuracy.py, ...) run as files: ``python bench/run.py``.
"""
