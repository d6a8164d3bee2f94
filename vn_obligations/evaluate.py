"""Score extractions against gold letters, with the same arithmetic as ``eval/score.py``.

A user's clone has no ``../shared``; the project's own ``evaluate`` command
must still give the figures the official scorer gives, so its rules (label by
majority over each gold segment's visible characters, boundary F1 on first
visible characters, actors matched by token overlap ≥ 0.6, deadlines by date
and recurrence keys, normalised metadata) are restated here.  A test checks
that both print the same numbers.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .corpus import GoldLetter
from .letter import LABELS
from .normalize import nfc

MARKUP = set("*#_ \t\r\n")
_ABBR = {
    "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "ubmttq": "ủy ban mặt trận tổ quốc",
    "tp": "thành phố", "tp.": "thành phố", "btv": "ban thường vụ", "bcđ": "ban chỉ đạo",
    "gd&đt": "giáo dục và đào tạo", "gdđt": "giáo dục và đào tạo", "tt&tt": "thông tin và truyền thông",
    "kh&đt": "kế hoạch và đầu tư", "lđtb&xh": "lao động, thương binh và xã hội",
    "syt": "sở y tế", "ct": "chủ tịch", "pct": "phó chủ tịch",
}
_OLD_NEW = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
            ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
            ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ")]
_STOP = {"các", "và", "của", "có", "liên", "quan", "đ/c", "đồng", "chí"}
META_FIELDS = ("issuer", "number", "date", "place", "subject", "doc_type", "signer", "authority")


def _norm(s: str | None) -> str:
    s = nfc(s or "").casefold()
    for new, old in _OLD_NEW:
        s = s.replace(new, old)
    s = re.sub(r"[*#_\"“”()]", " ", s)
    return re.sub(r"\s+", " ", s).strip(" ,.;:-–")


def _actor_tokens(name: str) -> set[str]:
    words: list[str] = []
    for w in re.split(r"[\s,;]+", _norm(name)):
        w = w.strip(".:")
        if w:
            words.extend(_norm(_ABBR.get(w, w)).split())
    return {w for w in words if w not in _STOP} or set(words)


def name_similarity(a: str, b: str) -> float:
    """Dice overlap of the content words of two actor names (abbreviations expanded)."""
    ta, tb = _actor_tokens(a), _actor_tokens(b)
    return 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0


def _matches(gold: Sequence, pred: Sequence, same: Callable[[Any, Any], bool]) -> int:
    used: set[int] = set()
    n = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and same(g, p):
                used.add(j)
                n += 1
                break
    return n


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (1.0 when both sides are empty)."""
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _deadline_keys(d: dict) -> list[str]:
    keys = []
    if d.get("date"):
        keys.append("D:" + str(d["date"])[:10])
    if d.get("recurrence"):
        keys.append("R:" + d["recurrence"])
    return keys


def _meta_norm(field: str, v: str) -> str:
    v = re.sub(r"\s*-\s*", " - ", _norm(v))
    if field == "subject":
        v = re.sub(r"^(v/v|về việc)\s+", "", v)
    if field == "authority":
        return v.replace(".", "").replace("/", "")
    words: list[str] = []
    for w in v.split():
        words.extend(_norm(_ABBR.get(w, w)).split())
    return " ".join(words)


def _first_visible(text: str, a: int, b: int) -> int:
    while a < b and text[a] in MARKUP:
        a += 1
    return a


