"""Every command and command group has Russian help text."""

from __future__ import annotations

import re

from typer.main import get_command
from typer.testing import CliRunner

from sbyt.console.cli.main import app

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# Click's and Typer's own words that must never reach an operator
CLICK_ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "default:", "required",
                 "<int", "<str>", "<path>", "[OPTIONS]", "COMMAND [ARGS]", "Try '", "Error")


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
        assert res.output.startswith(f"Использование: sbyt {' '.join(path)}".rstrip() + " [ПАРАМЕТРЫ]"), path
        english = [w for w in CLICK_ENGLISH if w in res.output]
        assert not english, (path, english)
        text = (cmd.help or "") + (cmd.short_help or "")
        assert CYRILLIC.search(text), f"sbyt {' '.join(path)} has no Russian help"
        for param in cmd.params:
            if param.name in ("help",):
                continue
            if getattr(param, "param_type_name", "") == "option":
                assert CYRILLIC.search(param.help or ""), f"sbyt {' '.join(path)} {param.opts} has no help"
        seen += 1
    assert seen > 3


def _err(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    return res.exit_code, res.stderr


def test_usage_errors_in_russian():
    assert _err(["readings", "add"]) == (2, "Использование: sbyt readings add [ПАРАМЕТРЫ] {ACCOUNT} {VALUE}\n"
                                            "Справка: sbyt readings add -h\n\n"
                                            "Ошибка: Не указан аргумент ACCOUNT.\n")
    assert _err(["readings", "add", "--foo", "1"])[1].endswith("Ошибка: Нет такого параметра --foo.\n")
    assert _err(["readings", "add", "1", "x"])[1].endswith(
        "Ошибка: Недопустимое значение VALUE: ожидается целое число.\n")
    assert _err(["readings", "add", "1", "2", "--zone", "5"])[1].endswith(
        "Ошибка: Недопустимое значение --zone: должно быть не больше 3.\n")
    assert _err(["readings", "list", "1", "--format", "xx"])[1].endswith(
        "Ошибка: Недопустимое значение --format / -f: «xx» — нет такого значения; допустимы: table, csv, json.\n")
    assert _err(["readings", "add", "1", "2", "--zone"]) == (2, "Ошибка: У параметра --zone не указано значение.\n")
    assert _err(["readings", "add", "1", "2", "3"])[1].endswith("Ошибка: Лишние аргументы: 3.\n")
    assert _err(["nosuch"]) == (2, "Использование: sbyt [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...\n"
                                   "Справка: sbyt -h\n\nОшибка: Нет такой команды «nosuch».\n")
    assert _err(["readings", "ad"])[1].endswith("Ошибка: Нет такой команды «ad»; возможно, имелась в виду add.\n")


def test_help_page_in_russian():
    out = CliRunner().invoke(app, ["readings", "add", "-h"]).output
    assert "Аргументы:\n  ACCOUNT <текст>  Номер лицевого счёта (10 цифр).  [обязательный]\n" in out
    assert "\nПараметры:\n" in out and "[по\u00a0умолчанию: 1; 1<=x<=3]" in out
    assert "  -h, --help      Показать эту справку и выйти.\n" in out
    root = CliRunner().invoke(app, []).output          # no arguments: the help page
    assert root.startswith("Использование: sbyt [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...") and "\nКоманды:\n" in root
