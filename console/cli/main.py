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
    (also under CliRunner in tests), so that no operator ever sees a traceback for them."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature (Typer vendors click)
        try:
            return super().invoke(ctx)
        except SbytError as exc:
            common.err(f"Ошибка: {exc.message}")
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Root,
    name="sbyt",
    help="sbyt — биллинг гарантирующего поставщика электроэнергии.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    db: str = typer.Option(None, "--db", help="Файл базы DuckDB (иначе $SBYT_DB, иначе ./sbyt.duckdb).",
                           metavar="PATH"),
) -> None:
    """sbyt — биллинг гарантирующего поставщика электроэнергии."""
    common.STATE.db = db


def _register_all() -> None:
    import sbyt.console.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in {"main", "common"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        common.err("Прервано.")
        sys.exit(130)
