"""Architecture contracts: the layers import one way and the headless packages stay headless."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import sbyt.calc
import sbyt.core
import sbyt.io

HEADLESS = [sbyt.core, sbyt.calc, sbyt.io]
REPO = Path(__file__).resolve().parents[1]


def _env(root: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}


@pytest.fixture
def sbyt_tree(tmp_path: Path) -> Path:
    """A directory holding `sbyt/` as a regular package of symlinks to the design-card folders.

    grimp cannot follow setuptools' editable finder for the namespace package `sbyt`, so the
    import graph is read from this view of the checkout (run with PYTHONPATH=the directory).
    """
    root = tmp_path / "sbyt"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for folder in ("server", "console", "core", "calc", "io", "sql", "reports", "data"):
        (root / folder).symlink_to(REPO / folder)
    return tmp_path


def _modules(pkg) -> list[str]:
    return [pkg.__name__] + [m.name for m in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + ".")]


@pytest.mark.parametrize("module", [m for pkg in HEADLESS for m in _modules(pkg)])
def test_headless_module_never_loads_ui_libraries(module):
    code = (
        "import sys, importlib; importlib.import_module(%r); "
        "bad = [m for m in ('textual', 'rich', 'typer') if m in sys.modules]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)" % module
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, f"{module} imports {res.stdout.strip() or res.stderr[-500:]}"


def test_import_linter_contracts(sbyt_tree):
    """import-linter's contracts (pyproject.toml) over a regular-package view of the checkout (`sbyt_tree`)."""
    res = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
                          " sys.exit(lint_imports_command())", str(REPO / "pyproject.toml"), "--no-cache"],
                         capture_output=True, text=True, cwd=sbyt_tree, env=_env(sbyt_tree))
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]


def test_stdlib_io_is_not_shadowed():
    res = subprocess.run([sys.executable, "-c", "import io, sbyt.io; print(io.__file__); print(io.StringIO)"],
                         capture_output=True, text=True, cwd="/")
    assert res.returncode == 0, res.stderr
    assert "sbyt" not in res.stdout.splitlines()[0]


# The import graph of a package as grimp reads it: [importer, imported, [line numbers]] for every
# direct import, those inside functions included, those under `if TYPE_CHECKING:` left out (they are
# never executed, and calc.context uses one to name the ОДН and penalty types that import it).
_IMPORTS = """\
import json, sys
import grimp
graph = grimp.build_graph(sys.argv[1], cache_dir=None, exclude_type_checking_imports=True)
print(json.dumps([[m, t, sorted(d["line_number"] for d in graph.get_import_details(importer=m, imported=t))]
                  for m in sorted(graph.modules) for t in sorted(graph.find_modules_directly_imported_by(m))]))
"""


def _import_cycles(root: Path, package: str) -> list[str]:
    """One import cycle per strongly connected component of `package`'s modules (under `root`) that
    has one: the shortest way from its first module back to itself, each step with the line that
    imports the next module («a:3 -> b:12 -> a»). An import of a package counts as an import of its
    `__init__` only; the implicit import of a module's parent packages is not an edge."""
    res = subprocess.run([sys.executable, "-c", _IMPORTS, package], capture_output=True, text=True,
                         cwd=root, env=_env(root))
    assert res.returncode == 0, res.stderr[-2000:]
    graph: dict[str, list[str]] = {}
    lines: dict[tuple[str, str], list[int]] = {}
    for importer, imported, numbers in json.loads(res.stdout):
        graph.setdefault(importer, []).append(imported)
        graph.setdefault(imported, [])
        lines[importer, imported] = numbers

    def reach(start: str) -> set[str]:   # modules reachable in one step or more
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
        return seen

    reachable = {m: reach(m) for m in graph}
    cycles: list[str] = []
    done: set[str] = set()
    for start in sorted(graph):
        if start in done or start not in reachable[start]:
            continue
        component = {m for m in reachable[start] if start in reachable[m]}
        done |= component
        prev: dict[str, str] = {}
        frontier = [start]
        while start not in prev:   # breadth first, inside the component, until back at the start
            following = []
            for a in frontier:
                for b in graph[a]:
                    if b in component and b not in prev:
                        prev[b] = a
                        following.append(b)
            frontier = following
        path = [start]
        while len(path) == 1 or path[-1] != start:
            path.append(prev[path[-1]])
        path.reverse()
        cycles.append(" -> ".join([f"{a}:{lines[a, b][0]}" for a, b in zip(path, path[1:])] + [start]))
    return cycles


def test_no_import_cycles(sbyt_tree):
    """No module of `sbyt` imports itself back through others, at import time or inside a function."""
    cycles = _import_cycles(sbyt_tree, "sbyt")
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_import_cycles_are_found(tmp_path):
    pkg = tmp_path / "cyclic"
    pkg.mkdir()
    files = {
        "__init__.py": "from cyclic.a import x\nfrom cyclic.b import y\n",
        "a.py": "import cyclic\nx = 1\n",                                   # back to the package: a cycle
        "b.py": "from cyclic import c\ny = 2\n",                            # the submodule c, not the package
        "c.py": "def f():\n    from cyclic.b import y\n    return y\n",    # back to b inside a function
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cyclic.e import z\n",
        "e.py": "import cyclic.d\nz = 3\n",                                 # d imports e for types only
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    assert _import_cycles(tmp_path, "cyclic") == ["cyclic:1 -> cyclic.a:1 -> cyclic", "cyclic.b:1 -> cyclic.c:2 -> cyclic.b"]
