"""Typer/Click's own texts in Russian: the help page and the usage errors.

The Click that Typer vendors writes its texts in English and does not go through gettext («Usage:»,
«Show this message and exit.», «Missing argument», «No such option», «Invalid value for …», «Try …
for help», «Error:»), so no message catalogue can reach them. This module renders them itself:

* `HelpFormatter` — the help page: «Использование:», section titles, the help option, the type
  hints and the «[default: …]» / «[required]» notes;
* `localize(command)` — every command of the tree gets the Russian context (hence the formatter) and
  Russian placeholders in the usage line: «[ПАРАМЕТРЫ]», «КОМАНДА [АРГУМЕНТЫ]...»;
* `show_usage_error(exc)` — a usage error as «Использование: …», «Справка: sbyt … -h» and
  «Ошибка: …» with the message rebuilt in Russian from the exception (unknown texts are kept).

`sbyt.console.cli.main` applies both to the root command, so every command and test sees them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from typer._click import core as click_core
from typer._click import exceptions as click_exc
from typer._click.formatting import HelpFormatter as _ClickHelpFormatter

USAGE = "Использование: "
OPTIONS_METAVAR = "[ПАРАМЕТРЫ]"
SUBCOMMAND_METAVAR = "КОМАНДА [АРГУМЕНТЫ]..."

HEADINGS = {"Options": "Параметры", "Arguments": "Аргументы", "Commands": "Команды"}

# Texts inside help rows (the option's description column and the type hints of the first column).
_HELP_TEXTS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"<list\[(.+?)\]>"), r"<\1>…"),
    (re.compile(r"Show this message and exit\."), "Показать эту справку и выйти."),
    (re.compile(r"\[default: "), "[по\u00a0умолчанию: "),
    (re.compile(r"; default: "), "; по\u00a0умолчанию: "),
    (re.compile(r"\[required\]"), "[обязательный]"),
    (re.compile(r"; required\]"), "; обязательный]"),
    (re.compile(r"<int range>"), "<целое>"),
    (re.compile(r"<float range>"), "<число>"),
    (re.compile(r"<int>"), "<целое>"),
    (re.compile(r"<float>"), "<число>"),
    (re.compile(r"<str>"), "<текст>"),
    (re.compile(r"<path>"), "<путь>"),
    (re.compile(r"<file>"), "<файл>"),
    (re.compile(r"<bool>"), "<да/нет>"),
]


def _help_text(text: str) -> str:
    for pattern, repl in _HELP_TEXTS:
        text = pattern.sub(repl, text)
    return text


class HelpFormatter(_ClickHelpFormatter):
    """Click's help formatter with Russian headings, usage prefix and fixed phrases."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_help_text(a), _help_text(b)) for a, b in rows], col_max, col_spacing)


class Context(click_core.Context):
    formatter_class = HelpFormatter


def localize(command: click_core.Command) -> None:
    """The Russian context and usage placeholders for `command` and every command below it."""
    command.context_class = Context
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    for sub in (getattr(command, "commands", None) or {}).values():
        localize(sub)


# ------------------------------------------------------------------------------------- usage errors
def _name(hint: str | Sequence[str] | None) -> str:
    """«'--format' / '-f'» -> «--format / -f» (Click quotes the names)."""
    if hint is None:
        return ""
    parts = [hint] if isinstance(hint, str) else list(hint)
    return " / ".join(p.strip("'\"") for p in " / ".join(parts).split(" / "))


def _hint(exc: click_exc.BadParameter) -> str:
    if exc.param_hint is not None:
        return _name(exc.param_hint)
    if exc.param is not None:
        return _name(exc.param.get_error_hint())
    return ""


def _quoted_list(text: str) -> str:
    """«'table', 'csv', 'json'» -> «table, csv, json»."""
    return ", ".join(x.strip().strip("'\"") for x in text.split(","))


