"""Sentence labels: requirement / rationale / recipient_list / other.

Words alone cannot tell a directive from the quoted rule it implements, or an
actor heading from a task: the same ``phải`` and ``Sở Y tế`` appear in both.
So each segment is described by three views, and one linear model weighs
them:

* its own words (underthesea word segmentation) and character n-grams, which
  survive typos and old tone placement;
* its layout: zone, line kind, list marker, depth, position, trailing ``:``;
* its context: the words of its lead-in, its parent heading, its neighbours,
  and whether it sits inside a quotation or under an attribution
  (``... quy định:``).

The letter is read twice: a second model sees, besides those views, what a
first one made of the segment's neighbours, parent item and siblings (list
items go with their siblings).  Both live in one scikit-learn ``Pipeline``
saved with skops; :func:`load_model` loads it trusting only
scikit-learn/numpy/scipy types and the feature functions of this module.
"""
from __future__ import annotations

import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .errors import ModelError
from .normalize import fold_tones
from .roles import is_actor_heading
from .segment import Segment, marker_class
from .tokenize import Token, tokenize

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "classifier.skops"
_PACKAGED_MODEL = Path(__file__).resolve().parent / "data" / "classifier.skops"

_MARKS = re.compile(r"[*#_]+")
_NUM = re.compile(r"\d+")
DEFAULT_C = 8.0  # chosen by grouped CV on the corpus (see models/MODEL_CARD.md)
_HEAD_CUT = 8
_CHAR_CUT = 80  # characters n-grams read: a segment's opening says what it is
_QUOTE_SPAN = 12  # segments a quotation is assumed to run without a closing mark  # words of context segments that matter: their start and end


# --------------------------------------------------------------------------- features
def _words(text: str, tokens: Sequence[Token] | None) -> list[str]:
    toks = tokens if tokens else tokenize(text)
    folded = fold_tones(text)  # same length as *text*: token offsets hold
    out = []
    for t in toks:
        w = folded[t.start:t.end]
        if "*" in w or "#" in w or "_" in w:
            w = _MARKS.sub("", w)
        w = w.lower().strip()
        if w:
            out.append(w.replace(" ", "_"))
    # numbers become 0 in one pass: no word holds a space, so the join splits back exactly
    return _NUM.sub("0", " ".join(out)).split(" ") if out else out


_PLAIN_WORD = re.compile(r"\w+|[^\w\s]")


def _plain_words(text: str) -> list[str]:
    """Words of a header, recipient or signature line: its layout says more than its words,
    so a regex split is enough and underthesea is kept for the body."""
    return [_NUM.sub("0", w) for w in _PLAIN_WORD.findall(_MARKS.sub(" ", fold_tones(text)).lower())]


_COARSE = {"num1": "num", "num2": "num_deep", "num3": "num_deep", "num4": "num_deep", "paren_num": "paren",
           "article": "part", "mục": "part", "plus": "dash"}


def _marker_kind(marker: str | None) -> str:
    """The segmenter's marker kinds, coarsened: enough for the model, fewer sparse features."""
    if not marker:
        return "none"
    c = marker_class(marker)
    return _COARSE.get(c, c)


