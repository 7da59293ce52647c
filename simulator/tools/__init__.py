"""Tools that work on an Alma from outside: measuring the simulator with `almasim bench` (benchmark.py) and
`almasim load` (load/, on Locust), and cloning any Alma's set-up into a world file with `almasim clone` (clone.py)."""
