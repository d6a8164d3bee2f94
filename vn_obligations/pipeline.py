"""One letter, end to end: each stage is one module, called in order."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .classify import rule_labels
from .io import MAX_CHARS, read_letter
from .letter import Letter, Obligation, Sentence
from .metadata import parse_metadata
from .normalize import nfc, normalize
from .references import find_references
from .segment import segment


def extract(text: str, source: str | None = None) -> Letter:
    """Extract the frame, labelled sentences and obligations of one letter.

    Offsets in the result index *text* exactly as given (NFD input included).
    """
    t = normalize(text)
    segs = segment(t)
    # the stages read NFC; offsets and texts in the result stay the caller's
    view = segs if t.to_orig is None else [replace(s, text=nfc(s.text)) for s in segs]
    meta, recipients, distribution = parse_metadata(view)
    labels = _carry_over_cut_sentences(view, rule_labels(view))
    sentences = tuple(
        Sentence(s.start, s.end, s.text, label, s.zone, conf, s.section, s.marker)
        for s, (label, conf) in zip(segs, labels, strict=False))
    obligations = tuple(Obligation(i, s.text) for i, s in enumerate(sentences) if s.label == "requirement")
    return Letter(text=text, metadata=meta, sentences=sentences, obligations=obligations,
                  recipients=tuple(recipients), distribution=tuple(distribution),
                  references=tuple(find_references(t)), source=source)


def _carry_over_cut_sentences(segs, labels):
    """The second piece of a sentence cut by page furniture takes the sentence's label."""
    out = list(labels)
    prev = None
    for i, s in enumerate(segs):
        if s.continued and prev is not None:
            out[i] = out[prev]
        if s.zone == "body":
            prev = i
    return out


def extract_file(path: str | Path, max_chars: int | None = MAX_CHARS) -> Letter:
    """Read a letter file (UTF-8 with or without BOM, UTF-16 with BOM) and extract it.

    Offsets then index the decoded text with newlines translated and NFC
    applied: the same text that ``score.py`` sees.
    """
    return extract(read_letter(path, max_chars), source=str(path))
