"""Shared fixtures: a fresh store per test and the path to the shared real-world samples."""

from __future__ import annotations

from pathlib import Path

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