class Tally:
    """Running counts over letters; :meth:`report` turns them into figures."""

    def __init__(self) -> None:
        self.labels: list[tuple[str, str]] = []
        self.counts = {k: [0, 0, 0] for k in ("bounds", "actors", "roles", "deadlines")}
        self.meta: dict[str, list[bool]] = defaultdict(list)
        self.per_letter: list[dict] = []

    def add(self, gold: GoldLetter, pred: dict) -> None:
        """Score one letter's prediction (the JSON of ``Letter.to_dict()``) against its gold."""
        text, segs, sents = gold.text, gold.segments, pred.get("sentences", [])
        n_before, roles_before = len(self.labels), list(self.counts["roles"])
        char_label: dict[int, str] = {}
        for s in sents:
            for i in range(max(0, s["start"]), min(len(text), s["end"])):
                char_label[i] = s["label"]
        for g in segs:
            votes = Counter(char_label.get(i, "other") for i in range(g["start"], g["end"])
                            if text[i] not in MARKUP)
            self.labels.append((g["label"], votes.most_common(1)[0][0] if votes else "other"))
        gb = {_first_visible(text, g["start"], g["end"]) for g in segs}
        pb = {_first_visible(text, s["start"], s["end"]) for s in sents if text[s["start"]:s["end"]].strip()}
        self._count("bounds", len(gb & pb), len(pb), len(gb))
        per_seg = defaultdict(list)
        for ob in pred.get("obligations", []):
            i = ob.get("sentence")
            if not isinstance(i, int) or not 0 <= i < len(sents):
                continue
            a, b = sents[i]["start"], sents[i]["end"]
            best, k = 0, None
            for j, g in enumerate(segs):
                o = max(0, min(b, g["end"]) - max(a, g["start"]))
                if o > best:
                    best, k = o, j
            if k is not None:
                per_seg[k].append(ob)
        for j, g in enumerate(segs):
            obs = per_seg.get(j, [])
            pa = [(a["name"], a["role"]) for ob in obs for a in ob.get("actors", [])
                  if a.get("source", "explicit") in ("explicit", "inherited")]
            ga = [(a["name"], a["role"]) for a in g.get("actors", [])]
            self._count("actors", _matches(ga, pa, lambda x, y: name_similarity(x[0], y[0]) >= 0.6),
                        len(pa), len(ga))
            self._count("roles", _matches(ga, pa, lambda x, y: x[1] == y[1]
                                          and name_similarity(x[0], y[0]) >= 0.6), len(pa), len(ga))
            gd = [k for d in g.get("deadlines", []) for k in _deadline_keys(d)]
            pd = [k for ob in obs for d in ob.get("deadlines", []) for k in _deadline_keys(d)]
            self._count("deadlines", _matches(gd, pd, lambda x, y: x == y), len(pd), len(gd))
        pm = pred.get("metadata") or {}
        for field, gv in gold.meta.items():
            if gv is None:
                continue
            pv = pm.get(field)
            if field == "number":
                ok = pv is not None and re.sub(r"\s", "", pv) == re.sub(r"\s", "", gv)
            else:
                ok = pv is not None and _meta_norm(field, pv) == _meta_norm(field, gv)
            self.meta[field].append(ok)
        pairs = self.labels[n_before:]
        r = [a - b for a, b in zip(self.counts["roles"], roles_before, strict=True)]
        self.per_letter.append({"id": gold.id, "label_accuracy": sum(g == p for g, p in pairs) / max(1, len(pairs)),
                                "roles_f1": prf(*r)[2], "gold_actors": r[2]})

    def _count(self, key: str, tp: int, n_pred: int, n_gold: int) -> None:
        c = self.counts[key]
        c[0] += tp
        c[1] += n_pred
        c[2] += n_gold

    def report(self) -> dict[str, Any]:
        """The figures, named as in ``score.py --json``, plus the confusion matrix."""
        res: dict[str, Any] = {"letters": len(self.per_letter), "segments": len(self.labels)}
        f1s = {}
        for lab in LABELS:
            tp = sum(1 for g, p in self.labels if g == lab == p)
            f1s[lab] = prf(tp, sum(1 for _, p in self.labels if p == lab), sum(1 for g, _ in self.labels if g == lab))
        res["label_macro_f1"] = round(sum(f for _, _, f in f1s.values()) / len(LABELS), 4)
        res["label_accuracy"] = round(sum(g == p for g, p in self.labels) / max(1, len(self.labels)), 4)
        res["per_label"] = {k: [round(x, 4) for x in v] for k, v in f1s.items()}
        for k, c in self.counts.items():
            res[k + "_prf"] = [round(x, 4) for x in prf(*c)]
            res[k + "_counts"] = list(c)
        with_actors = [d["roles_f1"] for d in self.per_letter if d["gold_actors"]]
        res["roles_letter_mean_f1"] = round(sum(with_actors) / len(with_actors), 4) if with_actors else None
        res["meta_accuracy"] = {k: round(sum(v) / len(v), 4) for k, v in self.meta.items()}
        cm = Counter(self.labels)
        res["confusion"] = {f"{g}->{p}": n for (g, p), n in sorted(cm.items()) if g != p}
        res["confusion_matrix"] = {"labels": list(LABELS),
                                   "rows": [[cm[(g, p)] for p in LABELS] for g in LABELS]}
        res["per_letter"] = self.per_letter
        return res


def evaluate(golds: Iterable[GoldLetter], model=None, *, gold_labels: bool = False) -> dict[str, Any]:
    """Extract every gold letter and score it.

    *gold_labels* feeds the gold labels (projected onto our segments) instead
    of the classifier's, to measure the rule layer on its own.
    """
    from .corpus import project_labels
    from .pipeline import extract
    from .segment import segment

    tally = Tally()
    for g in golds:
        labels = project_labels(g, segment(g.text)) if gold_labels else None
        letter = extract(g.text, source=str(g.text_path), model=model, labels=labels)
        tally.add(g, letter.to_dict())
    return tally.report()


def format_report(res: dict[str, Any]) -> str:
    """The report as text, in the layout of ``score.py``, plus the confusion matrix."""
    lines = [f"letters {res['letters']}  segments {res['segments']}",
             f"labels: macro-F1 {res['label_macro_f1']:.3f}  accuracy {res['label_accuracy']:.3f}"]
    for lab, (p, r, f) in res["per_label"].items():
        lines.append(f"  {lab:15s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    for k, name in (("bounds", "segment boundaries"), ("actors", "actors (any role)"),
                    ("roles", "actor+role"), ("deadlines", "deadlines")):
        p, r, f = res[k + "_prf"]
        lines.append(f"{name:20s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp, pred, gold) = {tuple(res[k + '_counts'])}")
    if res["roles_letter_mean_f1"] is not None:
        lines.append(f"actor+role F1, mean over letters with gold actors: {res['roles_letter_mean_f1']:.3f}")
    lines.append("metadata accuracy: " + ", ".join(f"{k} {v:.2f}" for k, v in res["meta_accuracy"].items()))
    cm = res["confusion_matrix"]
    short = {"requirement": "req", "rationale": "rat", "recipient_list": "rcp", "other": "oth"}
    lines.append("confusion matrix (rows gold, columns predicted):")
    lines.append(" " * 16 + "".join(f"{short[p]:>7s}" for p in cm["labels"]))
    for g, row in zip(cm["labels"], cm["rows"], strict=True):
        lines.append(f"  {g:14s}" + "".join(f"{n:7d}" for n in row))
    return "\n".join(lines)
