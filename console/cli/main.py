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

from sbyt.console.cli import common
from sbyt.core.errors import SbytError

app = typer.Typer(
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
    """Console-script entry point: Russian messages instead of tracebacks."""
    try:
        app(standalone_mode=False)
    except SbytError as exc:
        common.err(f"Ошибка: {exc.message}")
        sys.exit(exc.exit_code)
    except typer.Abort:
        common.err("Прервано.")
        sys.exit(1)
    except KeyboardInterrupt:
        common.err("Прервано.")
        sys.exit(130)
    except Exception as exc:  # click's usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        raise
