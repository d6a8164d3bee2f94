"""spaCy integration: an underthesea tokenizer and three pipeline components.

    nlp = vn_obligations.load_spacy()
    doc = nlp(text)
    [(s.text, s._.label, s._.confidence) for s in doc.sents]
    [(a.text, a.label_, a.kb_id_) for a in doc.spans["actors"]]    # LEAD / SUPPORT, canonical name
    [(d.text, d.label_, d.kb_id_) for d in doc.spans["deadlines"]]  # DEADLINE, ISO date or rhythm
    doc._.letter                                                    # the Letter of vn_obligations.extract

The pieces are registered by name, and through entry points in
``pyproject.toml``, so a plain spaCy config builds the pipeline (see
``data/spacy_config.cfg``) without importing this module first:

* tokenizer ``vn_obligations.Tokenizer.v1``: underthesea words (``Sở Y tế`` is
  two tokens, ``Sở`` and ``Y tế``) plus whitespace tokens, so the tokens
  reconstruct the text exactly.  It cuts the letter into segments first and
  tokenizes each one as :func:`vn_obligations.extract` does, so no token
  crosses a segment boundary and the classifier reuses these words;
* ``vn_obligations_segmenter``: sentence starts at our segments (header lines,
  recipients, body sentences, ...); a sentence runs from its segment to the
  next one, so it keeps the whitespace (and stray markup such as a lone
  ``*`` line) that follows it: ``sent.text.strip()`` starts with the segment;
* ``vn_obligations_classifier``: ``sent._.label`` and ``sent._.confidence``
  (the shipped model, or the skops file named by its ``model`` setting);
* ``vn_obligations_rules``: the frame, actors and deadlines of
  :func:`vn_obligations.extract` run on the labels found in the doc, so you
  may overrule a label (``sent._.label = "other"``) before it runs.  It sets
  ``doc._.letter``, ``doc.spans["actors"]``, ``doc.spans["deadlines"]`` and
  ``doc.spans["sentences"]`` (each segment labelled with its sentence label).

``span._.label`` / ``span._.confidence`` work on any span: they are those of
the segment the span starts in.  Everything is kept as plain data in
``doc.user_data``, so docs survive ``doc.to_bytes()``, ``DocBin`` and
``nlp.pipe(..., n_process=2)``; ``doc._.letter`` rebuilds the Letter from it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, astuple, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import load_config, load_model_from_config, registry

from .classify import label_segments, load_model
from .letter import LABELS, Actor, Deadline, DistributionEntry, Letter, Metadata, Obligation, Reference, Sentence
from .normalize import normalize
from .pipeline import extract
from .segment import Segment, segment
from .tokenize import Token, tokenize_many

CONFIG_PATH = Path(__file__).resolve().parent / "data" / "spacy_config.cfg"
TOKENIZER_NAME = "vn_obligations.Tokenizer.v1"
SEGMENTER, CLASSIFIER, RULES = "vn_obligations_segmenter", "vn_obligations_classifier", "vn_obligations_rules"

# keys in doc.user_data (plain lists and dicts only, so msgpack can carry them)
_CACHE = "vn_obligations.analysis"     # tokenizer -> segmenter/classifier: segments and their words
_ROWS = "vn_obligations.sentences"     # [start, end, label, confidence] per segment, caller's offsets
_LETTER = "vn_obligations.letter"      # dataclasses.asdict(Letter)

_NONSPACE = re.compile(r"\S+")


# --------------------------------------------------------------------------- analysis shared by the stages
def _analyse(text: str) -> dict[str, Any]:
    """Segments (NFC offsets, as extract cuts them), their words, and their spans in *text*."""
    t = normalize(text)
    segs = segment(t.nfc)
    return {
        "segments": [list(astuple(s)) for s in segs],
        "spans": [list(t.span(s.start, s.end)) for s in segs],
        "tokens": [[[w.text, w.start, w.end] for w in toks] for toks in tokenize_many([s.text for s in segs])],
    }


def _analysis(doc: Doc) -> dict[str, Any]:
    cached = doc.user_data.get(_CACHE)
    if cached is None:
        cached = doc.user_data[_CACHE] = _analyse(doc.text)
    return cached


# --------------------------------------------------------------------------- tokenizer
class VietnameseTokenizer:
    """Text -> Doc with underthesea words; whitespace runs become whitespace tokens."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        t = normalize(text)
        analysis = _analyse(text)
        spans: list[tuple[int, int]] = []
        for seg, words in zip(analysis["segments"], analysis["tokens"], strict=True):
            seg_start = seg[0]  # NFC offset of the segment (Segment.start)
            for _, a, b in words:
                spans.append(t.span(seg_start + a, seg_start + b))
        words, spaces = _words_and_spaces(text, spans)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[_CACHE] = analysis
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # stateless: nothing to save, but spaCy's nlp.to_disk / from_disk call these
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> VietnameseTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> VietnameseTokenizer:
        return self