# Texts of Typer's value checks (pydantic's wording) and of Click's parser, in Russian.
_VALUE_TEXTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?:Value error, )?'(.*)' is not one of (.+?)\.?$", re.S),
     lambda m: f"«{m.group(1)}» — нет такого значения; допустимы: {_quoted_list(m.group(2))}"),
    (re.compile(r"^Input should be a valid integer.*$", re.S), lambda m: "ожидается целое число"),
    (re.compile(r"^Input should be a valid number.*$", re.S), lambda m: "ожидается число"),
    (re.compile(r"^Input should be a valid boolean.*$", re.S), lambda m: "ожидается да или нет"),
    (re.compile(r"^Input should be a valid date.*$", re.S), lambda m: "ожидается дата"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), lambda m: f"должно быть не больше {m.group(1)}"),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), lambda m: f"должно быть не меньше {m.group(1)}"),
    (re.compile(r"^Input should be less than (.+)$"), lambda m: f"должно быть меньше {m.group(1)}"),
    (re.compile(r"^Input should be greater than (.+)$"), lambda m: f"должно быть больше {m.group(1)}"),
    (re.compile(r"^(?:Path|File|Directory) '(.*)' does not exist\.$"), lambda m: f"«{m.group(1)}» не существует"),
    (re.compile(r"^(?:Path|File|Directory) '(.*)' is a file\.$"), lambda m: f"«{m.group(1)}» — файл, а нужен каталог"),
    (re.compile(r"^(?:Path|File|Directory) '(.*)' is a directory\.$"),
     lambda m: f"«{m.group(1)}» — каталог, а нужен файл"),
    (re.compile(r"^(?:Path|File|Directory) '(.*)' is not readable\.$"), lambda m: f"«{m.group(1)}» нельзя прочитать"),
    (re.compile(r"^(?:Path|File|Directory) '(.*)' is not writable\.$"), lambda m: f"в «{m.group(1)}» нельзя записать"),
]

_USAGE_TEXTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^No such command '(.*)'\.(?: Did you mean (.+)\?)?$", re.S),
     lambda m: f"нет такой команды «{m.group(1)}»"
               + (f"; возможно, имелась в виду {_quoted_list(m.group(2))}" if m.group(2) else "") + "."),
    (re.compile(r"^Missing command\.$"), lambda m: "не указана команда."),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), lambda m: f"лишние аргументы: {m.group(1)}."),
    (re.compile(r"^Got unexpected extra argument\(s\) \((.*)\)$", re.S),
     lambda m: f"лишние аргументы: {m.group(1)}."),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), lambda m: f"у параметра {m.group(1)} не указано значение."),
    (re.compile(r"^Option '(.*)' requires (\d+) arguments\.$"),
     lambda m: f"у параметра {m.group(1)} должно быть значений: {m.group(2)}."),
    (re.compile(r"^Option '(.*)' does not take a value\.$"), lambda m: f"параметр {m.group(1)} не принимает значения."),
    (re.compile(r"^Argument '(.*)' takes (\d+) values\.$"),
     lambda m: f"аргумент {m.group(1)} должен иметь значений: {m.group(2)}."),
]


def _translate(text: str, table: Iterable[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]) -> str:
    for pattern, repl in table:
        m = pattern.match(text)
        if m:
            return repl(m)
    return text


def message(exc: click_exc.ClickException) -> str:
    """The Russian text of a Click usage error (without «Ошибка:»)."""
    if isinstance(exc, click_exc.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        what = "аргумент" if kind == "argument" else "параметр"
        name = _hint(exc)
        return f"не указан {what} {name}." if name else f"не указан {what}."
    if isinstance(exc, click_exc.NoSuchOption):
        text = f"нет такого параметра {exc.option_name}"
        if exc.possibilities:
            text += f"; возможно, имелся в виду {', '.join(sorted(exc.possibilities))}"
        return text + "."
    if isinstance(exc, click_exc.BadParameter):
        name = _hint(exc)
        value = _translate(exc.message, _VALUE_TEXTS)
        return f"недопустимое значение {name}: {value}." if name else f"недопустимое значение: {value}."
    if isinstance(exc, click_exc.FileError):
        return f"не удалось открыть файл «{exc.ui_filename}»: {exc.message}."
    return _translate(exc.message, _USAGE_TEXTS)


def show_usage_error(exc: click_exc.ClickException, out: Any = None) -> None:
    """What Click's `exc.show()` prints, in Russian, to stderr."""
    out = sys.stderr if out is None else out
    if isinstance(exc, click_exc.NoArgsIsHelpError):
        exc.show(out)                       # the help page itself (already Russian)
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        print(ctx.get_usage(), file=out)
        if ctx.command.get_help_option(ctx) is not None:
            print(f"Справка: {ctx.command_path} {ctx.help_option_names[0]}", file=out)
        print(file=out)
    text = message(exc)
    print(f"Ошибка: {text[:1].upper()}{text[1:]}", file=out, flush=True)
