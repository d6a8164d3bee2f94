"""underthesea's word segmenter, decoded here: same model, same words, with offsets, faster.

underthesea's ``word_tokenize`` is a CRF (``ws_crf_vlsp2013``): its Rust
featurizer turns every syllable into 43 feature strings, hands them to
Python, and the Rust tagger reads them back; that round trip is most of its
time, and the words it returns have lost their offsets.  This module reads the
same model file (CRFsuite format), the same feature templates and dictionary
from the installed wheel, and scores each syllable by dictionary lookups: the
words are identical (checked against ``word_tokenize`` on every line of the
corpus and on random text, see ``tests/test_tokenize.py``) and come with
their offsets.

If the installed underthesea ships a model this module does not understand,
:func:`load` returns ``None`` and callers use ``word_tokenize`` itself.
"""
from __future__ import annotations

import re
import struct
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

#: the model inside the underthesea wheel that ``word_tokenize`` uses
MODEL_DIR = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
_TEMPLATE = re.compile(r"T\[(-?\d)(?:,(-?\d))?\](?:\.(lower|isdigit|istitle|is_in_dict))?$")
_I32 = re.compile(r"[+-]?[0-9]+")  # the featurizer's isdigit: parses as a 32-bit integer
_BOS, _EOS = "BOS", "EOS"
_PAD_BOS = [_BOS, _BOS]
#: the featurizer's value columns: (window width, attribute) -> column name
_COLUMNS = {(1, None): "raw1", (1, "lower"): "low1", (1, "isdigit"): "dig1", (1, "istitle"): "tit1",
            (1, "is_in_dict"): "dic1", (2, None): "raw2", (2, "lower"): "low2", (2, "istitle"): "tit2",
            (2, "is_in_dict"): "dic2", (3, None): "raw3", (3, "istitle"): "tit3", (3, "is_in_dict"): "dic3"}


def _is_i32(s: str) -> str:
    return "True" if _I32.fullmatch(s) and -2 ** 31 <= int(s) < 2 ** 31 else "False"


def _read_cqdb(b: bytes, off: int) -> list[str]:
    """The strings of a CQDB block, by id (CRFsuite keeps labels and attributes in these)."""
    cid, _, _, _, n, bwd = struct.unpack_from("<4sIIIII", b, off)
    if cid != b"CQDB":
        raise ValueError("not a CQDB block")
    out = []
    for i, (o,) in enumerate(struct.iter_unpack("<I", b[off + bwd: off + bwd + 4 * n])):
        rid, size = struct.unpack_from("<II", b, off + o)
        if rid != i:
            raise ValueError("CQDB ids out of order")
        out.append(b[off + o + 8: off + o + 7 + size].decode("utf-8"))
    return out


