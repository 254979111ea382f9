"""The package's import graph stays acyclic and every module imports on its own.

An import-linter style check, written with the standard library: the graph is read statically
(``ast``) from every ``import`` in every module, function-level ones included, because a lazy
import that closes a cycle still couples the modules it joins. Beside acyclicity, a few layers
must never reach up (``forbidden``). Then each module is imported in a fresh process, so an
import that works only because another module happened to be imported first is caught.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = "newsforensics"
SRC = Path(__file__).resolve().parents[1] / "src"

# (importer, imported): the importer, or any module under it, must not import the other at all.
FORBIDDEN = (
    ("newsforensics.pipeline", "newsforensics.stages"),      # stages are found through data/pipelines.toml
    ("newsforensics.serialize", "newsforensics.stages"),     # views are registered as data
    ("newsforensics.document", "newsforensics.pipeline"),
    ("newsforensics.views", "newsforensics.stages"),
    ("newsforensics.corpus.queries", "newsforensics.corpus.store"),  # reads never need the writer
    ("newsforensics.corpus.steps", "newsforensics.corpus.store"),
    ("newsforensics.corpus.settings", PACKAGE),
)


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".")[: len(module.split(".")) - (node.level - (1 if is_package else 0))]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    found = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports anywhere in its body."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text("utf-8"))
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name] |= _targets(name, path.name == "__init__.py", node, known)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_reads_relative_and_lazy_imports() -> None:
    graph = import_graph()
    assert "newsforensics.document" in graph["newsforensics.pipeline"]
    assert "newsforensics.corpus.queries" in graph["newsforensics.corpus.store"]


def test_import_graph_is_acyclic() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def _reaches(graph: dict[str, set[str]], start: str, target: str) -> list[str] | None:
    """A path of imports from ``start`` to ``target`` or a module under it, if there is one."""
    seen, frontier = {start}, [[start]]
    while frontier:
        path = frontier.pop()
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == target or nxt.startswith(target + "."):
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                frontier.append([*path, nxt])
    return None


@pytest.mark.parametrize(("importer", "imported"), FORBIDDEN)
def test_forbidden_imports(importer: str, imported: str) -> None:
    graph = import_graph()
    assert importer in graph, f"{importer} is not a module any more; update FORBIDDEN"
    if imported == PACKAGE:  # a leaf: it imports nothing of the package at all
        assert not graph[importer], f"{importer} imports {sorted(graph[importer])}"
        return
    path = _reaches(graph, importer, imported)
    assert path is None, f"{importer} reaches {imported}: {' → '.join(path or [])}"


def test_run_time_code_never_imports_training_code() -> None:
    """Training and calibration (``newsforensics.training``, torch where it trains) stay apart:
    only the CLI's train commands import them, on demand."""
    training = f"{PACKAGE}.training"
    offenders = {module: sorted(n for n in imported if n == training or n.startswith(training + "."))
                 for module, imported in import_graph().items()
                 if not module.startswith((training, f"{PACKAGE}.cli"))}
    assert not {m: n for m, n in offenders.items() if n}


# One fresh interpreter preloads the third-party libraries (the slow part of most imports, and
# not what is under test), then forks a child per module: each child starts with none of the
# package loaded, imports one module and reports (~15 CPU-s for every module instead of ~30).
_ISOLATED = textwrap.dedent("""
    import importlib, os, sys, traceback
    for name in sys.argv[2].split(","):
        try:
            importlib.import_module(name)
        except Exception:
            pass
    assert not any(m == "newsforensics" or m.startswith("newsforensics.") for m in sys.modules)
    running, failed = {}, []
    for name in sys.argv[1].split(","):
        if len(running) >= (os.cpu_count() or 1):
            pid, status = os.wait()
            if status:
                failed.append(running[pid])
            del running[pid]
        pid = os.fork()
        if pid == 0:
            try:
                importlib.import_module(name)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        running[pid] = name
    for pid, name in running.items():
        if os.waitpid(pid, 0)[1]:
            failed.append(name)
    print("FAILED:" + ",".join(failed))
""")



def _third_party(graph_paths: dict[str, Path]) -> list[str]:
    names: set[str] = set()
    for path in graph_paths.values():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] not in {PACKAGE, *sys.stdlib_module_names})


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_every_module_imports_in_isolation() -> None:
    found = modules()
    env = {**__import__("os").environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", _ISOLATED, ",".join(found), ",".join(_third_party(found))],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failed = result.stdout.strip().rpartition("FAILED:")[2]
    assert not failed, f"modules that fail to import on their own: {failed}\n{result.stderr[-3000:]}"
