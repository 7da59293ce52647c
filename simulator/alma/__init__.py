"""The simulated Alma: Community Zone, Network Zones, institutions and the complete real-time ordering engine.

Plain Python with no web framework inside it. `model` holds the world, `ordering` and `lifecycle` the
librarian's and the vendor's operations, `matching`, `normalization`, `validation` and `portfolio_search`
the registries users extend, and `seed` builds a fresh world from `fixtures/`.
"""
