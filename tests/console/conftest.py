"""Console fixtures: a small synthetic store (200 accounts) built by bulk SQL once per session and
copied per test; see storegen.py for what it holds."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from pathlib import Path

import pytest

from sbyt.core.store import Store, open_store

HERE = Path(__file__).parent
AS_OF = date(2026, 11, 27)          # the day the expected figures below are computed for


def _storegen():
    spec = importlib.util.spec_from_file_location("console_storegen", HERE / "storegen.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


storegen = _storegen()


@pytest.fixture(scope="session")
def _console_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("console") / "template.duckdb"
    storegen.build_file(path, 200)
    return path


@pytest.fixture
def console_db(_console_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "console.duckdb"
    shutil.copyfile(_console_template, path)
    return path


@pytest.fixture
def cstore(console_db: Path) -> Store:
    st = open_store(console_db)
    yield st
    st.close()


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    """A settlement-centre registry in the open month: one known account, one unknown."""
    path = tmp_path / "reestr_15.txt"
    path.write_text("РЕЕСТР;7800000000;ЕИРЦ;15;20.11.2026;77;20.11.2026\n"
                    "1500000002;617,00;20.11.2026;10.2026;Петров И.П.;Оплата;1\n"
                    "9999999999;100,00;20.11.2026;10.2026;Неизвестный;Оплата;2\n"
                    "ИТОГО;2;717,00\n", encoding="utf-8")
    return path
