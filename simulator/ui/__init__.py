"""The librarian's view of the simulated Alma: server-rendered pages at /almasim/ui/ (not Alma's API).

Owns the pages a librarian reads (the In Review task list, PO lines, funds, portfolio maps, vendor activity)
and the actions Alma gives a librarian there (approve, cancel, receive, activate). `create_ui(service)` is the
ASGI application that `simulator.api.asgi` mounts; `app.py` holds the routes and actions, `pages.py` the view
models, `templates/` the Jinja2 templates (package data, no external assets).
"""

from simulator.ui.app import PREFIX, create_ui

__all__ = ["PREFIX", "create_ui"]
