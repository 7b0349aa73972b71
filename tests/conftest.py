"""Shared fixtures: a fresh store per test and the path to the shared real-world samples."""

from __future__ import annotations

from pathlib import Path

import functools
import shutil

import pytest
import typer.main
import typer.testing

from sbyt.core.reference import install_reference
from sbyt.core.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]

# Debian packages behind the tests that check what a person sees: rendered PDFs (pdftoppm,
# pdftotext), the QR code read back (zbarimg), the XLSX opened by LibreOffice (soffice), the
# console in a real terminal (tmux). Tests skip when a tool is absent; on CI (root, apt-get
# reachable) the test set-up installs them first.
TOOL_PACKAGES = {"pdftoppm": "poppler-utils", "zbarimg": "zbar-tools", "soffice": "libreoffice-calc-nogui",
                 "tmux": "tmux"}


def pytest_configure(config: pytest.Config) -> None:
    import os
    import shutil
    import subprocess

    if hasattr(config, "workerinput") or os.environ.get("CI") != "true" or os.geteuid() != 0:
        return
    missing = sorted({pkg for tool, pkg in TOOL_PACKAGES.items() if shutil.which(tool) is None})
    if not missing or shutil.which("apt-get") is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env,
                   capture_output=True, timeout=1200)
SAMPLES = REPO.parent / "shared" / "samples"

# Property tests: their references are exact (integers or `Fraction`), so any seed must pass. On CI
# the examples are derived from the test itself (derandomize) and no example database is kept: the
# same commit gives the same verdict on every run; local runs keep exploring new random examples.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if __import__("os").environ.get("CI") == "true":
    _hypothesis_settings.load_profile("ci")
# `tests/test_without_jit.py` runs the kernels' tests again as plain Python (NUMBA_DISABLE_JIT=1),
# ~30 times slower: there every property test takes at most this profile's examples (on CI still
# derandomized). The compiled kernels take all their examples in the suite itself.
_hypothesis_settings.register_profile("nojit", _hypothesis_settings.default, max_examples=30)
if __import__("os").environ.get("NUMBA_DISABLE_JIT") == "1":
    _hypothesis_settings.load_profile("nojit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the «nojit» profile a test's own `@settings(max_examples=...)` is capped at the profile's."""
    import os

    if os.environ.get("NUMBA_DISABLE_JIT") != "1":
        return
    cap = _hypothesis_settings.get_profile("nojit").max_examples
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)     # what @settings gave @given
        if getattr(test, "is_hypothesis_test", False) and own is not None and own.max_examples > cap:
            test._hypothesis_internal_use_settings = _hypothesis_settings(own, max_examples=cap)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store with the shipped reference data, made once per test session (per xdist worker)
    and copied for each test: creating one (the migrations, `install_reference`) costs ~1 s."""
    path = tmp_path_factory.mktemp("store") / "template.duckdb"
    with open_store(path) as st:
        install_reference(st)
    return path


@pytest.fixture
def store(db_path: Path, store_template: Path) -> Store:
    """A new store (as `sbyt init` makes it) at `db_path`, open."""
    shutil.copyfile(store_template, db_path)
    st = open_store(db_path)
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
    from sbyt.calc.demo_cycle import run_demo_cycle
    from sbyt.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(path) as st:
        build_demo(st, DEMO_ACCOUNTS, seed=7, months=DEMO_MONTHS)
        run_demo_cycle(st, DEMO_MONTHS, seed=7)
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a 2 000-account demo store: two closed months and the open, calculated 2026-11."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(_demo_template, path)
    return path


TODAY = "2026-12-05"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """«Today» of every test (`sbyt.core.clock`, e.g. payment days after today are refused): a fixed
    day, never the real date."""
    monkeypatch.setenv("SBYT_TODAY", TODAY)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test of a module that drives the CLI (it imports `CliRunner`) runs twice: on the file
    and through a server (`tests/server_mode.py`); `@pytest.mark.file_only` tests (those that start a
    server of their own) run once."""
    if "cli_mode" in metafunc.fixturenames and "CliRunner" in vars(metafunc.module) \
            and metafunc.definition.get_closest_marker("file_only") is None:
        metafunc.parametrize("cli_mode", ["file", "server"], indirect=True)
    elif "console_mode" in metafunc.fixturenames and "SbytConsole" in vars(metafunc.module) \
            and metafunc.definition.get_closest_marker("file_only") is None:
        metafunc.parametrize("console_mode", ["file", "server"], indirect=True)


@functools.cache
def _server_mode():  # noqa: ANN202
    """`tests/server_mode.py`, loaded once per process (it keeps the `sbyt` click command built once)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sbyt_tests_server_mode", REPO / "tests" / "server_mode.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cached_get_command(typer_app):  # noqa: ANN001, ANN202
    """`typer.main.get_command` for `CliRunner.invoke`, built once per app (typer rebuilds the whole
    click tree on every call, ~50 ms a command of a test); `sbyt serve` too builds it once for all
    its jobs. An app whose registered commands or groups changed is built again."""
    key = id(typer_app)
    shape = _app_shape(typer_app)
    hit = _COMMANDS.get(key)
    if hit is None or hit[0] is not typer_app or hit[1] != shape:
        hit = _COMMANDS[key] = (typer_app, shape, _typer_get_command(typer_app))
    return hit[2]


def _app_shape(typer_app) -> tuple:  # noqa: ANN001
    return (tuple(id(c) for c in typer_app.registered_commands),
            tuple((id(g), _app_shape(g.typer_instance)) for g in typer_app.registered_groups),
            id(typer_app.registered_callback))


_COMMANDS: dict = {}


@pytest.fixture(autouse=True)
def cli_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """«file»: commands open the store themselves; «server»: they are clients of a server of it."""
    mode = getattr(request, "param", "file")
    if mode == "server":
        from typer.testing import CliRunner

        monkeypatch.setattr(CliRunner, "invoke", _server_mode().invoke_through_server)
    return mode


@pytest.fixture(autouse=True)
def console_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """«file»: the console opens the store itself; «server»: a console made from a file is a client
    of a real server of it (`tests/server_mode.py: ServedBackend`)."""
    mode = getattr(request, "param", "file")
    if mode == "server":
        from sbyt.console.app import SbytConsole

        module = _server_mode()
        original = SbytConsole.__init__
        made: list = []

        def served(self, db=None, *, store=None, backend=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
            if backend is None and store is None and db is not None:
                backend = module.ServedBackend(db)
                made.append(backend)
            original(self, db, store=store, backend=backend, **kwargs)

        monkeypatch.setattr(SbytConsole, "__init__", served)
        yield mode
        for backend in made:
            backend.close()
        return
    yield mode


_typer_get_command = typer.main.get_command
typer.testing._get_command = _cached_get_command


class SmtpHandler:
    """A local SMTP server's handler (aiosmtpd): keeps the messages, refuses «refuse@…» recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        if address.startswith("refuse@"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(unused_port: int):
    """(controller, handler) of a real SMTP server on localhost for e-mail delivery tests."""
    controller = pytest.importorskip("aiosmtpd.controller")
    handler = SmtpHandler()
    ctl = controller.Controller(handler, hostname="127.0.0.1", port=unused_port)
    ctl.start()
    yield ctl, handler
    ctl.stop()
