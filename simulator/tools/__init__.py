"""Measuring the simulator: `almasim bench` (benchmark.py) and `almasim load` (load/, on Locust)."""
