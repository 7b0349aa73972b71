"""The XLSX of the turnover-balance sheet opens in LibreOffice and its totals equal the terminal's.

Needs `soffice` (Debian: libreoffice-calc-nogui); skipped without it.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# CSV filter: ',' separator, '"' quote, UTF-8 (76), from row 1, cell contents *as shown* (last token)
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_xlsx_totals_in_libreoffice_equal_the_terminal(mini_db, tmp_path):
    args = ["--db", str(mini_db), "report", "run", "turnover_by_account",
            "-p", "period_from=2026-10", "-p", "period_to=2026-11"]
    term = CliRunner().invoke(app, args)
    assert term.exit_code == 0, term.output
    total_line = next(line for line in term.stdout.splitlines() if "Итого" in line)
    terminal_totals = [c.strip().replace("\u00a0", "").replace(",", ".")
                       for c in total_line.strip("│ ").split("│")][3:]

    xlsx = tmp_path / "osv.xlsx"
    res = CliRunner().invoke(app, [*args, "--format", "xlsx", "--out", str(xlsx)])
    assert res.exit_code == 0, res.output
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", FILTER,
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "osv.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[3][0] == "Лицевой счёт"
    totals = rows[-1]
    assert totals[0] == "Итого"
    office_totals = [c.replace(",", "").replace("\u00a0", "") for c in totals[3:]]  # en-US «1,050.55» as shown
    assert office_totals == terminal_totals
    assert office_totals[-1] == "1235026.34"
