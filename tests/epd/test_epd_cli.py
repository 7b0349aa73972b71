"""`sbyt epd print`: the PDF of a selection and the exact refusals."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import Store


def _run(store: Store, *args: str):  # noqa: ANN202
    path = store.path
    store.close()
    return CliRunner().invoke(app, ["--db", str(path), "epd", "print", *args])


def test_print_default_period(epd_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "epd.pdf"
    res = _run(epd_store, "--out", str(out))
    assert res.exit_code == 0, res.output
    assert re.search(r"ЕПД за 10\.2026: 3 стр\. в .*epd\.pdf за [\d.]+ с \(\d+ стр\./с\)\.", res.output)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + \
        len(re.findall(rb"/Type /Page[^s]", data)) >= 3


def test_print_refusals(epd_store: Store, tmp_path: Path) -> None:
    path = epd_store.path
    epd_store.close()
    runner = CliRunner()
    base = ["--db", str(path), "epd", "print", "--out", str(tmp_path / "x.pdf")]
    res = runner.invoke(app, [*base, "--period", "2026-11"])
    assert res.exit_code == 3
    assert "Ошибка: Период 11.2026 не закрыт: ЕПД формируется только за закрытый период." in res.output
    res = runner.invoke(app, [*base, "--building", "NOPE"])
    assert res.exit_code == 4 and "Ошибка: Дом с кодом NOPE не найден." in res.output
    res = runner.invoke(app, [*base, "--account", "9999999999"])
    assert res.exit_code == 4 and "Ошибка: Лицевой счёт 9999999999 не найден." in res.output
    res = runner.invoke(app, [*base, "--period", "13.2026"])
    assert res.exit_code == 1 and "Ошибка: не период: «13.2026»" in res.output
