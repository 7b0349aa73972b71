"""Architecture contracts: the layers import one way and the headless packages stay headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import sbyt.calc
import sbyt.core
import sbyt.io

HEADLESS = [sbyt.core, sbyt.calc, sbyt.io]


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


def test_import_linter_contracts(tmp_path):
    """import-linter's contracts (pyproject.toml) over a regular-package view of the checkout.

    grimp cannot follow setuptools' editable finder for the namespace package `sbyt`, so the
    test lays out `sbyt/` as symlinks to the design-card folders and lints that.
    """
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "sbyt"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for folder in ("console", "core", "calc", "io", "sql", "reports", "data"):
        (root / folder).symlink_to(repo / folder)
    res = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
                          " sys.exit(lint_imports_command())", str(repo / "pyproject.toml"), "--no-cache"],
                         capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]


def test_stdlib_io_is_not_shadowed():
    res = subprocess.run([sys.executable, "-c", "import io, sbyt.io; print(io.__file__); print(io.StringIO)"],
                         capture_output=True, text=True, cwd="/")
    assert res.returncode == 0, res.stderr
    assert "sbyt" not in res.stdout.splitlines()[0]
