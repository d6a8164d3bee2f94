"""Actors and lead/support roles of requirement segments (ANNOTATION.md section 3).

Directive letters name who acts in a few fixed places: at the start of a
clause (``Sở Y tế rà soát ...``), after a directive verb (``Đề nghị A ...``,
``UBND tỉnh yêu cầu A ...``), after a partnering cue (``phối hợp với B``,
``cùng với B``), and in the cells of a plan's task table.  Objects of verbs
(``chỉ đạo các cơ sở y tế``) sit elsewhere, so reading only those places keeps
them out without a parser.  Where a requirement names nobody, its actors come
from the context, in the guideline's order: the previous sentence of the
paragraph, the task's attribute lines, the nearest heading or lead-in.

Matching runs on a spaCy ``Doc`` of syllables built from the underthesea
tokens (tone-folded, ``**`` marks dropped) with ``PhraseMatcher`` /
``Matcher`` patterns compiled once from ``data/agencies.json``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from .letter import Actor, Metadata
from .lexicon import expand_abbreviations
from .normalize import fold_tones
from .segment import Segment
from .tokenize import Token

_PLACES = {"tỉnh", "thành", "huyện", "quận", "xã", "phường", "thị", "cấp", "địa", "khu", "vùng"}
_PUNCT = set(",;:.()[]!?\"“”'…/|")
_SYL_RE = re.compile(r"[^\W_]+(?:[&'’./][^\W_]+)*&?|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Assignment:
    """Who must act on one requirement, and to whom they report."""

    actors: tuple[Actor, ...] = ()
    report_to: tuple[str, ...] = ()
    implicit: bool = False


# --------------------------------------------------------------------------- lexicon & matchers
@lru_cache(maxsize=1)
def agencies() -> dict:
    """The actor lexicon (``data/agencies.json``), read once."""
    return json.loads(resources.files("vn_obligations").joinpath("data/agencies.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _need_name() -> frozenset[str]:
    """Heads that are common words unless a capitalised name follows (``Phòng``, ``Tổ``)."""
    return frozenset(" ".join(_syllables(h)) for h in agencies()["heads_need_name"])


@lru_cache(maxsize=1)
def _determiners() -> frozenset[str]:
    """Single-syllable determiners (``các``, ``mỗi``, ``từng``, ``những``)."""
    return frozenset(d for d in agencies()["determiners"] if " " not in d)


@lru_cache(maxsize=1)
def _collectives() -> frozenset[str]:
    """Collective nouns that a determiner turns into a body (``cơ quan``, ``doanh nghiệp``)."""
    return frozenset(" ".join(_syllables(c)) for c in agencies()["collectives"])


def _syllables(text: str) -> list[str]:
    """Split a lexicon phrase the way segment text is split into Doc words."""
    return _SYL_RE.findall(fold_tones(text))


@dataclass
class _Matchers:
    """Compiled patterns, built once: two ``PhraseMatcher`` passes cover every kind.

    ``cased`` holds agency heads that only count capitalised (ORTH); ``lower``
    holds everything matched case-free, each kind under its own label:
    ``HEAD``, the cue kinds, ``STOP`` (predicate starters that end a name) and
    ``NAME_OK`` (phrases allowed inside a name although they hold a stop word).
    """

    vocab: object
    cased: object
    lower: object


@lru_cache(maxsize=1)
def _matchers() -> _Matchers:
    """Compile every pattern of the lexicon into spaCy matchers (lazily, once per process)."""
    from spacy.attrs import LOWER
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    lex = agencies()
    # a bare Vocab has no lexical attribute getters: LOWER must be given, or
    # every word would share the empty lower form and match every pattern
    vocab = Vocab(lex_attr_getters={LOWER: str.lower})

    def docs(phrases, lower=True):
        out = []
        for p in phrases:
            words = _syllables(p.lower() if lower else p)
            if words:
                out.append(Doc(vocab, words=words))
        return out

    cased = PhraseMatcher(vocab, attr="ORTH")
    cased.add("HEAD", docs(lex["heads_cased"], lower=False))
    lower = PhraseMatcher(vocab, attr="LOWER")
    collectives = [f"{d} {c}" for d in lex["determiners"] for c in lex["collectives"]]
    lower.add("HEAD", docs(lex["heads_any"] + collectives))
    for key in _CUE_KINDS:
        lower.add(key.upper(), docs(lex[key]))
    lower.add("STOP", docs(lex["stop_words"]))
    lower.add("NAME_OK", docs(lex["name_words_ok"]))
    return _Matchers(vocab, cased, lower)


_CUE_KINDS = ("lead_cues", "support_cues", "speaker_verbs", "speaker_adverbs", "closing_verbs",
              "clause_prefixes", "heading_prefixes", "resource_verbs", "introducers", "report_cues",
              "report_preps", "attribute_lead", "attribute_support")


# --------------------------------------------------------------------------- one segment as syllables
@dataclass(slots=True)
class _Syl:
    text: str    # tone-folded, as printed (case kept)
    start: int   # offsets in the segment text
    end: int
    wstart: bool  # first syllable of an underthesea word


@dataclass
class _View:
    """A segment as syllables plus the match tables the rules read."""

    sy: list[_Syl]
    heads: dict[int, int] = field(default_factory=dict)        # start -> end of longest head
    cues: dict[str, dict[int, int]] = field(default_factory=dict)  # kind -> start -> end
    stops: set[int] = field(default_factory=set)
    name_ok: dict[int, int] = field(default_factory=dict)
    lows: list[str] = field(default_factory=list)  # the syllables lower-cased, read constantly

    def __post_init__(self) -> None:
        self.lows = [s.text.lower() for s in self.sy]

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < len(self.lows) else ""

    def cue(self, kind: str, i: int) -> int | None:
        """End of a *kind* cue starting at syllable *i*, or None."""
        return self.cues.get(kind, {}).get(i)


def _read(text: str, tokens: Sequence[Token]) -> tuple[_View, _Parse]:
    """The view of a segment and its parse, kept for the segments seen last.

    The classifier's actor-heading check and the role layer read the same
    segments, and formula sentences recur across letters; views are never
    changed after they are built, so sharing them is safe.
    """
    if isinstance(tokens, tuple):
        return _read_cached(text, tokens)
    v = _view(text, tokens)
    return v, _parse(v)


@lru_cache(maxsize=512)
def _read_cached(text: str, tokens: tuple[Token, ...]) -> tuple[_View, _Parse]:
    v = _view(text, tokens)
    return v, _parse(v)


def _view(text: str, tokens: Sequence[Token]) -> _View:
    """Syllables of *text* (from its underthesea *tokens*) and all matches over them.

    ``**``/``##`` marks are dropped (they are formatting, not text); a token
    glued to them keeps only its letters.
    """
    folded = fold_tones(text)
    sy: list[_Syl] = []
    for tok in tokens:
        first = True
        for m in _SYL_RE.finditer(folded, tok.start, tok.end):
            if m.group(0) in ("*", "#", "_"):
                continue
            sy.append(_Syl(m.group(0), m.start(), m.end(), first))
            first = False
    v = _View(sy)
    if not sy:
        return v
    from spacy.tokens import Doc

    mt = _matchers()
    doc = Doc(mt.vocab, words=[s.text for s in sy])
    need_name = _need_name()
    strings = mt.vocab.strings
    for key, a, b in list(mt.cased(doc)) + list(mt.lower(doc)):
        kind = strings[key]
        if kind == "HEAD":
            if not sy[a].wstart or b <= v.heads.get(a, 0):
                continue
            if " ".join(x.text for x in sy[a:b]) in need_name and not (
                    b < len(sy) and (_is_cap(sy[b].text) or sy[b].text in agencies()["need_name_ok_next"])):
                continue  # "Phòng bệnh", "Tổ chức": a common word, not "Phòng Tài chính"
            v.heads[a] = b
        elif kind == "STOP":
            if sy[a].wstart:
                v.stops.add(a)
        elif kind == "NAME_OK":
            v.name_ok[a] = max(b, v.name_ok.get(a, 0))
        else:
            table = v.cues.setdefault(kind, {})
            if b > table.get(a, 0):
                table[a] = b
    return v


# --------------------------------------------------------------------------- names and lists
@dataclass(frozen=True)
class _Found:
    start: int  # syllable span
    end: int
    role: str


def _is_cap(s: str) -> bool:
    return s[:1].isupper() or s[:1].isdigit()


def _continues(v: _View, j: int, prev: int, start: int | None = None) -> int | None:
    """Does the list separator at *j* (``,`` ``và`` ``-`` ``&``) keep the name going?

    ``Sở Văn hóa, Thể thao và Du lịch`` and ``các Sở, ban, ngành`` are one
    body; a separator followed by a body of its own ends the name.
    """
    nxt = j + 1
    if nxt >= len(v.sy):
        return None
    sep = v.low(j)
    if nxt in v.heads:
        # "các tổ chức, doanh nghiệp": a determiner in the name covers a bare
        # lowercase collective after it; a body with its own determiner or a
        # capitalised name stands alone, and so does one after a list of
        # places ("UBND các quận, huyện, doanh nghiệp")
        if start is not None and any(v.low(k) in _determiners() and v.low(k + 1) not in _PLACES
                                     for k in range(start, j)) and sep in (",", "và") \
                and not _is_cap(v.sy[nxt].text) and v.low(nxt) not in _determiners() \
                and " ".join(v.low(k) for k in range(nxt, v.heads[nxt])) in _collectives():
            return v.heads[nxt]
        return None
    nt = v.sy[nxt].text
    if sep in ("-", "–"):
        return nxt + 1 if _is_cap(nt) else None
    if _is_cap(nt) and sep in (",", "và", "&"):
        return nxt + 1  # "Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư"
    if not _is_cap(nt):
        for w in sorted(agencies()["list_continuations"], key=len, reverse=True):
            parts = _syllables(w)
            if [v.low(nxt + k) for k in range(len(parts))] == parts:
                return nxt + len(parts)
    return None


def _name_end(v: _View, i: int) -> int:
    """End (syllable index) of the body name whose head starts at *i*."""
    j = v.heads.get(i, i + 1)
    n = len(v.sy)
    while j < n and j - i < 30:
        if j in v.name_ok:
            j = v.name_ok[j]
            continue
        t = v.sy[j].text
        tl = t.lower()
        if tl in (",", "và", "hoặc", "-", "–", "&"):
            e = _continues(v, j, j - 1, i)
            if e is not None:
                j = e
                continue
            break
        if t in _PUNCT or t in ("-", "–", "+", ">"):
            break
        if j in v.stops and not _is_cap(t):
            break  # a lowercase predicate starts; capitalised words belong to the name
        j += 1
    return j


def _actor_list(v: _View, i: int, role: str, liberal: bool = False,
                extend: bool = False) -> tuple[list[_Found], int]:
    """The actors listed from syllable *i* on, split where each part names a body.

    Separators are ``,`` ``;`` ``và`` ``hoặc`` ``/``.  Returns the actors and
    the index after the list.  *liberal* (table cells, attribute lines) also
    takes a part that does not open with a known head.
    """
    out: list[_Found] = []
    j = i
    n = len(v.sy)
    while j < n:
        if j in v.heads:
            e = _name_end(v, j)
            if liberal or extend:
                e = _cell_part_end(v, e)
        elif liberal and v.sy[j].text not in _PUNCT:
            e = j + 1
            while e < n and v.sy[e].text not in (",", ";", ".", "(", ":", "|"):
                e += 1
        else:
            break
        out.append(_Found(j, e, role))
        k = e
        while k < n and v.low(k) in (",", ";", "và", "hoặc", "/", "cùng"):
            k += 1
        if k == e or k >= n or not (k in v.heads or liberal and v.sy[k].text not in _PUNCT):
            j = e
            break
        j = k
    return out, j


def _cell_part_end(v: _View, e: int) -> int:
    """In a cell or an actor heading, a name runs on to the next list separator.

    (``các tổ chức hoạt động khai thác khoáng sản liên quan``): there is no
    predicate to stop it, so a modifier belongs to the name.
    """
    n = len(v.sy)
    while e < n:
        t = v.sy[e].text
        if t in (";", "|", "(", ":", ".") or t in (",", "và", "hoặc", "/") and (e + 1 in v.heads or e + 1 >= n):
            break
        e += 1
    return e


def _heading_actors(v: _View) -> list[_Found]:
    """Actors of a heading that names whose tasks follow: ``6. Trách nhiệm của X``,
    ``2. Yêu cầu đối với X``, ``4. Đối với X:``.

    The heading holds no predicate, so each name runs to the next list
    separator (modifiers included) and the list to the colon or the end.
    """
    i = 0
    n = len(v.sy)
    while i < n and (v.sy[i].text in _PUNCT or v.sy[i].text in ("-", "+", "•", "–")
                     or re.fullmatch(r"\d{1,2}|[IVXLC]{1,6}|[a-zđ]", v.sy[i].text)):
        i += 1
    e = v.cue("HEADING_PREFIXES", i)
    if e is None or e not in v.heads:
        return []
    out, _ = _actor_list(v, e, "lead", extend=True)
    return out


# --------------------------------------------------------------------------- one segment's explicit actors
@dataclass
class _Parse:
    actors: list[_Found] = field(default_factory=list)
    report_to: list[tuple[int, int]] = field(default_factory=list)
    speaker_only: bool = False  # names only the author of the letter (passes nothing down)
    pure_heading: bool = False  # the segment is only an actor list (``2. Sở Y tế:``)


def _skip_prefix(v: _View, i: int) -> int:
    """Skip list markers, brackets and clause prefixes (``Đề nghị``, ``Đồng thời,``)."""
    return _skip_prefix_flag(v, i)[0]


def _skip_prefix_flag(v: _View, i: int) -> tuple[int, bool]:
    """Like :func:`_skip_prefix`; also says whether a directive verb (``Giao``) was skipped."""
    n = len(v.sy)
    directive = False
    while i < n:
        t = v.sy[i].text
        if t in ("-", "+", "•", "–", "(", ")", ".", ":", ",", "\"", "“", "[", "]") or \
                (re.fullmatch(r"\d{1,2}|[IVXLC]{1,6}|[a-zđ]", t) and i + 1 < n and v.sy[i + 1].text in ".)/:"):
            i += 1
            continue
        if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", t) and i == 0:  # "2", "2.1" (glued sub-numbering)
            i += 1
            continue
        e = v.cue("CLAUSE_PREFIXES", i)
        if e is not None and e < n and (e in v.heads or v.sy[e].text == ","
                                        or v.cue("CLAUSE_PREFIXES", e) is not None):
            directive = directive or v.cue("LEAD_CUES", i) is not None
            i = e
            continue
        break
    return i, directive


def _clause_starts(v: _View) -> list[int]:
    """Syllables that open a clause: the segment start and the text after ``;`` or ``:``."""
    starts = [0]
    n = len(v.lows)
    for k, w in enumerate(v.lows):
        if w in (";", ":") and k + 1 < n:
            starts.append(k + 1)
        elif w == "thì" and k + 1 in v.heads:
            starts.append(k + 1)  # "Trường hợp ... thì Thủ trưởng cơ quan X quyết định ..."
    return starts


def _after_adverbs(v: _View, j: int) -> int:
    while j < len(v.sy):
        e = v.cue("SPEAKER_ADVERBS", j)
        if e is None:
            break
        j = e
    return j


def _parse(v: _View) -> _Parse:
    """Explicit actors and report targets of one segment (syllable spans)."""
    p = _Parse()
    n = len(v.sy)
    if not n:
        return p
    taken: set[int] = set()

    def add(found: list[_Found]) -> None:
        for f in found:
            if not any(k in taken for k in range(f.start, f.end)):
                p.actors.append(f)
                taken.update(range(f.start, f.end))

    # 1. clause starts: subjects, or speakers followed by a directive verb
    for c in _clause_starts(v):
        i, directive = _skip_prefix_flag(v, c)
        lst, e = _actor_list(v, i, "lead")
        if not lst:
            lst = _after_introducer(v, i)
            if not lst:
                continue
            e = lst[-1].end
        j = _after_adverbs(v, e)
        sp = v.cue("SPEAKER_VERBS", j)
        if sp is not None and not directive:
            # "UBND tỉnh yêu cầu A ..." / "Sở X ban hành Kế hoạch ... như sau:"
            taken.update(range(i, sp))
            if v.cue("LEAD_CUES", j) is not None:
                add(_actor_list(v, _skip_punct(v, v.cue("LEAD_CUES", j)), "lead")[0])
            if not p.actors and v.sy[-1].text == ":" or not p.actors:
                p.speaker_only = True
            continue
        if e < n and v.low(e) == "phối" and v.low(e + 1) == "hợp" and v.low(e + 2) != "với" \
                and _has_chu_tri_before(v, i):
            lst = [replace(f, role="support") for f in lst]
        add(lst)
    # 2. directive verbs anywhere after a speaker: "..., Thường trực Tỉnh ủy yêu cầu: A ..."
    for k in range(n):
        e = v.cue("LEAD_CUES", k)
        if e is None or k in taken:
            continue
        if v.low(e) == "của" or v.low(k - 1) in ("theo", "được", "đã", "các", "những", "có", "xét"):
            continue
        prev_head = any(f.end == k or f.end == _after_adverbs_back(v, k, f.end) for f in p.actors) \
            or _speaker_before(v, k)
        if prev_head or k == _skip_prefix(v, 0) or v.sy[k - 1].text == "," and v.low(k) in ("đề", "yêu"):
            add(_actor_list(v, _skip_punct(v, e), "lead")[0])
    # 3. partners
    for k in range(n):
        e = v.cue("SUPPORT_CUES", k)
        if e is None or k in taken:
            continue
        if v.low(k) == "cùng" and v.low(k + 1) not in ("với",) and e not in v.heads:
            continue
        add(_actor_list(v, _skip_punct(v, e), "support")[0])
    # "A chủ trì, B phối hợp": B after "chủ trì ,"
    for k in range(n - 3):
        if v.low(k) == "chủ" and v.low(k + 1) == "trì" and v.sy[k + 2].text in (",", ";") and k + 3 in v.heads:
            lst, e = _actor_list(v, k + 3, "support")
            if e < n and v.low(e) in ("phối", "cùng", "tham", "hỗ"):
                add(lst)
    # 4. closing formulas: "... để các đơn vị biết, thực hiện"
    for k in range(n):
        if v.low(k) == "để" and k + 1 in v.heads and k + 1 not in taken:
            lst, e = _actor_list(v, k + 1, "lead")
            if v.cue("CLOSING_VERBS", _after_adverbs(v, e)) is not None:
                add(lst)
    # 5. resource lines: "Kinh phí ...: do Công ty X tự cân đối", "... do Chủ đầu tư tự chịu"
    for k in range(n):
        if v.low(k) == "do" and k + 1 in v.heads and k + 1 not in taken:
            lst, e = _actor_list(v, k + 1, "lead")
            if v.cue("RESOURCE_VERBS", e) is not None:
                add(lst)
    # 6. person headings: "Ông Nguyễn Văn A - Trưởng đoàn: phụ trách chung ..."
    if not p.actors:
        add(_person(v, _skip_prefix(v, 0)))
    p.report_to = _report_targets(v, taken)
    p.pure_heading = _is_pure_heading(v, p)
    return p


def _person(v: _View, i: int) -> list[_Found]:
    """A person named by title before a colon: ``Ông. Nguyễn Văn A - Trưởng đoàn:``.

    The name (without ``Ông``/``Bà``) runs from the first capitalised word to the colon.
    """
    n = len(v.sy)
    if v.low(i) not in ("ông", "bà"):
        return []
    j = i + 1
    while j < n and v.sy[j].text == ".":
        j += 1
    if j >= n or not _is_cap(v.sy[j].text):
        return []
    for k in range(j, min(n, j + 14)):
        if v.sy[k].text == ":":
            return [_Found(j, k, "lead")]
        if v.sy[k].text in (";", ".", "("):
            break
    return []


def _skip_punct(v: _View, i: int) -> int:
    while i < len(v.sy) and v.sy[i].text in (":", ",", "*", "“", "\""):
        i += 1
    return i


def _after_adverbs_back(v: _View, k: int, end: int) -> int:
    """*k* if only speaker adverbs lie between *end* and *k*, else -1."""
    return k if _after_adverbs(v, end) == k else -1


def _speaker_before(v: _View, k: int) -> bool:
    """Is the directive verb at *k* said by a body named right before it?"""
    j = k - 1
    while j >= 0 and v.sy[j].text not in _PUNCT:
        if j in v.heads and _name_end(v, j) >= _back_over_adverbs(v, k):
            return True
        j -= 1
    return False


def _back_over_adverbs(v: _View, k: int) -> int:
    for j in range(max(0, k - 4), k):
        if _after_adverbs(v, j) == k:
            return j
    return k


def _has_chu_tri_before(v: _View, i: int) -> bool:
    return any(v.low(k) == "chủ" and v.low(k + 1) == "trì" for k in range(0, i))


def _after_introducer(v: _View, i: int) -> list[_Found]:
    """``Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh ...``.

    A clause opened by an introducer may name its subject after a comma; the
    list must be followed by a predicate to count.
    """
    if v.cue("INTRODUCERS", i) is None:
        return []
    n = len(v.sy)
    for k in range(i + 1, min(n, i + 40)):
        if v.sy[k].text in (";", ":", "."):
            return []
        if v.sy[k].text == "," and k + 1 in v.heads:
            lst, e = _actor_list(v, k + 1, "lead")
            if lst and e < n and e in v.stops:
                return lst
    return []


def _report_targets(v: _View, taken: set[int]) -> list[tuple[int, int]]:
    """Whom the actor reports to: ``báo cáo (về/với) X``, ``gửi ... về X``, ``trình X`` ...

    Not a ``qua`` channel, and not an onward recipient after ``để tổng hợp``.
    """
    out: list[tuple[int, int]] = []
    n = len(v.sy)
    for k in range(n):
        e = v.cue("REPORT_CUES", k)
        if e is None or not v.sy[k].wstart:
            continue
        if v.low(k - 1) in ("để", "các", "của", "và") and v.low(k) == "báo" and v.low(k - 2) not in ():
            if v.low(k - 1) == "để" or _onward(v, k):
                continue
        if _onward(v, k):
            continue
        verb = v.low(k)
        j = e
        if j < n and j in v.heads:
            start = j
        else:
            start = None
            for m in range(j, min(n, j + 14)):
                t = v.sy[m].text
                if t in (";", ".", ":", "(") or v.low(m) == "qua" or v.low(m) == "để":
                    break
                if v.cue("REPORT_PREPS", m) is not None and v.cue("REPORT_PREPS", m) in v.heads:
                    start = v.cue("REPORT_PREPS", m)
                    break
                if verb in ("báo", "trình") and t == "," and m + 1 < n and v.low(m + 1) in ("kiến", "đề"):
                    continue
            if start is None and verb == "báo":
                # "báo cáo, kiến nghị cấp có thẩm quyền"
                m = j
                while m < n and (v.sy[m].text == "," or v.low(m) in ("kiến", "nghị", "đề", "xuất")):
                    m += 1
                if m > j and m in v.heads:
                    start = m
        if start is None or start in taken:
            continue
        lst, _ = _actor_list(v, start, "report")
        out += [(f.start, f.end) for f in lst]
    return out


def _onward(v: _View, k: int) -> bool:
    """``... để tổng hợp, báo cáo Thủ tướng``: a report made by the receiver, not the actor."""
    window = " ".join(v.low(m) for m in range(max(0, k - 6), k))
    return bool(re.search(r"để (?:tổng hợp|tổng hợp ,|theo dõi ,|theo dõi)(?: ,)?$", window) or
                re.search(r"\bđể (?:[^,;]* )?tổng hợp ,?$", window))


def is_actor_heading(text: str, tokens: Sequence[Token]) -> bool:
    """Does *text* only name who acts (``7. UBND các xã, phường``, ``6. Trách nhiệm của Sở Y tế``)?

    Such a line is an actor heading over the items below it, never a task of
    its own (ANNOTATION.md §2 rule 4 and §7), with or without a colon.
    """
    v, p = _read(text, tokens)
    if p.actors and p.pure_heading:
        return True
    # "6. Trách nhiệm của các tổ chức, doanh nghiệp ...", "4. Đối với các trường ...": a heading
    # prefix before the names, no sentence end, short
    plain = text.strip(" *#\n")
    return len(tokens) <= 30 and not plain.endswith((".", ";")) and bool(_heading_actors(v))


def _is_pure_heading(v: _View, p: _Parse) -> bool:
    """Does the segment name actors and nothing else (``2. Sở Y tế:``)?"""
    if not p.actors:
        return False
    covered = set()
    for f in p.actors:
        covered.update(range(f.start, f.end))
    rest = [s.text for k, s in enumerate(v.sy) if k not in covered]
    words = [t for t in rest if t not in _PUNCT and t not in ("-", "+", "•", "–")
             and not re.fullmatch(r"\d{1,2}|[IVXLC]{1,6}|[a-zđ]", t)]
    low = [w.lower() for w in words]
    allowed = {"chủ", "trì", "cùng", "với", "phối", "hợp", "giao", "đối", "các", "có", "trách", "nhiệm", "đề", "nghị"}
    return all(w in allowed for w in low)


# --------------------------------------------------------------------------- names → Actors
def _canonical(name: str, metadata: Metadata) -> str:
    """*name* with abbreviations expanded and a bare ``tỉnh``/``thành phố`` given its place."""
    s = re.sub(r"\s+", " ", name.replace("*", "")).strip(" ,;:.-")
    s = expand_abbreviations(s)
    s = re.sub(r"(?<![\wÀ-ỹ])(?:TP\.?|Tp\.?)(?=\s|$)", "thành phố", s)
    issuer = metadata.issuer or ""
    m = re.search(r"\b(tỉnh|thành phố)\s+([A-ZĐÀ-Ỹ][^\s,]*(?:\s+[A-ZĐÀ-Ỹ][^\s,]*)*)\s*$", issuer)
    if m:
        level, place = m.group(1), m.group(2)
        s = re.sub(r"\b" + level + r"$", level + " " + place, s)
    return s


def _strip_name(text: str) -> tuple[int, int]:
    """Offsets of *text* without surrounding marks, quotes and list punctuation."""
    a, b = 0, len(text)
    while a < b and text[a] in "*#_ \t\n\"“(,;:":
        a += 1
    while b > a and text[b - 1] in "*#_ \t\n\"”),;:.":
        b -= 1
    return a, b


def _actors(seg: Segment, v: _View, found: list[_Found], metadata: Metadata,
            offset: int = 0) -> list[Actor]:
    out = []
    for f in found:
        a, b = v.sy[f.start].start, v.sy[f.end - 1].end
        da, db = _strip_name(seg.text[a:b])
        a, b = a + da, a + db
        if b <= a:
            continue
        name = seg.text[a:b]
        out.append(Actor(name, f.role, "explicit", seg.start + a, seg.start + b, _canonical(name, metadata)))
    return out


def _inherit(actors: Sequence[Actor], leads_only: bool = False) -> list[Actor]:
    return [replace(a, source="inherited", start=None, end=None)
            for a in actors if not leads_only or a.role == "lead"]


# --------------------------------------------------------------------------- context: headings, tasks, tables
def _rank(marker: str | None) -> float | None:
    if not marker:
        return None
    from .segment import marker_rank

    return float(marker_rank(marker))


_ATTR_RE = re.compile(r"^\W*(?:c[ơo] quan|đơn vị)\s+(chủ trì|phối hợp|thực hiện)", re.IGNORECASE)
_ATTR_OTHER_RE = re.compile(r"^\W*(?:thời gian|sản phẩm|kinh phí|lãnh đạo phụ trách|thời hạn|kết quả)", re.IGNORECASE)


def _attribute(seg: Segment, v: _View, metadata: Metadata) -> list[Actor] | None:
    """Actors of a plan's attribute line (``- Cơ quan chủ trì: A``), or None if it is not one."""
    text = fold_tones(seg.text).replace("*", "")
    body = re.sub(r"^\s*(?:[-+•]|\d+[.)]|[a-zđ]\))\s*", "", text)
    if not _ATTR_RE.match(body):
        return None
    out: list[Actor] = []
    parts = [m.start() for m in re.finditer(r"(?:c[ơo] quan|đơn vị)\s+(?:chủ trì|phối hợp|thực hiện)[^:]*:",
                                            text, re.IGNORECASE)]
    for idx, a in enumerate(parts):
        b = parts[idx + 1] if idx + 1 < len(parts) else len(text)
        label = text[a:text.index(":", a)].lower()
        colon = text.index(":", a) + 1
        k = next((i for i, s in enumerate(v.sy) if s.start >= colon), None)
        if k is None:
            continue
        kend = next((i for i, s in enumerate(v.sy) if s.start >= b), len(v.sy))
        sub = _View(v.sy[:kend], v.heads, v.cues, v.stops, v.name_ok)
        role = "support" if "phối hợp" in label else "lead"
        if role == "lead":
            p = _parse(_View(sub.sy[k:], *_shift(sub, k)))
            found = [replace(f, start=f.start + k, end=f.end + k) for f in p.actors]
            if not found:
                found, _ = _actor_list(sub, k, "lead", liberal=True)
        else:
            found, _ = _actor_list(sub, k, "support", liberal=True)
        out += _actors(seg, v, found, metadata)
    return out


