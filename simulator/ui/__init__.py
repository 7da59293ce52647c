"""The librarian's view of the simulated Alma: server-rendered pages at /almasim/ui/ (not Alma's API).

Owns the pages a librarian reads (the In Review task list, PO lines, funds, portfolio maps, vendor activity)
and the actions Alma gives a librarian there (approve, cancel, receive, activate). `create_ui(service)` is the
ASGI application that `simulator.api.asgi` mounts; `app.py` holds the routes and actions, `pages.py` the view
models, `templates/` the Jinja2 templates (package data, no external assets).

The package is lazy: `create_ui` and `PREFIX` load `app.py` when first asked for, so importing a module of
the package (app.py itself imports `pages`) does not run the package's own import of app.py (no import cycle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.ui.app import PREFIX, create_ui

__all__ = ["PREFIX", "create_ui"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from simulator.ui import app
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
