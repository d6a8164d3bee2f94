"""Shared fixtures: the team's small letters in tests/letters, and ../shared when present."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
LETTERS = HERE / "letters"


def letter_path(name: str) -> Path:
    return LETTERS / name


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads((REPO / "vn_obligations" / "data" / "letter.schema.json").read_text("utf-8"))


def shared_or_skip(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not here: ../shared is only present in CI and developer checkouts")
    return p