def _shift(v: _View, k: int):
    """Match tables of *v* re-indexed from syllable *k* (for parsing a tail)."""
    heads = {a - k: b - k for a, b in v.heads.items() if a >= k}
    cues = {kind: {a - k: b - k for a, b in t.items() if a >= k} for kind, t in v.cues.items()}
    stops = {a - k for a in v.stops if a >= k}
    name_ok = {a - k: b - k for a, b in v.name_ok.items() if a >= k}
    return heads, cues, stops, name_ok


def _cells(text: str) -> list[tuple[int, int]]:
    """Offsets of the cells of a flattened table row.

    Cells are split at ``|``; a row flattened one cell per line (no ``|``)
    is split at line breaks, blank lines dropped.
    """
    sep = "|" if "|" in text else "\n"
    out, pos = [], 0
    for cell in text.split(sep):
        if sep == "|" or cell.strip():
            out.append((pos, pos + len(cell)))
        pos += len(cell) + 1
    return out


_NUM_CELL = re.compile(r"^\W*(?:\d{1,3}|[IVXLC]{1,6})\W*$")
_NO_CELL = re.compile(r"^(?:s?tt|số tt|số thứ tự)$")


def _table_columns(text: str) -> dict[str, int] | None:
    """Column indexes of a task table's header row: ``lead`` (chủ trì / người thực hiện),
    ``support`` (phối hợp), ``no`` (TT), ``n`` (number of columns)."""
    cells = [fold_tones(text[a:b]).lower().replace("*", "").strip() for a, b in _cells(text)]
    cols: dict[str, int] = {"n": len(cells)}
    for i, c in enumerate(cells):
        if _NO_CELL.match(c):
            cols.setdefault("no", i)
        elif "phối hợp" in c:
            cols.setdefault("support", i)
        elif re.search(r"thời gian|thời hạn|tiến độ", c):
            cols.setdefault("time", i)
        elif "chủ trì" in c or re.search(r"(?:đơn vị|cơ quan|người)\s+(?:được giao\s+)?thực hiện|^thực hiện$", c):
            cols.setdefault("lead", i)
    return cols if "lead" in cols else None


