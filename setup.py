"""Package discovery for the design-card layout.

The top-level folders `server/ console/ core/ calc/ io/ sql/ reports/ data/` are installed as
`sbyt.console`, `sbyt.core`, ... through setuptools' package-dir mapping; `sbyt` itself is an
implicit namespace package, so the checkout root never becomes an import root and the standard
library's `io` is never shadowed. Everything else lives in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

FOLDERS = ["server", "console", "core", "calc", "io", "sql", "reports", "data"]
ROOT = Path(__file__).parent

packages: list[str] = []
package_dir: dict[str, str] = {}
for folder in FOLDERS:
    package_dir[f"sbyt.{folder}"] = folder
    packages.append(f"sbyt.{folder}")
    packages += [f"sbyt.{folder}.{sub}" for sub in find_packages(str(ROOT / folder))]

setup(packages=packages, package_dir=package_dir)
