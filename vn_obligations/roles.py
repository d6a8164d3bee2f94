"""Actors and lead/support roles of requirement segments (ANNOTATION.md section 3)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .letter import Actor, Metadata
from .segment import Segment
from .tokenize import Token


@dataclass(frozen=True)
class Assignment:
    """Who must act on one requirement, and to whom they report."""

    actors: tuple[Actor, ...] = ()
    report_to: tuple[str, ...] = ()
    implicit: bool = False


def assign_roles(segments: Sequence[Segment], labels: Sequence[str], metadata: Metadata,
                 recipients: Sequence[str], tokens: Sequence[Sequence[Token]] | None = None,
                 ) -> list[Assignment | None]:
    """One :class:`Assignment` per requirement segment (None for the others).

    Actor offsets index the letter text the segments were cut from.
    """
    return [Assignment(implicit=True) if lab == "requirement" else None for lab in labels]
