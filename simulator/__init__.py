"""almasim."""