def _words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing-space flags for *text*, given sorted word spans.

    Non-space characters no span covers become their own tokens; whitespace
    becomes a trailing space flag (one ``" "``) or a whitespace token, so that
    the words and flags rebuild *text* character for character.
    """
    pieces: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos or b <= a:
            continue
        pieces.extend((m.start(), m.end()) for m in _NONSPACE.finditer(text, pos, a))
        pieces.append((a, b))
        pos = b
    pieces.extend((m.start(), m.end()) for m in _NONSPACE.finditer(text, pos))

    words: list[str] = []
    spaces: list[bool] = []
    pos = 0

    def add_gap(gap: str) -> None:
        # one space after a word is spaCy's trailing space; any other gap is a whitespace token
        if gap and words and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    for a, b in pieces:
        add_gap(text[pos:a])
        words.append(text[a:b])
        spaces.append(False)
        pos = b
    add_gap(text[pos:])
    return words, spaces


@registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer():
    """The ``[nlp.tokenizer]`` block: ``@tokenizers = "vn_obligations.Tokenizer.v1"``."""
    def make(nlp: Language) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab)
    return make


# --------------------------------------------------------------------------- extensions
def _rows(doc: Doc) -> list[list]:
    return doc.user_data.get(_ROWS) or []


def _row_of(span: Span) -> list | None:
    rows = _rows(span.doc)
    if not rows:
        return None
    k = bisect_right([r[0] for r in rows], span.start_char) - 1
    return rows[max(k, 0)]


def _get_label(span: Span) -> str | None:
    row = _row_of(span)
    return row[2] if row else None


def _set_label(span: Span, value: str | None) -> None:
    row = _row_of(span)
    if row is None:
        raise ValueError(f"{SEGMENTER} has not run on this doc: no sentences to label")
    if value is not None and value not in LABELS:
        raise ValueError(f"unknown label {value!r}; expected one of {', '.join(LABELS)}")
    row[2], row[3] = value, None


def _get_confidence(span: Span) -> float | None:
    row = _row_of(span)
    return row[3] if row else None


def _get_letter(doc: Doc) -> Letter | None:
    data = doc.user_data.get(_LETTER)
    return None if data is None else letter_from_dict(data)


Span.set_extension("label", getter=_get_label, setter=_set_label, force=True)
Span.set_extension("confidence", getter=_get_confidence, force=True)
Doc.set_extension("letter", getter=_get_letter, force=True)


def letter_from_dict(d: dict[str, Any]) -> Letter:
    """Rebuild a :class:`Letter` from ``dataclasses.asdict(letter)`` (lists may stand for tuples)."""
    return Letter(
        text=d["text"], metadata=Metadata(**d["metadata"]),
        sentences=tuple(Sentence(**s) for s in d["sentences"]),
        obligations=tuple(
            Obligation(**{**o, "actors": tuple(Actor(**a) for a in o["actors"]),
                          "deadlines": tuple(Deadline(**x) for x in o["deadlines"]),
                          "report_to": tuple(o["report_to"])})
            for o in d["obligations"]),
        recipients=tuple(d["recipients"]),
        distribution=tuple(DistributionEntry(**x) for x in d["distribution"]),
        references=tuple(Reference(**r) for r in d["references"]),
        source=d.get("source"), extra=dict(d.get("extra") or {}))


# --------------------------------------------------------------------------- components
class Segmenter:
    """Sentence starts at the segments of :func:`vn_obligations.segment`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = _analysis(doc)["spans"]
        doc.user_data[_ROWS] = [[a, b, None, None] for a, b in spans]
        doc.user_data.pop(_LETTER, None)
        if not len(doc):
            return doc
        starts = set()
        for a, b in spans:
            sp = doc.char_span(a, b, alignment_mode="expand")
            if sp is not None and len(sp):
                starts.add(sp.start)
        # leading whitespace belongs to the first sentence, as trailing whitespace does to each
        starts = (starts - {min(starts)} if starts else set()) | {0}
        for tok in doc:
            tok.is_sent_start = tok.i in starts
        return doc