def _row_cells(seg: Segment, cols: dict[str, int]) -> dict[str, list[tuple[int, int]]]:
    """The cells of a task row that fill the lead and support columns.

    A row without its number cell is shifted left.  In a row flattened one
    cell per line, a column may span several lines (one person per line):
    where the lead column is the last actor column, every line after the
    task cell that is not a time cell goes to it.
    """
    cells = _cells(seg.text)
    if "|" not in seg.text and "no" in cols and cells and not _NUM_CELL.match(seg.text[slice(*cells[0])]):
        cells = [(0, 0)] + cells  # the TT cell is missing
    out: dict[str, list[tuple[int, int]]] = {}
    for role in ("lead", "support"):
        ci = cols.get(role)
        if ci is not None and ci < len(cells):
            out[role] = [cells[ci]]
    if "|" not in seg.text and "support" not in cols and "lead" in out and len(cells) > cols["n"] - 1:
        rest = [c for c in cells[cols["lead"]:] if not _TIME_CELL.search(seg.text[slice(*c)])]
        out["lead"] = rest
    return out


_TIME_CELL = re.compile(r"(?i)\d{4}|thường xuyên|hàng|hằng|quý|tháng|năm|ngày|xong")


def _table_row(seg: Segment, v: _View, cols: dict[str, int], metadata: Metadata) -> list[Actor]:
    """Lead from the chủ trì cell, support from the phối hợp cell."""
    out: list[Actor] = []
    for role, spans in _row_cells(seg, cols).items():
        for a, b in spans:
            out += _cell_actors(seg, v, a, b, role, metadata)
    return out


