"""The domains react to each other through events, so the code's import graph has no cycles: not between
modules of app/ (imports inside functions count), and dispatch/ stays a pure library."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[3]
REACTING_DOMAINS = ("checklists", "pricing", "sla", "warranty", "feedback", "planning")


def _modules() -> dict[str, pathlib.Path]:
    mods = {}
    for path in (ROOT / "app").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


def _imports(path: pathlib.Path) -> set[str]:
    """Every module named by an import anywhere in the file, as `from x import y` gives x.y or x."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for me, path in mods.items():
        edges = {resolve(n) for n in _imports(path)}
        graph[me] = {o for o in edges if o and o != me and not o.startswith(me + ".") and not me.startswith(o + ".")}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_no_module_of_app_sits_on_an_import_cycle():
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_jobs_domain_imports_none_of_the_domains_that_react_to_it():
    graph = _graph()
    for mod, edges in graph.items():
        if mod.startswith("app.jobs"):
            bad = sorted(e for e in edges if e.split(".")[1] in REACTING_DOMAINS or e.startswith("app.orders.service"))
            assert bad == [], f"{mod} imports {bad}"


def test_dispatch_imports_nothing_from_the_service_the_web_or_the_orm():
    for path in (ROOT / "dispatch").rglob("*.py"):
        roots = {n.split(".")[0] for n in _imports(path)}
        assert not roots & {"app", "fastapi", "starlette", "sqlalchemy", "geoalchemy2", "alembic"}, path