class Classifier:
    """A label and a confidence for every segment (``sent._.label``, ``sent._.confidence``)."""

    def __init__(self, nlp: Language, name: str, model: str | None = None):
        self.name = name
        self.model_path = model
        self._model = None  # loaded on first use

    @property
    def model(self):
        if self._model is None:
            self._model = load_model(self.model_path)
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.user_data.get(_ROWS)
        if rows is None:
            raise ValueError(f"{self.name}: add '{SEGMENTER}' before it in the pipeline")
        analysis = doc.user_data.pop(_CACHE, None) or _analyse(doc.text)
        segs = [Segment(*s) for s in analysis["segments"]]
        tokens = [tuple(Token(*w) for w in words) if s.zone == "body" else ()
                  for s, words in zip(segs, analysis["tokens"], strict=True)]
        for row, (label, conf) in zip(rows, label_segments(segs, tokens, self.model), strict=True):
            row[2], row[3] = label, conf
        return doc


class Rules:
    """The frame, actors and deadlines: :func:`vn_obligations.extract` on the doc's labels."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.user_data.get(_ROWS)
        if rows is None or any(r[2] is None for r in rows):
            raise ValueError(f"{self.name}: every sentence needs a label: add '{CLASSIFIER}' before it "
                             f"or set sent._.label yourself")
        letter = extract(doc.text, labels=[r[2] for r in rows])
        if len(letter.sentences) != len(rows):  # cannot happen unless segment() is not deterministic
            raise ValueError(f"{self.name}: {len(rows)} labels for {len(letter.sentences)} segments")
        letter = replace(letter, sentences=tuple(replace(s, confidence=r[3])
                                                 for s, r in zip(letter.sentences, rows, strict=True)))
        doc.user_data[_LETTER] = asdict(letter)

        doc.spans["sentences"] = _spans(doc, ((s.start, s.end, s.label, "") for s in letter.sentences))
        doc.spans["actors"] = _spans(doc, ((a.start, a.end, a.role.upper(), a.canonical or "")
                                           for ob in letter.obligations for a in ob.actors
                                           if a.source == "explicit" and a.start is not None))
        doc.spans["deadlines"] = _spans(doc, ((d.start, d.end, "DEADLINE", d.date or d.recurrence or "")
                                              for ob in letter.obligations for d in ob.deadlines
                                              if d.start is not None))
        return doc


def _spans(doc: Doc, items) -> list[Span]:
    """Token-aligned spans (widened to whole tokens) for (start, end, label, kb_id), without repeats."""
    out, seen = [], set()
    for a, b, label, kb in items:
        if (a, b, label) in seen:
            continue
        seen.add((a, b, label))
        sp = doc.char_span(a, b, label=label, kb_id=kb, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append(sp)
    return out


@Language.factory(SEGMENTER, assigns=["token.is_sent_start"])
def make_segmenter(nlp: Language, name: str) -> Segmenter:
    return Segmenter(nlp, name)


@Language.factory(CLASSIFIER, default_config={"model": None}, assigns=["span._.label", "span._.confidence"])
def make_classifier(nlp: Language, name: str, model: str | None) -> Classifier:
    return Classifier(nlp, name, model)


@Language.factory(RULES, assigns=["doc._.letter", "doc.spans"])
def make_rules(nlp: Language, name: str) -> Rules:
    return Rules(nlp, name)


# --------------------------------------------------------------------------- building
def load_spacy(model=None, config: str | Path | None = None) -> Language:
    """The vn_obligations pipeline as a spaCy ``Language`` (lang ``vi``, no pyvi needed).

    *model* is the classifier: ``None`` for the shipped one, a skops path, or
    a model from :func:`vn_obligations.load_model`.  *config* replaces the
    packaged ``data/spacy_config.cfg``.
    """
    cfg = load_config(config or CONFIG_PATH)
    if isinstance(model, (str, Path)):
        cfg = load_config(config or CONFIG_PATH,
                          overrides={f"components.{CLASSIFIER}.model": str(model)})
    nlp = load_model_from_config(cfg, auto_fill=True)
    if model is not None and not isinstance(model, (str, Path)) and CLASSIFIER in nlp.pipe_names:
        nlp.get_pipe(CLASSIFIER).model = model
    return nlp