def _cell_actors(seg: Segment, v: _View, a: int, b: int, role: str, metadata: Metadata) -> list[Actor]:
    """The bodies named in one table cell (characters a..b of the segment), all with *role*."""
    idx = [k for k, s in enumerate(v.sy) if a <= s.start and s.end <= b]
    if not idx:
        return []
    k0, k1 = idx[0], idx[-1] + 1
    sub = _View(v.sy[k0:k1], *_shift(_View(v.sy[:k1], v.heads, v.cues, v.stops, v.name_ok), k0))
    found, _ = _actor_list(sub, 0, role, liberal=True)
    return _actors(seg, sub, found, metadata)


_ROW_NO = re.compile(r"^\s*\d{1,3}\s*$")


def _row_run(segments: Sequence[Segment], labels: Sequence[str], i: int) -> list[int]:
    """The requirement pieces of the table row numbered by segment *i*.

    Where the segmenter cut a one-cell-per-line row apart, its pieces run
    from the row number to the next row number, a list item or a segment
    that is not a requirement (page furniture is skipped).
    """
    run = [i] if labels[i] == "requirement" and segments[i].zone == "body" else []
    for k in range(i + 1, len(segments)):
        s = segments[k]
        if s.zone == "furniture" and not _ROW_NO.match(s.text):
            continue
        if s.zone != "body" or _ROW_NO.match(s.text) or s.marker or labels[k] != "requirement":
            break
        run.append(k)
    return run