_MARKER_WORD = re.compile(r"^(?:[-+•–—·▪◦*.()]|\d+(?:\.\d+)*\.?|[a-zđ]\)|[ivxlc]+\.?|\(\w+\)|điều|[a-zđ]\.?|0\.?)$")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(?:[A-ZÀ-ỸĐ“\"]|[a-zđ]\)\s)")  # "2 Khoản 3 Điều 5 ...", "5 đ) ..."
_UNIT = re.compile(r"\d\s*(?:m|cm|mm|km|ha|m2|m3|tấn|kg|%|đồng|triệu|tỷ|kv|kw|ω)\b", re.IGNORECASE)
_ANNEX = re.compile(r"^\W*PH[ỤU] L[ỤU]C\b", re.IGNORECASE)
_ATTR = re.compile(r"^\W*(?:[\w.()]+\s*[.)]\s*)?([^:;,.]{2,40}):\s*\S")


def _after_marker(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) and _MARKER_WORD.match(words[i]):
        i += 1
    return words[i:]


def _shape(plain: str, words: list[str]) -> list[str]:
    """Where the words sit: the first two after the list marker, the last, and an ``X:`` prefix."""
    rest = _after_marker(words)
    out = ["S:" + x for x in rest[:2]] + (["S2:" + "_".join(rest[:2])] if len(rest) > 1 else [])
    if rest:
        out.append("E:" + rest[-1])
    if _UNIT.search(plain):
        out.append("X:unit")
    m = _ATTR.match(plain)
    if m:
        out += ["K:" + x for x in _plain_words(m.group(1))[:4]]
    return out


_BLOCK_QUOTE = re.compile(r"(?:^[\W\d]{0,8}|:\s*)[“\"][^”\"]*$")


def _opens_block(text: str) -> bool:
    """Does an unclosed quotation mark open a quoted block (at the start, or after a colon)?

    An unclosed mark in the middle of a sentence is a typo or a title, not a block.
    """
    return bool(_BLOCK_QUOTE.search(_MARKS.sub("", text)))


def _edge(words: list[str]) -> list[str]:
    return words[:_HEAD_CUT] + words[-_HEAD_CUT:] if len(words) > 2 * _HEAD_CUT else words


def segment_features(segments: Sequence[Segment], tokens: Sequence[Sequence[Token]] | None = None,
                     ) -> list[dict]:
    """One feature record per segment: ``words``, ``context`` (strings) and ``layout`` (a dict).

    Computed once per letter, because context needs the whole sequence.
    """
    n = len(segments)
    words = [_words(s.text, tokens[i] if tokens else None) if s.zone == "body" else
             _plain_words(s.text)[:12] for i, s in enumerate(segments)]
    body = [i for i, s in enumerate(segments) if s.zone == "body"]
    first_body, last_body = (body[0], body[-1]) if body else (0, 0)
    order = {i: k for k, i in enumerate(body)}
    out = []
    parents: list[int] = []   # stack of indices of marked segments (by depth)
    lead_in = -1              # last body segment ending with ':'
    heading = -1              # last top-level heading (roman / num)
    open_quotes = 0
    quoted_by = -1            # the lead-in (attribution) whose quotation is open
    closed_quote = False      # the previous body segment closed a quotation
    annex: list[str] | None = None  # inside an annex (PHỤ LỤC): the words of its title
    for i, s in enumerate(segments):
        plain = _MARKS.sub("", s.text).strip()
        w = words[i]
        if s.zone == "body" and len(plain) < 60 and _ANNEX.match(plain):
            # what an annex holds (a report outline, a task table) its title says
            annex = [x for j in body[order[i] + 1: order[i] + 3] for x in words[j][:6]]
        lay: dict[str, object] = {
            "zone": s.zone, "kind": s.kind, "marker": _marker_kind(s.marker),
            "depth": str(min(s.depth, 5)), "colon": plain.endswith(":"),
            "short": len(w) <= 4, "long": len(w) >= 40, "continued": s.continued,
            "upper": plain.isupper(), "ends_dot": plain.endswith((".", "./.", ".\"", ".”")),
            "bold": s.text.lstrip().startswith("**"),
            "quote_open": open_quotes > 0, "after_quote": closed_quote,
            "starts_quote": plain[:3].lstrip("-+ ").startswith(("“", '"')),
            "footnote": bool(_FOOTNOTE.match(plain)) and s.kind != "table_row" and not s.marker,
        }
        if s.zone == "body" and body:
            # the opening sentences of a body state its grounds; beyond them,
            # relative position says more about one corpus than about letters
            lay["body_index"] = str(min(3, i - first_body))
            lay["last_body"] = i == last_body
        ctx: list[str] = _shape(plain, w)
        if s.zone == "body" and not lay["ends_dot"] and len(w) <= 25 and (s.marker or lay["upper"] or lay["bold"]):
            # a title: its first words say whether it sets a task or names a topic (§7)
            lay["title"] = True
            ctx += ["T:" + x for x in _after_marker(w)[:2]]
        if annex is not None and not (len(plain) < 60 and _ANNEX.match(plain)):
            lay["annex"] = True
            ctx += ["A:" + x for x in annex]
        if s.zone == "body":
            # the parent: nearest marked segment with a smaller depth
            while parents and segments[parents[-1]].depth >= s.depth and s.marker:
                parents.pop()
            par = parents[-1] if parents else -1
            if par >= 0 and par != i:
                ctx += ["P:" + x for x in _edge(words[par])]
                lay["parent_colon"] = _MARKS.sub("", segments[par].text).strip().endswith(":")
            if lead_in >= 0:
                ctx += ["L:" + x for x in words[lead_in][-_HEAD_CUT:]]
                lay["lead_in_dist"] = str(min(3, order[i] - order[lead_in] - 1))
            if heading >= 0:
                ctx += ["H:" + x for x in words[heading][:6]]
            prev = i - 1
            while prev >= 0 and segments[prev].zone == "furniture":
                prev -= 1
            if prev >= 0:
                ctx += ["B:" + x for x in _edge(words[prev])]
                pp = _MARKS.sub("", segments[prev].text).strip()
                lay["prev_colon"] = pp.endswith(":")
                lay["prev_zone"] = segments[prev].zone
                lay["prev_marker"] = _marker_kind(segments[prev].marker)
            if i + 1 < n:
                ctx += ["N:" + x for x in words[i + 1][:4]]
                lay["next_marker"] = _marker_kind(segments[i + 1].marker)
            if s.marker:
                parents.append(i)
            if plain.endswith(":"):
                lead_in = i
            if _marker_kind(s.marker) in ("roman", "part") or (_marker_kind(s.marker) == "num" and s.depth <= 1):
                heading = i
            # a quotation stays open until it closes, but a stray opening mark
            # (a footnote, a typo) must not colour the rest of the letter
            opened, closed = s.text.count("“"), s.text.count("”")
            if s.text.count('"') % 2:  # straight quotes: an odd count opens or closes
                if open_quotes:
                    closed += 1
                else:
                    opened += 1
            if opened and lead_in >= 0 and order[i] - order[lead_in] == 1:
                quoted_by = lead_in  # an attribution's scope is the quotation below it
            closed_quote = bool(closed >= opened and closed)
            if closed_quote:
                open_quotes = 0
                if quoted_by >= 0 and lead_in == quoted_by:
                    lead_in = quoted_by = -1
            elif opened > closed and _opens_block(s.text):
                open_quotes = _QUOTE_SPAN
            else:
                open_quotes = max(0, open_quotes - 1)
        out.append({"words": " ".join(w), "context": " ".join(ctx), "layout": lay,
                    "chars": fold_tones(plain[:_CHAR_CUT]).lower()})
    return out


# the field selectors used inside the saved pipeline (trusted by the loader)
def field_words(rows):
    return [r["words"] for r in rows]


def field_context(rows):
    return [r["context"] for r in rows]


def field_chars(rows):
    return [r["chars"] for r in rows]


def field_layout(rows):
    return [r["layout"] for r in rows]


def split_space(text):
    return text.split()


def with_first_pass(rows, model):
    """*rows* of one letter, each told what a first model thinks of it and of its neighbours.

    A list item's label goes with its siblings' and its parent's: a second
    model that sees the first one's probabilities for the segment, its
    neighbours and its parent, and the label mix of its siblings, corrects
    items that read alone are ambiguous.  (The first step of the shipped
    pipeline; training feeds it out-of-fold probabilities instead.)
    """
    return add_neighbour_probabilities(rows, _predict_proba(model, rows), list(model.classes_))


def add_neighbour_probabilities(rows: list[dict], proba, classes: list[str]) -> list[dict]:
    """*rows* with first-pass probabilities of the segment, its neighbours, its parent and siblings."""
    body = [i for i, r in enumerate(rows) if r["layout"]["zone"] == "body"]
    marked = {i: rows[i]["layout"]["marker"] != "none" for i in body}
    depth = {i: int(rows[i]["layout"]["depth"]) for i in body}
    parent: dict[int, int] = {}
    stack: list[int] = []
    for i in body:
        while stack and depth[stack[-1]] >= depth[i] and marked[i]:
            stack.pop()
        parent[i] = stack[-1] if stack else -1
        if marked[i]:
            stack.append(i)
    label = [classes[int(p.argmax())] for p in proba]
    # label counts per sibling group, so that each item's siblings cost O(1) (a long list has thousands)
    siblings: dict[tuple[int, int], Counter] = {}
    for i in body:
        if marked[i]:
            siblings.setdefault((parent[i], depth[i]), Counter())[label[i]] += 1
    out = []
    for k, i in enumerate(body):
        lay = dict(rows[i]["layout"])
        near = {"prev": body[k - 1] if k else -1, "next": body[k + 1] if k + 1 < len(body) else -1,
                "par": parent[i]}
        for name, j in near.items():
            lay[f"s1_{name}"] = label[j] if j >= 0 else "none"
            if j >= 0:
                lay.update({f"p{name}_{c}": float(x) for c, x in zip(classes, proba[j], strict=True)})
        lay.update({f"p_{c}": float(x) for c, x in zip(classes, proba[i], strict=True)})
        group = siblings[(parent[i], depth[i])] if marked[i] else Counter()
        others = sum(group.values()) - 1  # this item's siblings, itself left out
        for c in classes:
            lay[f"sib_{c}"] = (group[c] - (label[i] == c)) / others if others > 0 else 0.0
        out.append((i, lay))
    rows = list(rows)
    for i, lay in out:
        rows[i] = {**rows[i], "layout": lay}
    return rows


TRUSTED_FUNCTIONS = [f"{__name__}.{f.__name__}" for f in
                     (field_words, field_context, field_chars, field_layout, split_space, with_first_pass)]


def build_pipeline(C: float = DEFAULT_C):
    """The untrained model: word, context, character and layout features into a logistic regression.

    Text views are hashed, not given a vocabulary: a saved vocabulary is a huge
    dict that skops stores node by node (25 MB, 2.5 s to load); hashed
    features leave only arrays, which load at once.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    def text_view(selector, bits, **hashing):
        return Pipeline([("select", FunctionTransformer(selector)),
                         ("hash", HashingVectorizer(n_features=2 ** bits, alternate_sign=False, norm=None,
                                                    lowercase=False, **hashing)),
                         ("tfidf", TfidfTransformer(sublinear_tf=True))])

    features = FeatureUnion([
        ("words", text_view(field_words, 17, tokenizer=split_space, token_pattern=None, ngram_range=(1, 2))),
        ("context", text_view(field_context, 15, tokenizer=split_space, token_pattern=None)),
        ("chars", text_view(field_chars, 17, analyzer="char_wb", ngram_range=(3, 4))),
        ("layout", Pipeline([("select", FunctionTransformer(field_layout)), ("dict", DictVectorizer())])),
    ])
    return Pipeline([("features", features),
                     ("model", LogisticRegression(C=C, max_iter=3000))])


# --------------------------------------------------------------------------- model files
def save_model(model, path: str | Path) -> Path:
    """Write *model* with skops (no pickle), and its fast-loading companion ``.npz`` beside it.

    The companion (see :mod:`vn_obligations.frozen`) is skipped, with any stale
    one removed, for a model it cannot describe; the skops file alone is then used.
    """
    import skops.io as sio

    from . import frozen

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, p, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    try:
        frozen.freeze(model, p, TRUSTED_FUNCTIONS)
    except frozen.FrozenError:
        frozen.companion(p).unlink(missing_ok=True)
    return p


def load_model(path: str | Path | None = None):
    """Load a classifier saved by :func:`save_model`; refuse files holding untrusted types.

    ``None`` loads the shipped model (cached: loaded once per process).
    """
    if path is None:
        return _default_model()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_model():
    for p in (MODEL_PATH, _PACKAGED_MODEL):
        if p.exists():
            return _load(p)
    raise ModelError(f"{MODEL_PATH}: the shipped model is missing; run `vn-obligations train corpora "
                     f"--out {MODEL_PATH}`")


def _load(p: Path):
    if not p.is_file():
        raise ModelError(f"{p}: no such model file")
    from . import frozen

    if frozen.companion(p).is_file():
        try:  # the companion spares the import of skops.io (0.7 s), if it matches this file
            return _checked(frozen.thaw(p, TRUSTED_FUNCTIONS), p)
        except frozen.FrozenError as e:
            warnings.warn(f"{e}; loading {p} with skops instead", stacklevel=3)
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:  # one pass: skops refuses any type beyond its defaults and our feature functions
        model = sio.load(p, trusted=TRUSTED_FUNCTIONS)
    except UntrustedTypesFoundException as e:
        raise ModelError(f"{p}: refused: the file holds types that are not trusted ({e})") from None
    except Exception as e:  # zip errors, JSON errors, …: not a skops file
        raise ModelError(f"{p}: not a vn_obligations model (cannot be read as a skops file: {e})") from None
    return _checked(model, p)


def _checked(model, p: Path):
    if not hasattr(model, "predict_proba") or list(getattr(model, "classes_", [])) == []:
        raise ModelError(f"{p}: not a vn_obligations classifier")
    return model


# --------------------------------------------------------------------------- predict
def label_segments(segments: Sequence[Segment], tokens: Sequence[Sequence[Token]] | None = None,
                   model=None) -> list[tuple[str, float]]:
    """A label and a confidence in [0, 1] for each segment.

    The model's labels, except that a list item naming only actors (``7. UBND
    các xã, phường``) is an actor heading (other) whatever the model says:
    the guideline decides that.
    """
    if not segments:
        return []
    model = model if model is not None else load_model()
    out = predict(model, segment_features(segments, tokens), segments)
    return [("other", 1.0) if lab == "requirement" and s.marker and s.kind != "table_row" and not s.continued
            and is_actor_heading(s.text, tokens[i] if tokens else tokenize(s.text)) else (lab, conf)
            for i, (s, (lab, conf)) in enumerate(zip(segments, out, strict=True))]


def _predict_proba(model, features: list[dict], _memo: dict | None = None):
    """``model.predict_proba``, without joblib's per-call set-up when the model is our pipeline.

    ``FeatureUnion.transform`` runs its parts through ``joblib.Parallel`` even
    with one job, which costs more than the features of a short letter; the
    parts are run here in turn and stacked the same way.  A text view hashed
    by the first pass is not hashed again by the second (*_memo*).
    """
    import sklearn
    from scipy import sparse
    from sklearn.pipeline import FeatureUnion

    steps = getattr(model, "steps", None)
    if not steps or any(getattr(t, "transformer_weights", None) for _, t in steps):
        return model.predict_proba(features)
    memo = {} if _memo is None else _memo
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        x = features
        for _, step in steps[:-1]:
            if isinstance(step, FeatureUnion):
                x = sparse.hstack([_view(t, x, memo) for _, t in step.transformer_list
                                   if t not in ("drop", None)]).tocsr()
            elif getattr(step, "func", None) is with_first_pass:
                x = add_neighbour_probabilities(x, _predict_proba(step.kw_args["model"], x, memo),
                                                list(step.kw_args["model"].classes_))
            else:
                x = _transform(step, x)
        return steps[-1][1].predict_proba(x)


def _view(est, rows, memo: dict):
    """One view of the union: select, hash (once per letter and view), weigh."""
    from sklearn.feature_extraction.text import HashingVectorizer

    parts = getattr(est, "steps", None)
    if not parts or len(parts) < 2 or not isinstance(parts[1][1], HashingVectorizer):
        return _transform(est, rows)
    select, hasher = parts[0][1], parts[1][1]
    key = (getattr(select, "func", None), repr(sorted(hasher.get_params().items())))
    if key not in memo:  # the memo lives for one call, that is one letter's rows
        memo[key] = hasher.transform(_transform(select, rows))
    x = memo[key]
    for _, step in parts[2:]:
        x = _transform(step, x)
    return x


def _transform(est, x):
    """``est.transform(x)``, a pipeline's steps run in turn (its per-call checks cost more than a letter)."""
    for _, step in getattr(est, "steps", None) or [(None, est)]:
        if step is None or step == "passthrough":
            continue
        x = _transform(step, x) if hasattr(step, "steps") else step.transform(x)
    return x


def predict(model, features: list[dict], segments: Sequence[Segment]) -> list[tuple[str, float]]:
    """Labels from a fitted model, with the two layout facts no model should overrule.

    Page furniture is other; the second piece of a sentence cut by furniture
    takes the label of the first.
    """
    proba = _predict_proba(model, features)
    classes = list(model.classes_)
    out: list[tuple[str, float]] = []
    prev = None
    for i, (s, p) in enumerate(zip(segments, proba, strict=True)):
        k = int(p.argmax())
        label, conf = str(classes[k]), float(p[k])
        if s.zone == "furniture":
            label, conf = "other", 1.0
        elif s.continued and prev is not None:
            label, conf = out[prev]
        if s.zone == "body":
            prev = i
        out.append((label, conf))
    return out
