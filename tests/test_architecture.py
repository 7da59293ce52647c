"""The architecture holds: imports tell the truth, and the route spec (simulator.api.routes) is the one source.

- Importing the vendor carts, the client or the shared vocabulary loads no module of the simulated Alma.
- No import cycle anywhere in simulator/ (module-level imports, outside `if TYPE_CHECKING`).
- Every endpoint in the spec is served by the function of its name, and every served route is in the spec;
  the same for the admin API. The client sends only to paths the spec declares.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.admin import api as admin_api, coverage
from simulator.api import handlers, routes

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "simulator"


def _loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return {m for m in done.stdout.split() if m.startswith("simulator")}


@pytest.mark.parametrize("statement", [
    "import simulator.vendors",
    "import simulator",
    "from simulator.backends import AlmaClient",
    "from simulator.api.routes import path",
    "import simulator.errors, simulator.money, simulator.clock, simulator.identifiers, simulator.alma_json",
])
def test_importing_the_outer_layers_loads_no_domain_module(statement):
    loaded = _loaded_by(statement)
    assert not {m for m in loaded if m == "simulator.alma" or m.startswith("simulator.alma.")}, sorted(loaded)
    assert "simulator.api.handlers" not in loaded and "simulator.api.service" not in loaded


def test_a_backend_is_loaded_when_it_is_made():
    loaded = _loaded_by("from simulator.backends import make_backend; make_backend('inprocess')")
    assert "simulator.api.service" in loaded and "simulator.alma.ordering" in loaded


def _modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = list(file.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _module_level_imports(name: str, file: Path, known: set[str]) -> set[str]:
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # a function's import runs when it is called, not when the module loads
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                out.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(parts + ([node.module] if node.module else []))
                out.add(base)
                out.update(f"{base}.{alias.name}" for alias in node.names)
            for field in ("body", "orelse", "handlers", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)])
    visit(ast.parse(file.read_text("utf-8")).body)
    return {m for m in out if m in known and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            strong(v)
    return found


def test_no_import_cycle_in_the_package():
    modules = _modules()
    graph = {name: _module_level_imports(name, file, set(modules)) for name, file in modules.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_endpoint_is_served_by_the_function_of_its_name_in_the_spec_order():
    assert [r.spec.name for r in handlers.ROUTES if r.spec is not None] == [e.name for e in routes.ENDPOINTS]
    for route in handlers.ROUTES:
        assert route.spec is not None and routes.by_key(route.method, route.template) is route.spec, \
            f"{route.method} {route.template} is served but not declared in simulator.api.routes"
        if route.handler.__name__ != "<lambda>":
            assert route.handler.__name__ == route.spec.name
            assert f"{route.handler.__module__}.{route.handler.__name__}" == route.spec.handler


def test_every_admin_endpoint_is_bound_and_nothing_else_is():
    bound = [(method, pattern.pattern) for method, pattern, _ in admin_api._ROUTES]
    assert len(bound) == len(routes.ADMIN_ENDPOINTS)
    for spec, (method, _pattern, action) in zip(routes.ADMIN_ENDPOINTS, admin_api._ROUTES):
        assert (spec.method, action.__name__, spec.template.startswith(routes.ADMIN)) == (method, spec.name, True)


def test_coverage_reads_the_spec():
    for spec in routes.ENDPOINTS:
        assert coverage.QUERY.get(spec.key, ()) == spec.query_names
        assert coverage.DECISIONS.get(spec.key, {}) == dict(spec.decisions)
        assert set(spec.decisions) <= set(spec.errors), f"{spec.name}: a decision for a code it does not declare"


class _Recorder:
    kind = "recorder"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, method, path, query=None, body=None):
        self.sent.append((method, path))
        return {}

    def admin(self, method, path, body=None, query=None):
        self.sent.append((method, routes.ADMIN + path))
        return {}


def test_the_client_sends_only_to_declared_paths():
    from simulator.backends.base import AlmaClient
    recorder = _Recorder()
    client = AlmaClient(recorder)  # type: ignore[arg-type]
    client.get_po_line("POL-1")
    client.receive_item("POL-1", "23")
    client.update_portfolio("991", "53", {})
    client.test("conf", write=True)
    client.change_settings(strict=1)
    assert recorder.sent == [("GET", f"{routes.ALMA}/acq/po-lines/POL-1"),
                             ("POST", f"{routes.ALMA}/acq/po-lines/POL-1/items/23"),
                             ("PUT", f"{routes.ALMA}/bibs/991/portfolios/53"),
                             ("POST", f"{routes.ALMA}/conf/test"),
                             ("PUT", f"{routes.ADMIN}/settings")]
    for method, path in recorder.sent[:-1]:
        route, _, _ = handlers.find_route(method, path)
        assert route is not None


def test_a_path_needs_every_placeholder():
    assert routes.path("get_fund", fund_id="F1") == f"{routes.ALMA}/acq/funds/F1"
    with pytest.raises(TypeError, match="fund_id"):
        routes.path("get_fund")
    with pytest.raises(KeyError, match="no endpoint named"):
        routes.endpoint("get_fnd")
