"""Draft gold annotations for a new letter, for a person to review.

Segments come from the segmenter, labels from the current labeller; every
segment is marked ``"review": true`` so nothing unchecked slips into a corpus.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .pipeline import extract_file


def draft(letter_path: str | Path, gold_dir: str | Path | None = None) -> dict[str, Any]:
    """A gold-format dict (ANNOTATION.md section 6) for the letter at *letter_path*.

    ``text_file`` is relative to *gold_dir* (default: ``corpora/gold`` beside the
    letter's ``letters`` folder, else the letter's own folder).
    """
    p = Path(letter_path)
    letter = extract_file(p)
    if gold_dir is None:
        gold_dir = p.parent.parent / "gold" if p.parent.name == "letters" else p.parent
    segments = []
    for i, s in enumerate(letter.sentences):
        seg: dict[str, Any] = {"text": s.text, "label": s.label, "review": True}
        ob = next((o for o in letter.obligations if o.sentence == i), None)
        if ob is not None:
            if ob.actors:
                seg["actors"] = [{"name": a.name, "role": a.role, "source": a.source} for a in ob.actors
                                 if a.source != "recipients"]
            if ob.implicit:
                seg["implicit"] = True
            if ob.deadlines:
                seg["deadlines"] = [{k: v for k, v in (("text", d.text), ("date", d.date),
                                                       ("recurrence", d.recurrence)) if v} for d in ob.deadlines]
            if ob.report_to:
                seg["report_to"] = list(ob.report_to)
        segments.append(seg)
    m = letter.metadata
    meta = {k: getattr(m, k) for k in ("issuer", "number", "date", "place", "subject", "doc_type", "signer",
                                      "authority")}
    return {"id": p.stem, "text_file": os.path.relpath(p, gold_dir), "draft": True, "meta": meta,
            "segments": segments}