def _broken_row(segments: Sequence[Segment], views: _Views, run: list[int],
                cols: dict[str, int], metadata: Metadata) -> list[Actor]:
    """Actors of a table row cut into pieces, its cells aligned from the right.

    The task cell may have been cut into several sentences, so the actor
    cells are counted back from the last line: the time cell (where the
    last line reads as one), then the columns before it.
    """
    lines = []  # (segment index, start, end) of each non-blank line
    for k in run:
        t = segments[k].text
        if _ROW_NO.match(t):
            continue
        for a, b in _cells(t if "\n" in t else t + "\n"):
            if b > len(t):
                b = len(t)
            if t[a:b].strip():
                lines.append((k, a, b))
    if not lines:
        return []
    last = cols.get("time", max(cols.get("lead", 0), cols.get("support", 0)))
    k, a, b = lines[-1]
    if "time" in cols and not _TIME_CELL.search(segments[k].text[a:b]):
        last -= 1  # the time cell is empty
    out: list[Actor] = []
    for role in ("lead", "support"):
        ci = cols.get(role)
        if ci is None:
            continue
        li = len(lines) - 1 - (last - ci)
        if li < 1 or li >= len(lines):  # never the task cell; a column past the row
            continue
        k, a, b = lines[li]
        out += _cell_actors(segments[k], views[k], a, b, role, metadata)
    return out


