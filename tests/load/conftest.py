"""Fixtures of the loading tests: the templates written to a directory, a loader helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbyt.console.cli.load import write_templates


@pytest.fixture
def tpl(tmp_path: Path) -> Path:
    d = tmp_path / "tpl"
    write_templates(d)
    return d
