"""The kernels' tests once more with `NUMBA_DISABLE_JIT=1`: the kernels run as the Python they are
written in, so a coverage run sees their lines and a Numba-only behaviour (wrap-around, a typed
container) cannot hide behind the compiler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
KERNEL_TESTS = ["calc/test_kernels.py", "test_rules.py", "odn/test_odn_kernel.py", "penalty/test_kernel.py",
                "payments/test_distribution_reference.py"]


def test_kernel_tests_pass_without_jit():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", *(str(TESTS / t) for t in KERNEL_TESTS)],
                         capture_output=True, text=True, env=env, cwd=TESTS.parent)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]     # 5 = nothing collected
