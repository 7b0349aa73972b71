"""The `sbyt` command: a thin Typer shell over the services.

Every module in `sbyt.console.cli` that defines `register(app)` adds its commands or command
group; discovery keeps command groups independent of each other (one module per group).
Data goes to stdout, messages and progress bars to stderr; exit codes are in `sbyt.core.errors`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from typer.core import TyperGroup

from sbyt.console.cli import common
from sbyt.core.errors import SbytError


class _Root(TyperGroup):
    """Turns service errors into `Ошибка: ...` on stderr and their exit code, for every command
    (also under CliRunner in tests), so that no operator ever sees a traceback for them; renders
    Typer/Click's own help and usage errors in Russian (`sbyt.console.cli._click_ru`)."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature (Typer vendors click)
        try:
            return super().invoke(ctx)
        except SbytError as exc:
            common.err(f"Ошибка: {exc.message}")
            raise typer.Exit(exc.exit_code) from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,  # noqa: ANN001, ANN201
             **extra):
        from typer._click.exceptions import ClickException
        from typer.exceptions import Abort

        from sbyt.console.cli import _click_ru

        _click_ru.localize(self)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            if not standalone_mode:
                raise
            _click_ru.show_usage_error(exc)
            sys.exit(exc.exit_code)
        except Abort:
            if not standalone_mode:
                raise
            common.err("Прервано.")
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


_app = typer.Typer(
    cls=_Root,
    name="sbyt",
    help="sbyt — биллинг гарантирующего поставщика электроэнергии.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@_app.callback()
def _root(
    db: str = typer.Option(None, "--db", help="Файл базы DuckDB (иначе $SBYT_DB, иначе ./sbyt.duckdb).",
                           metavar="PATH"),
) -> None:
    """sbyt — биллинг гарантирующего поставщика электроэнергии."""
    common.STATE.db = db


def _command_modules() -> list[str]:
    import sbyt.console.cli as pkg

    return sorted(info.name for info in pkgutil.iter_modules(pkg.__path__)
                  if info.name not in {"main", "common"} and not info.name.startswith("_"))


def _register(names: list[str]) -> None:
    for name in names:
        module = importlib.import_module(f"sbyt.console.cli.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(_app)


def _invoked_command(argv: list[str]) -> str | None:
    """The command word of a command line (after the global `--db PATH`), or None."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


_registered = False


def _register_all() -> None:
    global _registered
    if not _registered:
        _register(_command_modules())
        _registered = True


def __getattr__(name: str):  # noqa: ANN202 - PEP 562: `app` with every command, for tests and tools
    if name == "app":
        _register_all()
        return _app
    raise AttributeError(name)


def run() -> None:
    """Console-script entry point.

    Only the module of the invoked command is imported (one module per command group, named as the
    command), so `sbyt console` or `sbyt sql` do not pay for Numba, fpdf2 and the rest at start-up.
    Help of the whole program, or an unknown word, loads every command.
    """
    command = _invoked_command(sys.argv[1:])
    if command in _command_modules():
        _register([command])
    else:
        _register_all()
    try:
        _app()
    except KeyboardInterrupt:
        common.err("Прервано.")
        sys.exit(130)
