"""The performance suite: ``.venv/bin/python -m benchmarks`` (docs/performance.md).

Every figure is measured against a baseline measured in the same run (interleaved,
same process where it can be), and reported as a ratio: the machine is shared, so only
ratios count.
"""
