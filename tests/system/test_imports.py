"""The import graph, read with `ast`: the deployed runtime never reaches the tools, and nothing imports in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
ROOTS = (REPO_DIR / "functions", REPO_DIR)  # where `main`/`spravka` and `spravka_tools` are imported from
PACKAGES = ("main", "spravka", "spravka_tools")


def modules() -> dict[str, Path]:
    """Every module of the two packages and main.py, by dotted name."""
    found: dict[str, Path] = {"main": REPO_DIR / "functions" / "main.py"}
    for root, package in ((REPO_DIR / "functions", "spravka"), (REPO_DIR, "spravka_tools")):
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported_names(name: str, path: Path) -> Iterator[str]:
    """What the module imports, anywhere in its body (a function-level import is still an edge)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """module -> the project's modules it imports (`from a import b` counts as a.b when b is a module)."""
    names = modules()
    return {name: {m for m in imported_names(name, path) if m in names and m != name} for name, path in names.items()}


def folder_of(module: str) -> str:
    """The sub-package a module belongs to (spravka.ask.match -> spravka.ask); a top-level module stands alone."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_known_edges() -> None:
    graph = import_graph()
    assert "spravka.http" in graph["main"]
    assert "spravka.ask.service" in graph["main"]
    assert "spravka_tools.cli" in graph
    assert "spravka.compact_json" in graph["spravka.http"]  # `from spravka import compact_json`


def test_nothing_under_functions_imports_the_tools() -> None:
    graph = import_graph()
    runtime = [name for name in graph if name == "main" or name.split(".")[0] == "spravka"]
    assert [
        (name, sorted(t for t in graph[name] if t.startswith("spravka_tools")))
        for name in runtime
        if any(t.startswith("spravka_tools") for t in graph[name])
    ] == []


def test_every_module_under_functions_is_reached_from_main() -> None:
    """functions/ is exactly what the functions run: each of its modules is imported on some entry point's path."""
    graph = import_graph()
    seen: set[str] = set()
    todo = ["main"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # importing a.b.c runs a and a.b
        todo.extend(graph[name])
    assert sorted(n for n in graph if n.split(".")[0] in ("main", "spravka") and n not in seen) == []


def test_no_module_imports_in_a_circle() -> None:
    assert cycles(import_graph()) == []


def test_no_folder_imports_in_a_circle() -> None:
    """Folder level: spravka.questions may use spravka.store, but then store must not use questions."""
    folders: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        folders.setdefault(folder_of(name), set()).update(
            folder_of(t) for t in targets if folder_of(t) != folder_of(name)
        )
    assert cycles(folders) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
