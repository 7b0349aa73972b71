"""Shared fixtures: a fresh store per test and the path to the shared real-world samples."""

from __future__ import annotations

from pathlib import Path

import shutil

import pytest

from sbyt.core.reference import install_reference
from sbyt.core.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def store(db_path: Path) -> Store:
    st = open_store(db_path)
    install_reference(st)
    yield st
    st.close()


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.exists():
        pytest.skip("../shared/samples is not beside the checkout")
    return SAMPLES


DEMO_ACCOUNTS = 2000
DEMO_MONTHS = 2


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo region per test session (per xdist worker), copied for each test."""
    from sbyt.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(path) as st:
        build_demo(st, DEMO_ACCOUNTS, seed=7, months=DEMO_MONTHS)
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a 2 000-account demo store: two closed months and the open, calculated 2026-11."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(_demo_template, path)
    return path
