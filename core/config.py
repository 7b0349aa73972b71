"""Settings from a TOML file: `$SBYT_CONFIG`, else `sbyt.toml` next to the store file.

Only what must not live in the store goes here (mail server credentials). Example:

    [smtp]
    host = "smtp.example.org"
    port = 587              # default 587 with starttls, 465 with ssl, else 25
    starttls = true         # upgrade the connection with STARTTLS (default true)
    ssl = false             # connect over TLS from the start (port 465)
    login = "epd@example.org"   # optional: no login when absent
    password = "secret"
    from = "АО «Энергосбыт» <epd@example.org>"
    timeout = 30            # seconds
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbyt.core.errors import SbytError

CONFIG_NAME = "sbyt.toml"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    starttls: bool = True
    ssl: bool = False
    login: str = ""
    password: str = ""
    timeout: float = 30.0


def config_path(db_path: str | os.PathLike[str] | None = None) -> Path:
    env = os.environ.get("SBYT_CONFIG")
    if env:
        return Path(env)
    base = Path(db_path).resolve().parent if db_path else Path.cwd()
    return base / CONFIG_NAME


def load_config(db_path: str | os.PathLike[str] | None = None, path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The whole file as a dict; an empty dict when there is no file."""
    p = Path(path) if path else config_path(db_path)
    if not p.exists():
        return {}
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SbytError(f"Файл настроек {p} повреждён: {exc}") from None


def smtp_config(db_path: str | os.PathLike[str] | None = None, path: str | os.PathLike[str] | None = None) -> SmtpConfig:
    """The [smtp] section, checked; a Russian error naming the file when something is missing."""
    p = Path(path) if path else config_path(db_path)
    section = load_config(db_path, p).get("smtp")
    if not isinstance(section, dict):
        raise SbytError(f"Не настроена отправка почты: нет раздела [smtp] в файле {p} (см. docs/epd.md).")
    missing = [k for k in ("host", "from") if not section.get(k)]
    if missing:
        raise SbytError(f"В разделе [smtp] файла {p} не заданы: {', '.join(missing)}.")
    ssl = bool(section.get("ssl", False))
    starttls = bool(section.get("starttls", not ssl)) and not ssl
    try:
        port = int(section.get("port") or (465 if ssl else 587 if starttls else 25))
        timeout = float(section.get("timeout", 30))
    except (TypeError, ValueError):
        raise SbytError(f"В разделе [smtp] файла {p}: port и timeout должны быть числами.") from None
    return SmtpConfig(host=str(section["host"]), port=port, sender=str(section["from"]), starttls=starttls, ssl=ssl,
                      login=str(section.get("login", "")), password=str(section.get("password", "")), timeout=timeout)
