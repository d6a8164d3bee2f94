"""One letter, end to end: each stage is one module, called in order."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .classify import label_segments
from .deadlines import assign_deadlines
from .io import MAX_CHARS, read_letter
from .letter import Letter, Obligation, Sentence
from .metadata import parse_metadata
from .normalize import Text, normalize
from .references import find_references
from .roles import assign_roles
from .segment import segment
from .tokenize import body_tokens


def extract(text: str, source: str | None = None, *, model=None,
            labels: Sequence[str] | None = None) -> Letter:
    """Extract the frame, labelled sentences and obligations of one letter.

    *model* is a classifier from :func:`vn_obligations.load_model` (default:
    the shipped one); *labels*, one per segment, replaces the classifier, which
    lets the rule layer be measured on gold labels.  Offsets in the result
    index *text* exactly as given (NFD input included).
    """
    t = normalize(text)
    segs = segment(t.nfc)  # every stage reads NFC; offsets go back to *text* at the end
    meta, recipients, distribution = parse_metadata(segs)
    tokens = body_tokens(segs)
    labelled = label_segments(segs, tokens, model) if labels is None else [(lab, None) for lab in labels]
    names = [lab for lab, _ in labelled]
    tasks = assign_roles(segs, names, meta, recipients, tokens)
    due = assign_deadlines(segs, names, meta.date)

    sentences = tuple(
        Sentence(*t.span(s.start, s.end), t.orig[slice(*t.span(s.start, s.end))], lab, s.zone, conf,
                 s.section, s.marker)
        for s, (lab, conf) in zip(segs, labelled, strict=True))
    obligations = tuple(
        Obligation(i, sentences[i].text,
                   actors=tuple(_mapped(t, a) for a in tasks[i].actors) if tasks[i] else (),
                   deadlines=tuple(_mapped(t, d) for d in due[i]),
                   report_to=tasks[i].report_to if tasks[i] else (),
                   implicit=bool(tasks[i] and tasks[i].implicit))
        for i, lab in enumerate(names) if lab == "requirement")
    references = tuple(find_references(t))
    return Letter(text=text, metadata=meta, sentences=sentences, obligations=obligations,
                  recipients=tuple(recipients), distribution=tuple(distribution),
                  references=references, source=source)


def _mapped(t: Text, item):
    """*item* (an Actor or a Deadline) with its NFC offsets mapped to the caller's text."""
    if t.to_orig is None or item.start is None or item.end is None:
        return item
    start, end = t.span(item.start, item.end)
    return replace(item, start=start, end=end)


def extract_file(path: str | Path, max_chars: int | None = MAX_CHARS, *, model=None) -> Letter:
    """Read a letter file (UTF-8 with or without BOM, UTF-16 with BOM) and extract it.

    Offsets then index the decoded text with newlines translated and NFC
    applied: the same text that ``score.py`` sees.
    """
    return extract(read_letter(path, max_chars), source=str(path), model=model)
