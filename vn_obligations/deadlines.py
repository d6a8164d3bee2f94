"""Deadlines and recurrences of requirement segments (ANNOTATION.md section 4)."""
from __future__ import annotations

from collections.abc import Sequence

from .letter import Deadline
from .segment import Segment


def find_deadlines(text: str, letter_date: str | None = None, offset: int = 0) -> list[Deadline]:
    """Deadlines stated in *text*; offsets are ``offset`` + the index in *text*."""
    return []


def assign_deadlines(segments: Sequence[Segment], labels: Sequence[str],
                     letter_date: str | None = None) -> list[tuple[Deadline, ...]]:
    """The deadlines of each segment (empty for non-requirements)."""
    return [tuple(find_deadlines(s.text, letter_date, s.start)) if lab == "requirement" else ()
            for s, lab in zip(segments, labels, strict=True)]