class Segmenter:
    """The CRF: per-template weights of B-W and I-W, and the 2×2 transitions."""

    def __init__(self, model: bytes, templates: list[str], dictionary: set[str]):
        magic, _, kind, _, _, _, _, off_f, off_l, off_a = struct.unpack_from("<4sI4sIIIIIII", model, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a CRFsuite model")
        labels, attrs = _read_cqdb(model, off_l), _read_cqdb(model, off_a)
        if labels != ["B-W", "I-W"]:
            raise ValueError(f"unexpected labels {labels}")
        cid, _, n = struct.unpack_from("<4sII", model, off_f)
        if cid != b"FEAT":
            raise ValueError("no feature block")
        weights: dict[str, dict[str, list[float]]] = {t: {} for t in templates}
        trans = [[0.0, 0.0], [0.0, 0.0]]
        for kind_, src, dst, w in struct.iter_unpack("<IIId", model[off_f + 12: off_f + 12 + 20 * n]):
            if kind_ == 1:
                trans[src][dst] += w
                continue
            tpl, _, value = attrs[src].partition("=")
            d = weights.setdefault(tpl, {})  # a template the featurizer lacks never fires
            d.setdefault(value, [0.0, 0.0])[dst] += w
        parsed = []
        for t in templates:
            m = _TEMPLATE.match(t)
            a = int(m.group(1)) if m else 0
            b = int(m.group(2)) if m and m.group(2) is not None else a
            col = _COLUMNS.get((b - a + 1, m.group(3))) if m else None
            if col is None or not -2 <= a <= b <= 2:
                raise ValueError(f"unsupported feature template {t}")
            parsed.append((col, a, weights[t]))
        self.columns = sorted({c for c, _, _ in parsed})
        # each column's values get ids (0: a value no template knows); each template a weight per id
        self.vocab = {c: {} for c in self.columns}
        for c, _, w in parsed:
            for v in w:
                self.vocab[c].setdefault(v, len(self.vocab[c]) + 1)
        self.templates = []
        for c, a, w in parsed:
            arr = np.zeros((len(self.vocab[c]) + 1, 2))
            for v, x in w.items():
                arr[self.vocab[c][v]] = x
            self.templates.append((c, a, arr))
        self.trans = trans
        self.dictionary = dictionary

    def tags(self, syllables: list[str]) -> list[bool]:
        """For each syllable: does it continue the word before it (I-W)?"""
        return self.tags_many([syllables])[0]

    def tags_many(self, sequences: list[list[str]]) -> list[list[bool]]:
        """:meth:`tags` of many sequences, scored together (numpy works best on one long array).

        Each sequence is laid out as ``BOS BOS v0 … EOS EOS EOS`` per feature
        column, so a template reading the window ``[i+a, i+b]`` reads one shifted
        index, and the BOS/EOS values fall out of the padding.
        """
        cols: dict[str, list[str]] = {c: [] for c in self.columns}
        pos: list[int] = []
        base = 0
        d, tf = self.dictionary, ("False", "True")
        for sy in sequences:
            n = len(sy)
            low = [s.lower() for s in sy]
            title = [s[:1].upper() == s[:1] for s in sy]
            raw2 = [f"{x} {y}" for x, y in zip(sy, sy[1:], strict=False)]
            low2 = [f"{x} {y}" for x, y in zip(low, low[1:], strict=False)]
            low3 = [f"{x} {y}" for x, y in zip(low2, low[2:], strict=False)]
            title2 = [x and y for x, y in zip(title, title[1:], strict=False)]
            values = {
                "raw1": sy, "low1": low, "dig1": [_is_i32(s) for s in sy],
                "tit1": [tf[x] for x in title], "dic1": [tf[x in d] for x in low],
                "raw2": raw2, "low2": low2, "tit2": [tf[x] for x in title2],
                "dic2": [tf[x in d] for x in low2],
                "raw3": [f"{x} {y}" for x, y in zip(raw2, sy[2:], strict=False)],
                "tit3": [tf[x and y] for x, y in zip(title2, title[2:], strict=False)],
                "dic3": [tf[x in d] for x in low3],
            }
            for c, out in cols.items():
                v = values[c]
                out += _PAD_BOS
                out += v
                out += [_EOS] * (n + 2 - len(v))
            pos.extend(range(base + 2, base + 2 + n))
            base += n + 4
        at = np.array(pos, dtype=np.int64)
        ids = {c: np.fromiter(map(self.vocab[c].get, v, repeat(0)), dtype=np.int64, count=len(v))
               for c, v in cols.items()}
        emit = np.zeros((len(pos), 2))
        for c, a, w in self.templates:  # in the featurizer's order: sums round as the tagger's do
            emit += w[ids[c][at + a]]
        out, k = [], 0
        for sy in sequences:
            out.append(self._viterbi(emit[k:k + len(sy)].tolist()))
            k += len(sy)
        return out

    def _viterbi(self, emit: list[list[float]]) -> list[bool]:
        """Best tag path; on an exact tie the first label (B-W) wins, as in CRFsuite."""
        if not emit:
            return []
        (bb, bi), (ib, ii) = self.trans
        db, di = emit[0]
        back = []
        for eb, ei in emit[1:]:
            b_from_b = db + bb >= di + ib
            i_from_b = db + bi >= di + ii
            db, di = (db + bb if b_from_b else di + ib) + eb, (db + bi if i_from_b else di + ii) + ei
            back.append((b_from_b, i_from_b))
        cur = di > db
        out = [cur]
        for b_from_b, i_from_b in reversed(back):
            cur = not (i_from_b if cur else b_from_b)
            out.append(cur)
        out.reverse()
        return out


@lru_cache(maxsize=1)
def load() -> Segmenter | None:
    """underthesea's word-segmentation model, or ``None`` if this version ships another one."""
    try:
        import joblib
        import underthesea

        base = Path(underthesea.__file__).parent.joinpath(*MODEL_DIR)
        # the same files, read the same way, as underthesea's own word_tokenize reads them
        templates = joblib.load(base / "features.bin")
        dictionary = joblib.load(base / "dictionary.bin")
        return Segmenter((base / "models.bin").read_bytes(), list(templates), set(dictionary))
    except Exception:  # another underthesea: fall back to its word_tokenize
        return None


@lru_cache(maxsize=1)
def _syllable_rules():
    from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map
    from underthesea.pipeline.word_tokenize import regex_tokenize as rt

    pattern = re.compile(rt.regex_patterns_combine, re.VERBOSE | re.UNICODE)
    same_length = all(len(k) == len(v) for k, v in character_map.items())
    return pattern, (character_map if same_length else None), token_map


_PLAIN = re.compile(r"[^\W\d_]+")  # a chunk of letters only: underthesea's regex makes it one syllable
_CHUNK = re.compile(r"\S+")


def _syllables(text: str, pattern, token_map) -> tuple[list[tuple[int, int]], list[str]]:
    """underthesea's syllables of *text* with their spans.

    Its regex tries a dozen alternatives (URLs, dates, abbreviations) at every
    position; a whitespace-separated chunk of letters can only be one ``\\w+``
    match, so the regex runs only on the other chunks (no match spans
    whitespace, so running it chunk by chunk finds the same matches).
    """
    spans, sylls = [], []
    plain, match = _PLAIN.fullmatch, pattern.match
    for c in _CHUNK.finditer(text):
        s = c.group()
        if plain(s):
            spans.append(c.span())
            sylls.append(token_map.get(s, s) if len(s) <= 6 else s)
            continue
        i, end = c.span()
        while i < end:
            m = match(text, i)
            if m is None:  # cannot happen (the last alternative takes any non-space), but never loop
                i += 1
                continue
            s = m.group()
            spans.append(m.span())
            sylls.append(token_map.get(s, s) if len(s) <= 6 else s)
            i = m.end()
    return spans, sylls


def words_many(texts: list[str]) -> list[list[tuple[int, int, str]]] | None:
    """underthesea's words of each NFC text: ``(start, end, word)``, word as ``word_tokenize`` gives it.

    ``None`` when this fast path cannot promise ``word_tokenize``'s answer
    (another model, a character map that changes lengths).
    """
    seg = load()
    if seg is None:
        return None
    pattern, char_map, token_map = _syllable_rules()
    if char_map is None:
        return None
    found = []
    for text in texts:
        for k, v in char_map.items():
            if k in text:
                text = text.replace(k, v)
        found.append(_syllables(text, pattern, token_map))
    out = []
    for (spans, sylls), tags in zip(found, seg.tags_many([s for _, s in found]), strict=True):
        ws: list[tuple[int, int, str]] = []
        for (i, j), s, cont in zip(spans, sylls, tags, strict=True):
            if cont and ws:
                start, _, w = ws[-1]
                ws[-1] = (start, j, f"{w} {s}")
            else:
                ws.append((i, j, s))
        out.append(ws)
    return out


def words(text: str) -> list[tuple[int, int, str]] | None:
    """:func:`words_many` of one text."""
    got = words_many([text])
    return None if got is None else got[0]