@dataclass
class _Scope:
    rank: float
    actors: list[Actor]


#: a non-requirement longer than this (in words) without a colon or a marker is no heading
_HEADING_MAX_WORDS = 20


class _Views:
    """The segments' views, each built on first use: most segments are never read."""

    def __init__(self, segments: Sequence[Segment], tokens: Sequence[Sequence[Token]]) -> None:
        self._segments, self._tokens = segments, tokens
        self._built: dict[int, tuple[_View, _Parse]] = {}

    def read(self, i: int) -> tuple[_View, _Parse]:
        got = self._built.get(i)
        if got is None:
            s = self._segments[i]
            got = self._built[i] = _read(s.text, self._tokens[i]) if s.zone == "body" else (_View([]), _Parse())
        return got

    def __getitem__(self, i: int) -> _View:
        return self.read(i)[0]


def _same_paragraph(prev: Segment, cur: Segment) -> bool:
    """Is *cur* the next sentence of *prev*'s paragraph or list item?

    Segments do not carry line breaks, so an unmarked sentence after a
    sentence that is not a lead-in counts as its continuation.
    """
    return not cur.marker and not prev.text.rstrip(" *#").endswith(":")


# --------------------------------------------------------------------------- main
def assign_roles(segments: Sequence[Segment], labels: Sequence[str], metadata: Metadata,
                 recipients: Sequence[str], tokens: Sequence[Sequence[Token]] | None = None,
                 ) -> list[Assignment | None]:
    """One :class:`Assignment` per requirement segment (None for the others).

    Actor offsets index the letter text the segments were cut from.
    """
    from .tokenize import body_tokens

    n = len(segments)
    if tokens is None:
        tokens = body_tokens(segments)
    views = _Views(segments, tokens)
    explicit: list[list[Actor]] = [[] for _ in range(n)]
    reports: list[tuple[str, ...]] = [() for _ in range(n)]
    parses: list[_Parse | None] = [None] * n
    task_of = _task_attributes(segments, labels, views, metadata)
    cols = None
    row_piece: set[int] = set()  # pieces of a table row the segmenter cut apart

    def take_broken_row(i: int) -> None:
        run = _row_run(segments, labels, i)
        if run:
            explicit[run[0]] = _broken_row(segments, views, run, cols, metadata)
            for k in run:
                parses[k] = _Parse()
                row_piece.add(k)

    for i, s in enumerate(segments):
        if s.zone == "furniture" and cols and "|" not in segments[cols["at"]].text and _ROW_NO.match(s.text):
            take_broken_row(i)  # a row number taken for a page number
            continue
        if s.zone != "body":
            continue
        if s.kind == "table_row":
            c = _table_columns(s.text)
            if c and labels[i] != "requirement":
                cols = c
                cols["at"] = i
                continue
            if cols and labels[i] == "requirement" and not _ROW_NO.match(s.text):
                explicit[i] = _table_row(s, views[i], cols, metadata)
                parses[i] = _Parse()
                continue
        if cols and "|" not in segments[cols["at"]].text and _ROW_NO.match(s.text):
            take_broken_row(i)
            continue
        if i in row_piece:
            continue
        if labels[i] != "requirement" and not s.marker and not s.text.rstrip(" *#").endswith(":") \
                and len(tokens[i]) > _HEADING_MAX_WORDS:
            continue  # a long sentence that directs nobody scopes over nothing: no need to read it
        p = views.read(i)[1]
        if labels[i] != "requirement" and (s.marker or s.text.rstrip(" *#").endswith(":")):
            h = _heading_actors(views[i])
            if h:
                p = replace(p, actors=h, pure_heading=True, speaker_only=False)
        parses[i] = p
        explicit[i] = _actors(s, views[i], p.actors, metadata)
        reports[i] = tuple(dict.fromkeys(
            re.sub(r"\s+", " ", s.text[a:b]) for a, b in
            (_span(views[i], x, y, s.text) for x, y in p.report_to) if b > a))

    out: list[Assignment | None] = [None] * n
    scopes: list[_Scope] = []
    cur_rank = -1.0
    prev_i: int | None = None  # previous body sentence
    last: list[Actor] = []     # actors (explicit or inherited) of the previous requirement
    for i, s in enumerate(segments):
        if s.zone != "body":
            continue
        lab = labels[i]
        r = _rank(s.marker)
        if r is not None and not s.continued:
            scopes = [sc for sc in scopes if sc.rank < r]
            cur_rank = r
        own = explicit[i]
        leads = [a for a in own if a.role == "lead"]
        if lab == "requirement":
            actors = list(own)
            if not leads and i not in row_piece:
                src = None
                if s.continued and prev_i is not None and labels[prev_i] == "requirement":
                    src = _inherit(last)
                elif prev_i is not None and labels[prev_i] == "requirement" and \
                        _same_paragraph(segments[prev_i], s) and any(a.role == "lead" for a in last):
                    src = _inherit(last, leads_only=True)
                elif task_of.get(i):
                    src = _inherit(task_of[i])
                else:
                    for sc in reversed(scopes):
                        if sc.actors:
                            src = _inherit(sc.actors)
                            break
                if src:
                    if own:  # named partners stay; the lead comes from the context
                        src = [a for a in src if a.role == "lead"]
                    actors = src + actors
            implicit = not any(a.role == "lead" for a in actors)
            if implicit:
                actors += [Actor(r_, "lead", "recipients", None, None, expand_abbreviations(r_))
                           for r_ in recipients]
            out[i] = Assignment(tuple(actors), reports[i], implicit)
            last = [a for a in actors if a.source != "recipients"]
        # headings and lead-ins pass their actors down
        p = parses[i]
        if p is not None and s.kind != "table_row" and _passes_down(s, lab, p, own) \
                and not (lab != "requirement" and _only_author(own, metadata)):
            rank = (r if r is not None else cur_rank + 0.5)
            if r is not None and lab != "requirement" and _next_same_class(segments, i):
                rank = r - 0.25
            scopes = [sc for sc in scopes if sc.rank < rank]
            passed = list(own)
            if not any(a.role == "lead" for a in own):
                # "đ) Phối hợp với B ... :" under an actor's section: the lead stays
                lead = next((sc.actors for sc in reversed(scopes) if any(a.role == "lead" for a in sc.actors)), [])
                passed = [a for a in lead if a.role == "lead"] + passed
            scopes.append(_Scope(rank, passed))
        prev_i = i
        if lab != "requirement":
            last = []
    return out


