"""Every command and command group has Russian help text."""

from __future__ import annotations

import re

from typer.main import get_command
from typer.testing import CliRunner

from sbyt.console.cli.main import app

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _walk(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _walk(sub, path + (name,))


def test_every_command_has_russian_help():
    root = get_command(app)
    runner = CliRunner()
    seen = 0
    for path, cmd in _walk(root):
        res = runner.invoke(app, [*path, "--help"])
        assert res.exit_code == 0, (path, res.output)
        text = (cmd.help or "") + (cmd.short_help or "")
        assert CYRILLIC.search(text), f"sbyt {' '.join(path)} has no Russian help"
        for param in cmd.params:
            if param.name in ("help",):
                continue
            if getattr(param, "param_type_name", "") == "option":
                assert CYRILLIC.search(param.help or ""), f"sbyt {' '.join(path)} {param.opts} has no help"
        seen += 1
    assert seen > 3
