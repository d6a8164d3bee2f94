"""The annotated corpus: reading, checking, counting and loading gold letters.

One reading of the gold format (ANNOTATION.md section 6) serves everything:
validation, statistics, the ``datasets`` loader, training and evaluation.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AnnotationError
from .io import read_letter
from .letter import LABELS

ROLES = ("lead", "support")
SOURCES = ("explicit", "inherited")
RECURRENCES = ("daily", "weekly", "monthly", "quarterly", "yearly")
SPLITS = ("train", "validation", "test")
ISSUER_LEVELS = ("government", "ministry", "province", "department", "district", "commune",
                 "party_committee", "other")
MANIFEST_FIELDS = ("id", "split", "doc_type", "issuer", "issuer_level", "province", "topic", "year", "hazards")


@dataclass
class GoldLetter:
    """A gold file with its letter text and each segment's offsets."""

    id: str
    path: Path
    text_path: Path
    text: str
    meta: dict[str, Any]
    segments: list[dict[str, Any]] = field(repr=False)


def _locate(text: str, segments: list[dict], where: str) -> None:
    pos = 0
    for i, seg in enumerate(segments):
        t = seg.get("text")
        if not isinstance(t, str) or not t:
            raise AnnotationError(f"{where}: segment {i}: missing or empty 'text'")
        j = text.find(t, pos)
        if j < 0:
            raise AnnotationError(f"{where}: segment {i} is not in the letter after offset {pos}: {t[:60]!r}")
        if text[pos:j].strip():
            raise AnnotationError(f"{where}: text not covered before segment {i}: {text[pos:j].strip()[:60]!r}")
        seg["start"], seg["end"] = j, j + len(t)
        pos = j + len(t)
    if text[pos:].strip():
        raise AnnotationError(f"{where}: text not covered at the end: {text[pos:].strip()[:60]!r}")


def read_gold(path: str | Path) -> GoldLetter:
    """Read one gold file and locate its segments in its letter (NFC text)."""
    p = Path(path)
    try:
        spec = json.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise AnnotationError(f"{p}: cannot be read as JSON ({e})") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("segments"), list):
        raise AnnotationError(f"{p}: not a gold file (needs 'segments', a list)")
    tp = Path(spec.get("text_file", ""))
    if not tp.is_absolute():
        tp = p.parent / tp
    text = read_letter(tp, max_chars=None)
    from .normalize import nfc

    for seg in spec["segments"]:
        if isinstance(seg.get("text"), str):
            seg["text"] = nfc(seg["text"])
    _locate(text, spec["segments"], str(p))
    return GoldLetter(spec.get("id") or p.stem, p, tp, text, spec.get("meta") or {}, spec["segments"])


def check_gold(g: GoldLetter) -> list[str]:
    """Problems of one gold letter, each naming file and segment."""
    errs = []
    for i, s in enumerate(g.segments):
        where = f"{g.path}: segment {i}"
        if s.get("label") not in LABELS:
            errs.append(f"{where}: bad label {s.get('label')!r}")
        for a in s.get("actors", []):
            if a.get("role") not in ROLES or not a.get("name"):
                errs.append(f"{where}: bad actor {a!r}")
            if a.get("source", "explicit") not in SOURCES:
                errs.append(f"{where}: bad actor source {a.get('source')!r}")
        if s.get("label") != "requirement" and (s.get("actors") or s.get("deadlines") or s.get("report_to")):
            errs.append(f"{where}: actors/deadlines/report_to on a {s.get('label')} segment")
        for d in s.get("deadlines", []):
            if not (d.get("date") or d.get("recurrence")):
                errs.append(f"{where}: deadline {d.get('text')!r} has neither date nor recurrence")
            if d.get("date") and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(d["date"])):
                errs.append(f"{where}: date {d['date']!r} is not ISO (YYYY-MM-DD)")
            if d.get("recurrence") and d["recurrence"] not in RECURRENCES:
                errs.append(f"{where}: bad recurrence {d['recurrence']!r}")
    md = g.meta.get("date")
    if md and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(md)):
        errs.append(f"{g.path}: meta date {md!r} is not ISO")
    return errs