def _passes_down(s: Segment, label: str, p: _Parse, own: list[Actor]) -> bool:
    """Headings, lead-ins (``...:``) and numbered items that name actors scope over what follows."""
    if not own or p.speaker_only and not any(a.role == "lead" for a in own):
        return False
    colon = s.text.rstrip(" *#").endswith(":")
    if label != "requirement":
        return colon or p.pure_heading
    return colon or bool(s.marker) and s.marker not in ("-", "+", "•")


def _only_author(actors: Sequence[Actor], metadata: Metadata) -> bool:
    """A lead-in naming only the letter's author (``Bộ Tài chính hướng dẫn như sau:``) passes nothing."""
    from .normalize import matching_form

    issuer = matching_form(metadata.issuer or "")
    leads = [matching_form(a.canonical or a.name) for a in actors if a.role == "lead"]
    return bool(issuer and leads) and all(x in issuer or issuer in x for x in leads)


def _next_same_class(segments: Sequence[Segment], i: int) -> bool:
    """Are the items after actor heading *i* numbered as its siblings?"""
    for s in segments[i + 1:]:
        if s.zone != "body":
            continue
        return bool(s.marker) and _rank(s.marker) == _rank(segments[i].marker)
    return False


def _span(v: _View, x: int, y: int, text: str) -> tuple[int, int]:
    a, b = v.sy[x].start, v.sy[y - 1].end
    da, db = _strip_name(text[a:b])
    return a + da, a + db


