"""The user guide is Russian and self-contained: no prose paragraph written in English, no reference
to a file outside the repository, every command of the CLI described."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DEVELOPER = {"architecture.md", "architecture-calc.md"}
USER_GUIDE = sorted(p for p in DOCS.glob("*.md") if p.name not in DEVELOPER) + [ROOT / "README.md"]
OUTSIDE = re.compile(r"\.\./shared|DOMAIN(\.md)?\s*§|DOMAIN\.md|ARCHITECTURE\.md|STYLE\.md")


def _prose(text: str) -> list[str]:
    """Paragraphs of running text: fenced code, tables and headings left out, inline code removed."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith(("|", "#"))]
        if lines:
            paragraphs.append(re.sub(r"`[^`]*`|\[[^\]]*\]\([^)]*\)|\*\*", "", " ".join(lines)))
    return paragraphs


def _english(paragraph: str) -> bool:
    latin = len(re.findall(r"[A-Za-z]", paragraph))
    cyrillic = len(re.findall(r"[А-Яа-яЁё]", paragraph))
    return latin > 40 and latin > cyrillic


@pytest.mark.parametrize("page", USER_GUIDE, ids=lambda p: str(p.relative_to(ROOT)))
def test_user_guide_is_russian(page: Path) -> None:
    english = [p[:80] for p in _prose(page.read_text(encoding="utf-8")) if _english(p)]
    assert english == [], page.name


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")) + [ROOT / "README.md"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_stay_inside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert OUTSIDE.findall(text) == [], page.name
    for target in re.findall(r"\]\(([^)#]+)[^)]*\)", text):
        if not target.startswith(("http://", "https://", "mailto:")):
            assert (page.parent / target).exists(), (page.name, target)


def test_sources_cite_the_project_docs() -> None:
    """Docstrings send a reader to docs/, never to the design notes the project started from (the
    tests do read the shared sample files: those are inputs, not documentation)."""
    notes = re.compile(r"DOMAIN(\.md)?\s*§|DOMAIN\.md|ARCHITECTURE\.md|STYLE\.md")
    offenders = [str(p.relative_to(ROOT)) for sub in ("calc", "core", "io", "reports", "console", "tests")
                 for p in (ROOT / sub).rglob("*.py")
                 if p.name != "test_docs.py" and notes.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def _commands() -> list[str]:
    import typer

    import sbyt.server.serve  # noqa: F401 - adds `sbyt serve` to the app
    from sbyt.console.cli.main import app

    def walk(command, path: list[str]):  # noqa: ANN001, ANN202
        subcommands = getattr(command, "commands", None)
        if subcommands is None or getattr(command, "invoke_without_command", False):
            yield " ".join(["sbyt", *path])     # a command, or a group that is a command itself
        if subcommands is None:
            return
        for name, sub in sorted(subcommands.items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def test_every_command_is_listed_and_described() -> None:
    """docs/cli.md lists every command with the page that describes it, and that page names it."""
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(sbyt [^`]+)` \| [^|]+ \| ([^|]+) \|$", cli, flags=re.M))
    commands = _commands()
    assert sorted(rows) == sorted(commands)
    for command in commands:
        link = re.search(r"\]\(([^)]+)\)", rows[command])
        page = (DOCS / link.group(1)).read_text(encoding="utf-8") if link else cli
        assert re.search(rf"{re.escape(command)}(?![\w-])", page), (command, rows[command])
