"""The bot is a client of the API: no module under bots/ imports a domain package. It runs
the documents in graphql/operations through api.executor, like the app sends them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What the bot may build on: the ground floor, accounts (who the Telegram user is), the API.
ALLOWED = {"core", "accounts", "api", "bots"}


def first_party_packages() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_bots_import_no_domain_package():
    domains = first_party_packages() - ALLOWED
    assert {"geo", "reports", "booking", "payments", "notifications"} <= domains
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & domains)
        for path in sorted((ROOT / "bots").rglob("*.py"))
        if imported_roots(path) & domains
    }
    assert offending == {}
