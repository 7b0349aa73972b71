"""A real terminal: `sbyt console` in tmux at 80×24, a person types an account number and Enter,
the card shows the account's balance — on the file, and as a client of a running `sbyt serve`.
Skipped where tmux is absent (Debian package: tmux)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from sbyt.core.money import format_rub
from sbyt.core.store import open_store
from sbyt.server.bench import start_server, stop_server

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")

SBYT = Path(sys.executable).with_name("sbyt")


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    pane = ""
    while time.monotonic() < deadline:
        pane = _tmux("capture-pane", "-p", "-t", session)
        if text in pane:
            return pane
        time.sleep(0.2)
    raise AssertionError(f"«{text}» did not appear on the screen:\n{pane}")


@pytest.mark.parametrize("served", [False, True], ids=["file", "server"])
def test_card_of_a_demo_account_shows_its_balance(demo_db, served):
    with open_store(demo_db) as st:
        number, holder = st.one("SELECT number, holder_name FROM account ORDER BY number LIMIT 1")
        balance = int(st.scalar("SELECT coalesce(sum(p.amount_kop), 0) FROM posting p JOIN account a"
                                " ON a.id = p.account_id WHERE a.number = ?", [number]))
    expected = (f"долг {format_rub(balance)} ₽" if balance > 0 else
                f"аванс {format_rub(-balance)} ₽" if balance < 0 else "Сальдо: 0,00 ₽")
    session = f"sbyt-smoke-{uuid.uuid4().hex[:8]}"
    server = start_server(demo_db) if served else None
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                    f"{SBYT} console --db {demo_db}"], check=True, env=env)
    try:
        _wait_for(session, "Номер ЛС, ФИО или адрес")    # with a server, the file is its: the console is a client
        for ch in number:                           # typed like a person, a key at a time
            _tmux("send-keys", "-t", session, "-l", ch)
            time.sleep(0.03)
        _wait_for(session, holder.split()[0])        # the live search found it
        _tmux("send-keys", "-t", session, "Enter")
        pane = _wait_for(session, "Сальдо")
        assert f"ЛС {number}" in pane
        assert expected.replace("\u00a0", " ") in pane.replace("\u00a0", " ")
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 20                # the console has quit (and let go of the file)
        while subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            assert time.monotonic() < deadline, "the console did not quit on Ctrl+Q"
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        if server is not None:
            stop_server(server)
    with open_store(demo_db) as st:                  # the server opened the card for the console
        assert st.all("SELECT subject FROM access_log WHERE event = 'pd_view' AND command = 'console load_card'") \
            == ([(number,)] if served else [])