def gold_files(path: str | Path) -> list[Path]:
    """Gold JSON files under *path* (a corpus folder, a gold folder or one file)."""
    p = Path(path)
    if p.is_file():
        return [p]
    if (p / "gold").is_dir():
        p = p / "gold"
    return sorted(p.glob("*.json"))


def read_manifest(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if p.is_dir():
        p = p / "manifest.jsonl"
    if not p.exists():
        return []
    rows = []
    for k, line in enumerate(p.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise AnnotationError(f"{p}: line {k}: not JSON ({e})") from None
    return rows


def validate(path: str | Path) -> list[str]:
    """Every problem in a corpus folder (or gold folder / file), empty when all is well."""
    errs: list[str] = []
    ids = set()
    for f in gold_files(path):
        try:
            g = read_gold(f)
        except Exception as e:  # report and go on: one broken file must not hide the others
            errs.append(str(e))
            continue
        ids.add(g.id)
        errs.extend(check_gold(g))
    root = Path(path)
    if root.is_dir() and (root / "manifest.jsonl").exists():
        rows = read_manifest(root)
        seen = set()
        for k, r in enumerate(rows, 1):
            where = f"{root / 'manifest.jsonl'}: line {k}"
            missing = [m for m in MANIFEST_FIELDS if m not in r]
            if missing:
                errs.append(f"{where}: missing fields {missing}")
            if r.get("split") not in SPLITS:
                errs.append(f"{where}: bad split {r.get('split')!r}")
            if r.get("issuer_level") not in ISSUER_LEVELS:
                errs.append(f"{where}: bad issuer_level {r.get('issuer_level')!r}")
            if r.get("id") in seen:
                errs.append(f"{where}: duplicate id {r.get('id')!r}")
            seen.add(r.get("id"))
            if r.get("id") not in ids:
                errs.append(f"{where}: id {r.get('id')!r} has no gold file")
        for i in sorted(ids - seen):
            errs.append(f"{root / 'manifest.jsonl'}: gold letter {i!r} is not in the manifest")
    return errs


def iter_gold(path: str | Path) -> Iterable[GoldLetter]:
    for f in gold_files(path):
        yield read_gold(f)


def stats(path: str | Path) -> dict[str, Counter]:
    """Counts per label, doc type, issuer level, province, topic, year, hazard and case."""
    c: dict[str, Counter] = {k: Counter() for k in (
        "totals", "label", "doc_type", "issuer_level", "issuer", "province", "topic", "year", "hazard", "case",
        "split")}
    for g in iter_gold(path):
        c["totals"]["letters"] += 1
        attr_actors = False
        for s in g.segments:
            c["totals"]["segments"] += 1
            c["label"][s["label"]] += 1
            c["totals"]["actors"] += len(s.get("actors", []))
            for d in s.get("deadlines", []):
                c["totals"]["deadlines"] += 1
                c["totals"]["recurrences"] += bool(d.get("recurrence"))
            t = s["text"]
            if re.match(r"^\W*(?:Cơ quan|Đơn vị)\s+(?:thực hiện|chủ trì)\s*:", t):
                attr_actors = True
            if s["label"] == "requirement" and ("|" in t and t.count("|") >= 2 or "\n" in t and re.match(r"^\d+\s*\n", t)
                                                or attr_actors and any(a.get("source") == "inherited"
                                                                       for a in s.get("actors", []))):
                c["totals"]["task_layout_tasks"] += 1
    for r in read_manifest(path) if Path(path).is_dir() else []:
        c["totals"]["team_written"] += r.get("source") == "team"
        for k in ("doc_type", "issuer_level", "issuer", "province", "topic", "year", "split"):
            c[k][str(r.get(k))] += 1
        for h in r.get("hazards", []):
            c["hazard"][h] += 1
        for h in r.get("cases", []):
            c["case"][h] += 1
    return c


def gold_to_prediction(g: GoldLetter) -> dict[str, Any]:
    """A gold letter in the output schema, e.g. to score one annotation against another."""
    sentences, obligations = [], []
    for i, s in enumerate(g.segments):
        sentences.append({"start": s["start"], "end": s["end"], "text": s["text"], "label": s["label"]})
        if s["label"] == "requirement":
            obligations.append({
                "sentence": i, "text": s["text"],
                "actors": [{"name": a["name"], "role": a["role"], "source": a.get("source", "explicit")}
                           for a in s.get("actors", [])],
                "implicit": bool(s.get("implicit")),
                "deadlines": [{k: d.get(k) for k in ("text", "date", "recurrence")} for d in s.get("deadlines", [])],
                "report_to": list(s.get("report_to", [])),
            })
    meta = {k: g.meta.get(k) for k in ("issuer", "number", "date", "place", "subject", "doc_type", "signer",
                                      "authority")}
    return {"schema_version": "1", "source": str(g.text_path), "metadata": meta, "recipients": [],
            "sentences": sentences, "obligations": obligations}


def project_labels(g: GoldLetter, segments) -> list[str]:
    """The gold label of each of *our* segments: the majority over its characters.

    Our segmentation is not the gold one everywhere; training and oracle
    evaluations need a label per segment we actually produce.
    """
    marks = set("*#_ \t\n")
    out = []
    j = 0
    gs = g.segments
    for s in segments:
        votes: Counter = Counter()
        while j < len(gs) and gs[j]["end"] <= s.start:
            j += 1
        k = j
        while k < len(gs) and gs[k]["start"] < s.end:
            a, b = max(s.start, gs[k]["start"]), min(s.end, gs[k]["end"])
            votes[gs[k]["label"]] += sum(1 for c in g.text[a:b] if c not in marks)
            k += 1
        out.append(votes.most_common(1)[0][0] if votes else "other")
    return out


def load(path: str | Path = "corpora"):
    """The corpus as a ``datasets.DatasetDict`` with the manifest's fixed splits.

    One row per segment: letter id, text, label, zone, list marker, position,
    previous/next segment text (plus actors and deadlines as JSON strings).
    ``DatasetDict["letters"]`` holds one row per letter with its manifest fields.
    """
    import datasets

    from .segment import segment

    manifest = {r["id"]: r for r in read_manifest(path)}
    rows: dict[str, list[dict]] = {k: [] for k in SPLITS}
    letters = []
    for g in iter_gold(path):
        m = manifest.get(g.id, {})
        split = m.get("split", "train")
        ours = segment(g.text)
        n = len(g.segments)
        for i, s in enumerate(g.segments):
            z = _zone_at(ours, s["start"], s["end"])
            rows[split].append({
                "letter_id": g.id, "index": i, "text": s["text"], "label": s["label"],
                "zone": z[0], "marker": z[1] or "", "position": i / max(1, n - 1),
                "prev_text": g.segments[i - 1]["text"] if i else "",
                "next_text": g.segments[i + 1]["text"] if i + 1 < n else "",
                "actors": json.dumps(s.get("actors", []), ensure_ascii=False),
                "deadlines": json.dumps(s.get("deadlines", []), ensure_ascii=False),
            })
        letters.append({"id": g.id, "split": split, "doc_type": m.get("doc_type") or "",
                        "issuer": m.get("issuer") or "", "issuer_level": m.get("issuer_level") or "",
                        "province": m.get("province") or "", "topic": m.get("topic") or "",
                        "year": int(m.get("year") or 0), "hazards": list(m.get("hazards", [])),
                        "text": g.text, "segments": n})
    out = {k: datasets.Dataset.from_list(v) for k, v in rows.items() if v}
    out["letters"] = datasets.Dataset.from_list(letters)
    return datasets.DatasetDict(out)


def _zone_at(segs, a: int, b: int) -> tuple[str, str | None]:
    """Zone and marker of our segment that overlaps gold span [a, b) most."""
    best, z = 0, ("body", None)
    for s in segs:
        if s.end <= a:
            continue
        if s.start >= b:
            break
        o = min(b, s.end) - max(a, s.start)
        if o > best:
            best, z = o, (s.zone, s.marker)
    return z