def _task_attributes(segments: Sequence[Segment], labels: Sequence[str], views: _Views,
                     metadata: Metadata) -> dict[int, list[Actor]]:
    """Map each segment of a plan task to the actors of the task's attribute lines.

    The task is the nearest item above the attribute line of a higher level;
    it runs to the next item of the same or a higher level (§7: attribute
    lines after the items cover the title and all items).
    """
    out: dict[int, list[Actor]] = {}
    n = len(segments)
    for a, s in enumerate(segments):
        if s.zone != "body" or labels[a] == "requirement":
            continue
        acts = _attribute(s, views[a], metadata)
        if not acts:
            continue
        ra = _rank(s.marker) or 99.0
        t = None
        for k in range(a - 1, -1, -1):
            sk = segments[k]
            if sk.zone != "body":
                continue
            rk = _rank(sk.marker)
            if rk is None or _ATTR_RE.match(re.sub(r"^\W+", "", sk.text)) or \
                    _ATTR_OTHER_RE.match(re.sub(r"^\W+", "", sk.text)):
                continue
            if ra == 99.0 and rk >= 9:
                continue
            if rk < ra:
                t = k
                break
        if t is None:
            continue
        rt = _rank(segments[t].marker)
        end = n
        for k in range(t + 1, n):
            rk = _rank(segments[k].marker)
            if rk is not None and rk <= rt and segments[k].zone == "body":
                end = k
                break
        for k in range(t, end):
            prev = out.get(k, [])
            out[k] = prev + [x for x in acts if x.name not in {p.name for p in prev}]
    return out
