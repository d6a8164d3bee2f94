"""Plain result classes and their JSON form (``schema/letter.schema.json``)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LABELS = ("requirement", "rationale", "recipient_list", "other")
SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Metadata:
    """The letter's frame (ANNOTATION.md section 5), plus urgency and secrecy marks."""

    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    place: str | None = None
    subject: str | None = None
    doc_type: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    authority: str | None = None
    urgency: str | None = None
    secrecy: str | None = None


@dataclass(frozen=True)
class DistributionEntry:
    """One line of the ``Nơi nhận`` block and what it is sent for."""

    name: str
    purpose: str | None = None


@dataclass(frozen=True)
class Reference:
    """A document cited in the letter."""

    text: str
    start: int
    end: int
    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who must act: the name as printed, its role, and where it came from.

    ``canonical`` spells the body out (abbreviations expanded, an implicit
    ``tỉnh`` resolved to the issuer's province) so trackers can group tasks.
    """

    name: str
    role: str  # lead | support
    source: str = "explicit"  # explicit | inherited | recipients
    start: int | None = None
    end: int | None = None
    canonical: str | None = None


@dataclass(frozen=True)
class Deadline:
    text: str
    date: str | None = None
    recurrence: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Sentence:
    """A labelled segment."""

    start: int
    end: int
    text: str
    label: str
    zone: str
    confidence: float | None = None
    section: str | None = None
    marker: str | None = None


@dataclass(frozen=True)
class Obligation:
    """One requirement sentence as a task: who, with whom, by when, reporting to whom."""

    sentence: int
    text: str
    actors: tuple[Actor, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    report_to: tuple[str, ...] = ()
    implicit: bool = False


@dataclass(frozen=True)
class Letter:
    """Everything extracted from one letter."""

    text: str
    metadata: Metadata
    sentences: tuple[Sentence, ...]
    obligations: tuple[Obligation, ...] = ()
    recipients: tuple[str, ...] = ()
    distribution: tuple[DistributionEntry, ...] = ()
    references: tuple[Reference, ...] = ()
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``letter.schema.json``."""
        sentences = []
        for s in self.sentences:
            d = {"start": s.start, "end": s.end, "text": s.text, "label": s.label,
                 "section": s.section}
            if s.confidence is not None:
                d["confidence"] = round(float(s.confidence), 4)
            sentences.append(d)
        obligations = []
        for ob in self.obligations:
            obligations.append({
                "sentence": ob.sentence, "text": ob.text,
                "actors": [asdict(a) for a in ob.actors],
                "implicit": ob.implicit,
                "deadlines": [asdict(d) for d in ob.deadlines],
                "report_to": list(ob.report_to),
            })
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "metadata": asdict(self.metadata),
            "recipients": list(self.recipients),
            "distribution": [asdict(d) for d in self.distribution],
            "sentences": sentences,
            "obligations": obligations,
            "references": [asdict(r) for r in self.references],
        }

    def to_table(self) -> str:
        """A plain-text view: the frame, the task table, then the labelled sentences."""
        from .render import table

        return table(self)

    def to_html(self, title: str | None = None) -> str:
        """A self-contained HTML page: frame, task table, then the text with labels, actors and deadlines marked."""
        from .html import to_html

        return to_html(self, title=title)
