"""A non-editable install carries every package and its data, and never shadows the stdlib `io`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_install_imports(tmp_path):
    # build from a copy of the tracked files, so the checkout gets no build/ or egg-info debris
    import shutil

    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    src = tmp_path / "src"
    for name in files:
        if not name or name.startswith("tests/"):
            continue
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, src / name)
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                          "-w", str(tmp_path / "wheel"), str(src)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("sbyt-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sbyt/sql/schema/001_core.sql" in names
    assert "sbyt/data/key_rates.csv" in names and "sbyt/data/dated_rules.csv" in names
    assert "sbyt/data/xsd/ON_NSCHFDOPPR_1_997_01_05_03_05.xsd" in names      # io/edo_xml.py validates against it
    assert not any(n.startswith(("io/", "core/", "calc/")) for n in names)
    target = tmp_path / "site"
    res = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                          str(wheel)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    code = ("import sys; sys.path.insert(0, %r); "
            "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
            "import io, sbyt.io, sbyt.core, sbyt.calc; "
            "assert sbyt.core.__file__.startswith(%r), sbyt.core.__file__; "
            "assert io.__file__.endswith('/io.py') and 'sbyt' not in io.__file__; "
            "from sbyt.core.store import migrations; print(len(migrations()))") % (str(target), str(target))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert res.returncode == 0, res.stderr[-2000:]
    assert int(res.stdout) >= 1
