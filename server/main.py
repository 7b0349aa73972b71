"""The `sbyt` program: a client of the store's server when one runs, else the commands themselves.

`run()` is the console script. If a server answers for the store (`--db`, $SBYT_DB, or
$SBYT_SERVER with $SBYT_TOKEN), the command line goes to it and runs there as this user; otherwise
the same commands open the file as a single user. The console (`sbyt console`) runs here either way,
its services on the server when one runs (`sbyt.server.remote`). Deciding costs only this module's light imports:
the commands themselves are imported only when they run here.
"""

from __future__ import annotations

import sys

from sbyt.server.address import LOCAL_ONLY, target


def run() -> None:
    argv = sys.argv[1:]
    rest = strip_db(argv)
    words = [a for a in rest if not a.startswith("-")]
    if words and words[0] == "console":
        where = target(_console_db(argv[argv.index("console") + 1:]) + argv[:argv.index("console")])
        if where is not None:                   # the console as a client of the server
            from sbyt.console.app import SbytConsole
            from sbyt.server.remote import RemoteBackend

            SbytConsole(backend=RemoteBackend(where)).run()
            return
    if words and words[0] not in LOCAL_ONLY:
        where = target(argv)
        if where is not None:
            from sbyt.server.client import forward

            sys.exit(forward(where, rest))
    from sbyt.server.serve import app

    app(prog_name="sbyt")


def _console_db(args: list[str]) -> list[str]:
    """`sbyt console --db PATH` names the store after the command: as the root option."""
    for i, a in enumerate(args):
        if a == "--db" and i + 1 < len(args):
            return ["--db", args[i + 1]]
        if a.startswith("--db="):
            return [a]
    return []


def strip_db(argv: list[str]) -> list[str]:
    """The command line without the root `--db` (the server knows its store)."""
    out, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a == "--db" and not any(not x.startswith("-") for x in argv[:i]):
            skip = True
            continue
        if a.startswith("--db=") and not any(not x.startswith("-") for x in argv[:i]):
            continue
        out.append(a)
    return out
