"""Errors with operator-facing Russian messages and stable exit codes.

Services raise these; the CLI and the console translate them into a message (stderr or dialog)
and an exit code, never into a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.periods import period_label

# Stable exit codes of the `sbyt` command (documented in docs/cli.md).
EXIT_OK = 0
EXIT_ERROR = 1          # invalid input, failed validation
EXIT_USAGE = 2          # wrong command line (Typer/Click's own code)
EXIT_REFUSED = 3        # refused by a rule: closed period, duplicate file, read-only query
EXIT_NOT_FOUND = 4      # an account, report or file that does not exist
EXIT_STORE = 5          # the store cannot be opened (newer schema, locked, corrupt)


class SbytError(Exception):
    """An error whose message is shown to the operator as it is (in Russian)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RefusedError(SbytError):
    exit_code = EXIT_REFUSED


class NotFoundError(SbytError):
    exit_code = EXIT_NOT_FOUND


class StoreError(SbytError):
    exit_code = EXIT_STORE


class MissingPricesError(SbytError):
    """The month's legal-entity prices (or АТС/СО hours) are not imported yet: they are published after
    the month, so `sbyt calc` goes on with the households and warns."""


class ClosedPeriodError(RefusedError):
    def __init__(self, period: int) -> None:
        super().__init__(f"Период {period_label(period)} закрыт: изменения в закрытом периоде запрещены")
        self.period = period


@dataclass(frozen=True)
class RowError:
    """One bad row of an input file: `file:row:column: message`."""

    file: str
    row: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class ValidationError(SbytError):
    """A file or a set of files failed validation; nothing was written."""

    def __init__(self, errors: list[RowError], summary: str | None = None) -> None:
        self.errors = errors
        head = summary or f"Найдено ошибок: {len(errors)}. Ничего не записано."
        super().__init__("\n".join([head, *map(str, errors)]))
