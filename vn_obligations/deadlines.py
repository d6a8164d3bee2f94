"""Deadlines and recurrences of requirement segments (ANNOTATION.md section 4).

A deadline is found by a small declarative grammar: a table of rules, each a
regular expression over a *matching view* of the text (old tone placement
folded, markdown marks and line breaks turned into spaces, same length so
offsets hold) and a builder that turns the match into an ISO date and/or a
recurrence.  Rules are tried in priority order and a later rule never takes
characters an earlier one already took, so ``trước ngày 20 hằng tháng`` is one
dated recurrence, not a date plus a recurrence.

Two reading modes exist because the same words mean different things in
different places: in a running sentence a period (``quý II/2022``, ``năm
2025``) is a deadline only after a cue (``trước``, ``trong``, ``đến``,
``hoàn thành``, ...), since letters name periods all the time (``kế hoạch năm
2022``); in a plan's ``Thời gian thực hiện:`` value or a task table's time cell
the whole value *is* the time, so the cue is optional there.

The grammar reads the numbers itself (a date parser given the whole phrase
reads ``trước``, "before", as "ago"); the standard library checks that the
date exists.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .letter import Deadline
from .lexicon import lexicon
from .normalize import normalize
from .segment import Segment, marker_class, marker_rank

# --------------------------------------------------------------------------- grammar pieces
# Cue words that make a following date or period a deadline in running text.
_CUE = (r"(?:(?:hoàn\s+thành|xong|kết\s+thúc)(?:\s+(?:việc\s+)?\w+)?\s+)?"
        r"(?:(?:cho\s+)?đến\s+hết|(?:cho\s+)?đến|trước|truoc|chậm\s+nhất(?:\s+(?:là|vào|trước))*"
        r"|muộn\s+nhất(?:\s+là)?|hạn\s+(?:chót|cuối)(?:\s+là)?|không\s+quá|trong(?:\s+thời\s+hạn)?|tới)"
        r"|hoàn\s+thành|xong")
# A time of day between the cue and the date is dropped: ``trước 14 giờ ngày ...``.
_TOD = (r"(?:\d{1,2}\s*(?:giờ|h|g)(?:\s*\d{1,2}\s*(?:phút|p|')?)?(?:\s+(?:sáng|chiều|trưa|tối))?"
        r"\s*,?\s*(?:(?:thứ\s+\w+|chủ\s+nhật)\s*,?\s*)?)")
_SEP = r"(?:\s*/\s*|[.\-])"
_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>\d{4})"
_Q = r"(?P<q>IV|I{1,3}|[1-4])"
_PERIOD_YEAR = r"(?:\s*/\s*|\s*-\s*|\s+năm\s+)" + _Y
_RECUR_UNIT = r"(?P<u>ngày|tuần|tháng|quý|năm)"
_EVERY = r"(?:hàng|hằng|mỗi)"
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
_END = r"(?![\w/]|[.,\-]\d)"
# ``trong 2-3 ngày`` is a duration, not the 2nd of March
_END_DATE = _END + r"(?!\s*(?:ngày|tháng|năm|giờ|tuần|lần|người|%))"

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_RECURRENCE = {"ngày": "daily", "tuần": "weekly", "tháng": "monthly", "quý": "quarterly",
               "năm": "yearly"}


@dataclass(frozen=True)
class _Ctx:
    """What a year-less date is resolved against: the letter's date, else a year seen nearby."""

    ref: date | None = None
    year: int | None = None


Value = tuple[str | None, str | None]  # (ISO date or None, recurrence or None)


@dataclass(frozen=True)
class _Rule:
    """One line of the grammar: a pattern and the builder of its value.

    ``{CUE}`` in *pattern* is a cue that is required in running text and
    optional in a time cell; a rule without it reads the same in both modes.
    """

    name: str
    pattern: str
    build: Callable[[re.Match, _Ctx], Value | None]


# --------------------------------------------------------------------------- dates
def _parse_dmy(day: int, month: int, year: int) -> date | None:
    """The date ``day/month/year`` if it exists (no 31/2, no 29/2/2023), else None.

    The grammar has already read the numbers; what is left is validation,
    which the standard library does exactly (``dateparser`` took 1.6 ms a
    date for the same answer, 7% of a letter's extraction).
    """
    if not 1900 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _first_on_or_after(ctx: _Ctx, make: Callable[[int], date | None]) -> date | None:
    """``make(year)`` in the reference year, or the next year if that is already past.

    With no letter date the guideline lets us use a year seen in the context;
    with nothing at all the date stays unknown.
    """
    if ctx.ref is not None:
        for year in (ctx.ref.year, ctx.ref.year + 1):
            got = make(year)
            if got is not None and got >= ctx.ref:
                return got
        return None
    return make(ctx.year) if ctx.year else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _resolve_dm(day: int, month: int, year: str | None, ctx: _Ctx) -> date | None:
    if year:
        return _parse_dmy(day, month, int(year))
    if not 1 <= month <= 12:
        return None
    return _first_on_or_after(ctx, lambda y: _parse_dmy(day, month, y))


# --------------------------------------------------------------------------- builders
def _b_date(m: re.Match, ctx: _Ctx) -> Value | None:
    """A day; a year-less one with no year to resolve it keeps its text and no date."""
    day, month = int(m["d"]), int(m["m"])
    if not m["y"] and ctx.ref is None and not ctx.year:
        return (None, None) if _parse_dmy(day, month, 2000) else None
    d = _resolve_dm(day, month, m["y"], ctx)
    return (_iso(d), None) if d else None


def _b_month(m: re.Match, ctx: _Ctx) -> Value | None:
    month = int(m["m2"] or m["m"])
    if not 1 <= month <= 12:
        return None
    if m["y"]:
        return _iso(_month_end(int(m["y"]), month)), None
    return _iso(_first_on_or_after(ctx, lambda y: _month_end(y, month))), None


def _b_quarter(m: re.Match, ctx: _Ctx) -> Value | None:
    q = m["q2"] or m["q"]
    month = 3 * (_ROMAN.get(q.upper()) or int(q))
    if m["y"]:
        return _iso(_month_end(int(m["y"]), month)), None
    return _iso(_first_on_or_after(ctx, lambda y: _month_end(y, month))), None


def _b_half(m: re.Match, ctx: _Ctx) -> Value | None:
    month = 6 if m["h"].lower() == "đầu" else 12
    if m["y"]:
        return _iso(_month_end(int(m["y"]), month)), None
    return _iso(_first_on_or_after(ctx, lambda y: _month_end(y, month))), None


def _b_year(m: re.Match, ctx: _Ctx) -> Value | None:
    if m.groupdict().get("y"):
        return f"{int(m['y']):04d}-12-31", None
    year = ctx.ref.year if ctx.ref else ctx.year
    return (f"{year:04d}-12-31" if year else None), None


def _b_recurrence(m: re.Match, ctx: _Ctx) -> Value | None:
    return None, _RECURRENCE[m["u"].lower()]


def _b_monthly_day(m: re.Match, ctx: _Ctx) -> Value | None:
    """``trước ngày 20 hằng tháng``: the first 20th on or after the letter's date."""
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None
    return _iso(_next_in_months(ctx, day, range(1, 13))), "monthly"


def _b_quarterly_day(m: re.Match, ctx: _Ctx) -> Value | None:
    """``trước ngày 15 của tháng cuối quý``: that day of March, June, September or December."""
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None
    return _iso(_next_in_months(ctx, day, (3, 6, 9, 12))), "quarterly"


def _b_yearly_day(m: re.Match, ctx: _Ctx) -> Value | None:
    d = _resolve_dm(int(m["d"]), int(m["m"]), None, ctx)
    return _iso(d), "yearly"


def _next_in_months(ctx: _Ctx, day: int, months: Sequence[int]) -> date | None:
    """The first *day* of one of *months* on or after the reference (clamped to short months)."""
    if ctx.ref is None:
        if not ctx.year:
            return None
        start = date(ctx.year, 1, 1)
    else:
        start = ctx.ref
    for k in range(0, 25):
        y, mo = divmod(start.month - 1 + k, 12)
        year, month = start.year + y, mo + 1
        if month not in months:
            continue
        d = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if d >= start:
            return d
    return None


# --------------------------------------------------------------------------- the rule table
_RULES: tuple[_Rule, ...] = (
    # dated recurrences first: they hold a day that the plain date rules must not take
    _Rule("quarterly_day",
          r"(?:{CUE}\s+)?(?:vào\s+)?ngày\s+" + _D + r"\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hàng\s+|hằng\s+)?quý",
          _b_quarterly_day),
    _Rule("monthly_day",
          r"(?:{CUE}\s+)?(?:vào\s+)?ngày\s+" + _D + r"\s+(?:của\s+)?(?:hàng|hằng|mỗi|các)\s+tháng\b",
          _b_monthly_day),
    _Rule("monthly_day_after",
          r"(?:định\s+kỳ\s+)?" + _EVERY + r"\s+tháng\s*,?\s*(?:vào|trước|chậm\s+nhất)\s+(?:ngày\s+)?" + _D + _END,
          _b_monthly_day),
    _Rule("yearly_day",
          r"(?:{CUE}\s+)?(?:vào\s+)?ngày\s+" + _D + r"(?:" + _SEP + r"|\s+tháng\s+)" + _M
          + r"\s+(?:của\s+)?" + _EVERY + r"\s+năm\b",
          _b_yearly_day),
    # a day: trước ngày 02/01/2023, chậm nhất 5.9.2022, trước 14 giờ ngày 29/7/2020
    _Rule("date",
          r"{CUE}\s+(?:" + _TOD + r")?(?:ngày\s+)?" + _D + _SEP + _M + r"(?:" + _SEP + _Y + r")?" + _END_DATE,
          _b_date),
    _Rule("date_words",
          r"{CUE}\s+(?:" + _TOD + r")?ngày\s+" + _D + r"\s+tháng\s+" + _M + r"(?:\s*,?\s+năm\s+" + _Y + r")?" + _END,
          _b_date),
    # periods: the last day of the month, quarter, half-year or year
    _Rule("month",
          r"(?:{CUE}\s+|vào\s+|cuối\s+)(?:các\s+)?tháng\s+" + _M
          + r"(?:\s*(?:,|và|hoặc|-|–)\s*(?:tháng\s+)?(?P<m2>\d{1,2}))*(?:" + _PERIOD_YEAR + r")?" + _END,
          _b_month),
    _Rule("quarter",
          r"(?:{CUE}\s+|vào\s+|cuối\s+)(?:các\s+)?quý\s+" + _Q
          + r"(?:\s*(?:,|và|hoặc|-|–)\s*(?:quý\s+)?(?P<q2>IV|I{1,3}|[1-4]))*(?:" + _PERIOD_YEAR + r")?" + _END,
          _b_quarter),
    _Rule("half_year",
          r"{CUE}\s+0?6\s+tháng\s+(?P<h>đầu|cuối)\s+năm(?:\s+" + _Y + r")?" + _END,
          _b_half),
    _Rule("year",
          r"(?:{CUE}\s+|vào\s+)(?:cuối\s+)?năm\s+" + _Y + r"(?!\s*[-–]\s*\d{4})" + _END,
          _b_year),
    _Rule("year_end",
          r"(?:(?:trước|đến|chậm\s+nhất)\s+)cuối\s+năm(?:\s+nay)?" + _END,
          _b_year),
    # rhythms: hằng tuần, vào thứ Sáu hàng tuần, định kỳ hằng quý, trước 16 giờ hằng ngày
    _Rule("recurrence",
          r"(?:(?:trước|vào|lúc)\s+" + _TOD + r")?(?:vào\s+)?(?:(?:buổi\s+)?(?:sáng|chiều|tối)\s+)?"
          r"(?:" + _WEEKDAY + r"\s+)?(?:định\s+kỳ\s+)?(?:vào\s+)?" + _EVERY + r"\s+" + _RECUR_UNIT + r"\b",
          _b_recurrence),
)


def _compile(rule: _Rule, cell: bool) -> re.Pattern:
    cue = f"(?P<cue>{_CUE})"
    body = rule.pattern.replace(r"{CUE}\s+", f"(?:{cue}\\s+)?" if cell else f"{cue}\\s+")
    body = body.replace("{CUE}", cue)
    return re.compile(r"(?<![\w/.\-])" + body, re.IGNORECASE)


_SENTENCE_RES = tuple((r, _compile(r, cell=False)) for r in _RULES)
# rules whose pattern cannot match without a digit (a day, month, year or ``6 tháng``);
# ``quarter`` (quý IV), ``year_end`` and ``recurrence`` can
_NEEDS_DIGIT = frozenset({"quarterly_day", "monthly_day", "monthly_day_after", "yearly_day", "date",
                          "date_words", "month", "half_year", "year"})
_DIGIT = re.compile(r"\d")
# words a rule cannot match without (each group: one of its words must occur): a cheap
# substring test that spares most sentences most of the twelve scans
_EVERY_WORDS = ("hàng", "hằng", "mỗi")
_NEEDS_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "quarterly_day": (("quý",),), "monthly_day": (("tháng",), _EVERY_WORDS + ("các",)),
    "monthly_day_after": (("tháng",), _EVERY_WORDS), "yearly_day": (("năm",), _EVERY_WORDS),
    "date_words": (("tháng",),), "month": (("tháng",),), "quarter": (("quý",),), "half_year": (("tháng",),),
    "year": (("năm",),), "year_end": (("cuối",),), "recurrence": (_EVERY_WORDS,),
}
# in running text these rules need a cue (``trước``, ``chậm nhất``, ``trong`` ...) or ``vào``/``cuối``
_CUE_WORDS = ("đến", "trước", "truoc", "chậm", "muộn", "hạn", "quá", "trong", "tới", "hoàn", "xong")
_SENTENCE_NEEDS = {**_NEEDS_WORDS, **{
    name: _NEEDS_WORDS.get(name, ()) + (_CUE_WORDS + extra,) for name, extra in
    (("date", ()), ("date_words", ()), ("half_year", ()), ("month", ("vào", "cuối")),
     ("quarter", ("vào", "cuối")), ("year", ("vào",)))}}
_CELL_RES = tuple((r, _compile(r, cell=True)) for r in _RULES)

# --------------------------------------------------------------------------- rejections
_CLAUSE_STOP = re.compile(r"[.;!?:]\s|\n")
_RANGE_START = re.compile(r"(?:\btừ|\bkể\s+từ|\bbắt\s+đầu)\s+(?:ngày|tháng|quý|năm|nay|thứ|\d|đầu|giữa|cuối|khi)",
                          re.IGNORECASE)
_START_BEFORE = re.compile(r"(?:\btừ|\bkể\s+từ|\bbắt\s+đầu(?:\s+từ)?|\btính\s+(?:từ|đến)|\bsau)\s*(?:ngày\s*)?$",
                           re.IGNORECASE)
_RANGE_DASH = re.compile(r"\d\s*[-–]\s*(?:ngày\s*)?$")
_RECURRENCE_BEFORE = re.compile(_EVERY + r"\s+(?:ngày|tuần|tháng|quý|năm)\b", re.IGNORECASE)
_DOC_NAME_BEFORE = re.compile(
    r"\b(?:chiến\s+lược|quy\s+hoạch|đề\s+án|chương\s+trình|tầm\s+nhìn|định\s+hướng|giai\s+đoạn|"
    r"kế\s+hoạch|nghị\s+quyết|kết\s+luận|chỉ\s+thị|quyết\s+định|mục\s+tiêu|lộ\s+trình)\b", re.IGNORECASE)
_CITED_BEFORE = re.compile(r"\b(?:số|ký|ban\s+hành)\s*[\w/.\-]*\s*(?:ngày\s*)?$", re.IGNORECASE)
_UNTIL_CUES = ("đến", "tới", "hết")
_RHYTHM_RULES = ("recurrence", "monthly_day", "monthly_day_after", "yearly_day", "quarterly_day")


@lru_cache(maxsize=1)
def _recurrence_nouns() -> re.Pattern:
    """Nouns that ``hằng năm`` describes (``ngân sách hằng năm``): no rhythm of an action."""
    words = lexicon().get("recurrence_nouns", [])
    alt = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + alt + r")(?!\w)", re.IGNORECASE)


def _describes_noun(m: re.Match, view: str) -> bool:
    """Whether a rhythm word describes a noun rather than the action.

    ``hằng năm`` and ``hằng ngày`` often qualify a noun a few syllables back
    (``kế hoạch thanh tra hằng năm``, ``sinh hoạt hằng ngày``); the other
    rhythms only a noun right before them (``trợ cấp hằng tháng``).
    """
    syllables = re.findall(r"\w+", _clause_before(view, m.start(), 60))
    unit = (m.groupdict().get("u") or "").lower()
    lead = view[m.start():m.start() + 8].lower()
    wide = unit in ("năm", "ngày") and not lead.startswith(("định", "vào", "trước"))
    tail = " ".join(syllables[-4:] if wide else syllables[-2:])
    hits = list(_recurrence_nouns().finditer(tail))
    return bool(hits) if wide else any(h.end() == len(tail) for h in hits)


def _clause_before(view: str, start: int, limit: int = 160) -> str:
    """The text of the clause before *start* (back to the last sentence or clause stop)."""
    lo = max(0, start - limit)
    before = view[lo:start]
    stops = list(_CLAUSE_STOP.finditer(before))
    return before[stops[-1].end():] if stops else before


def _rejected(rule: _Rule, m: re.Match, view: str) -> bool:
    """Whether a match is not a deadline after all (ANNOTATION.md section 4, "Not deadlines").

    Start dates, the end of a range that scopes the task, the end of a rhythm's
    period (``hằng tuần đến hết tháng 9``), titles of programmes (``Chiến lược
    ... đến năm 2030``) and, in a time cell, dates of cited documents.
    """
    head = view[max(0, m.start() - 40):m.start()]
    if _START_BEFORE.search(head):
        return True
    cue = re.sub(r"\s+", " ", (m.groupdict().get("cue") or "")).lower()
    clause = _clause_before(view, m.start())
    if rule.name in _RHYTHM_RULES:
        return rule.name == "recurrence" and _describes_noun(m, view)
    if cue.split(" ")[-1] in _UNTIL_CUES:
        if _RANGE_START.search(clause) or _RECURRENCE_BEFORE.search(clause):
            return True
        if re.search(r"\btính\s*$", head, re.IGNORECASE):
            return True
        if rule.name in ("year", "month", "quarter") and _DOC_NAME_BEFORE.search(clause):
            return True
    if not cue:  # a bare date in a time cell
        if _RANGE_DASH.search(head) or _CITED_BEFORE.search(head):
            return True
        if rule.name == "date" and re.match(r"\s*[-–]\s*\d", view[m.end():]):
            return True  # the start of ``01/02 - 31/5``
    return False


# --------------------------------------------------------------------------- scanning
def _is_past(value: Value, ctx: _Ctx) -> bool:
    """A date before the letter's own date is a past event, not a deadline."""
    return bool(value[0] and ctx.ref and value[0] < ctx.ref.isoformat())


def _view(text: str) -> str:
    """The matching form: markup and line breaks become spaces (same length, offsets hold)."""
    return re.sub(r"[*#_\n\r\t\u00a0]", " ", text)


def _year_hint(text: str) -> int | None:
    """A year seen in *text*, for year-less dates when the letter date is unknown."""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    return max(years) if years else None


# an attribute written inside a sentence: ``... (Thời gian thực hiện: Quý II/2022)``
_INLINE_ATTR = re.compile(r"(?<!\w)(?:thời\s+(?:gian|hạn)(?:\s+(?:thực\s+hiện|hoàn\s+thành|báo\s+cáo))?|tiến\s+độ)"
                          r"\s*:\s*(?P<v>[^;()]+?)\s*(?=[;()]|\.\s|\.?$)", re.IGNORECASE)


def _scan(text: str, ctx: _Ctx, offset: int, cell: bool) -> list[Deadline]:
    """All deadlines in *text* under one reading mode; earlier rules win overlaps.

    In running text, the value of an inline ``Thời gian thực hiện:`` is read
    as a time cell first.
    """
    t = normalize(text)
    view = _view(t.tones)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, Value]] = []
    regions = [(0, len(view), cell)]
    if not cell:
        regions = [(m.start("v"), m.end("v"), True) for m in _INLINE_ATTR.finditer(view)] + regions
    for lo, hi, as_cell in regions:
        _scan_region(view, lo, hi, ctx, as_cell, taken, found)
    out = []
    for a, b, (iso, rec) in sorted(found):
        while a < b and view[a] == " ":
            a += 1
        while b > a and view[b - 1] in " ,.;":
            b -= 1
        oa, ob = t.span(a, b)
        out.append(Deadline(text[oa:ob], iso, rec, offset + oa, offset + ob))
    return out


def _scan_region(view: str, lo: int, hi: int, ctx: _Ctx, cell: bool,
                 taken: list[tuple[int, int]], found: list[tuple[int, int, Value]]) -> None:
    """Apply the rule table to ``view[lo:hi]``, adding to *found* what no earlier match took."""
    digits = _DIGIT.search(view, lo, hi) is not None
    low = view[lo:hi].lower()
    needs = _NEEDS_WORDS if cell else _SENTENCE_NEEDS
    for rule, rx in (_CELL_RES if cell else _SENTENCE_RES):
        if not digits and rule.name in _NEEDS_DIGIT:
            continue  # most sentences hold no number: skip the rules that cannot match them
        if not all(any(w in low for w in group) for group in needs.get(rule.name, ())):
            continue
        for m in rx.finditer(view, lo, hi):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if _rejected(rule, m, view):
                continue
            value = rule.build(m, ctx)
            if value is None or _is_past(value, ctx):
                continue
            taken.append((a, b))
            found.append((a, b, value))


def find_deadlines(text: str, letter_date: str | None = None, offset: int = 0) -> list[Deadline]:
    """Deadlines stated in *text*; offsets are ``offset`` + the index in *text*.

    *text* is read as running text (cues required before dates and periods).
    Without *letter_date* a year-less date takes a year written in *text*,
    else its date stays ``None`` and only its text is kept.
    """
    return list(_distinct(_scan(text, _context(letter_date, text), offset, cell=False)))


def find_time_value(text: str, letter_date: str | None = None, offset: int = 0) -> list[Deadline]:
    """Deadlines in a time value (a ``Thời gian thực hiện:`` value or a table's time cell).

    Here a bare period (``Quý II/2018``, ``Năm 2021``) is the deadline itself.
    """
    return list(_distinct(_scan(text, _context(letter_date, text), offset, cell=True)))


def _context(letter_date: str | date | None, text: str = "") -> _Ctx:
    if isinstance(letter_date, date):
        return _Ctx(letter_date, letter_date.year)
    if letter_date:
        try:
            ref = date.fromisoformat(str(letter_date)[:10])
            return _Ctx(ref, ref.year)
        except ValueError:
            pass
    return _Ctx(None, _year_hint(text))


# --------------------------------------------------------------------------- the letter
_ATTR = re.compile(
    r"^[\s*#]*(?:[-+•–]\s*)?[\s*#]*(?:thời\s+(?:gian|hạn)\s+(?:thực\s+hiện|hoàn\s+thành|triển\s+khai)|"
    r"thời\s+hạn(?:\s+báo\s+cáo)?|tiến\s+độ(?:\s+(?:thực\s+hiện|hoàn\s+thành))?)[\s*]*:\s*",
    re.IGNORECASE)
_HEADER_DATE = re.compile(r",\s*ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_CITED_DATE = re.compile(
    r"\bsố\s*:?\s*[\w/.\-]+\s+ngày\s+(\d{1,2})(?:\s*/\s*|\s+tháng\s+)(\d{1,2})(?:\s*/\s*|\s+năm\s+)(\d{4})",
    re.IGNORECASE)
_TIME_HEADER = re.compile(r"thời\s+hạn|thời\s+gian|tiến\s+độ|hạn\s+hoàn\s+thành", re.IGNORECASE)
_NOT_DEADLINE_COLUMN = re.compile(r"tổ\s+chức|trực|nghỉ|diễn\s+ra|họp|tiếp", re.IGNORECASE)
_BULLETS = ("dash", "plus")


def _reference(segments: Sequence[Segment], letter_date: str | None) -> _Ctx:
    """The date year-less deadlines are resolved against.

    The letter's date when known; else a header date with a blank day (``ngày
    tháng 4 năm 2024`` → 1 April 2024); else the latest date of a document the
    letter cites (the letter is issued after it); else nothing.
    """
    ctx = _context(letter_date)
    if ctx.ref is not None:
        return ctx
    for s in segments[:40]:
        if s.zone in ("header", "body") and (m := _HEADER_DATE.search(s.text)):
            month = int(m[2]) if m[2] and 1 <= int(m[2]) <= 12 else 1
            day = int(m[1]) if m[1] and _parse_dmy(int(m[1]), month, int(m[3])) else 1
            return _Ctx(date(int(m[3]), month, day), int(m[3]))
    cited = [_parse_dmy(int(d), int(mo), int(y)) for s in segments
             for d, mo, y in _CITED_DATE.findall(s.text)]
    cited = [c for c in cited if c]
    if cited:
        latest = max(cited)
        return _Ctx(latest, latest.year)
    return _Ctx(None, None)


def _cells(text: str) -> list[str]:
    """The cells of a flattened table row: ``|``-separated, else one per line."""
    if "|" in text:
        cells = [c.strip() for c in text.strip().split("|")]
        if cells and not cells[0]:
            cells = cells[1:]
        if cells and not cells[-1]:
            cells = cells[:-1]
        return cells
    return [c.strip() for c in text.split("\n") if c.strip()]


def _cell_offsets(text: str) -> list[tuple[int, int]]:
    """Spans of :func:`_cells` in *text*."""
    sep = "|" if "|" in text else "\n"
    spans, pos = [], 0
    for part in text.split(sep):
        a = pos + len(part) - len(part.lstrip())
        b = pos + len(part.rstrip())
        spans.append((a, b))
        pos += len(part) + 1
    if sep == "|":
        if spans and spans[0][0] >= spans[0][1]:
            spans = spans[1:]
        if spans and spans[-1][0] >= spans[-1][1]:
            spans = spans[:-1]
        return spans
    return [(a, b) for a, b in spans if b > a]


def _time_column(segments: Sequence[Segment], i: int) -> int | None:
    """The index of the deadline column of the table holding row *i*, from its header row."""
    for j in range(i - 1, max(-1, i - 80), -1):
        s = segments[j]
        if s.kind == "furniture":
            continue
        if s.kind != "table_row":
            return None
        cells = _cells(s.text)
        for k, c in enumerate(cells):
            if _TIME_HEADER.search(c) and not _NOT_DEADLINE_COLUMN.search(c) and not re.search(r"\d", c):
                return k
        if any(_TIME_HEADER.search(c) for c in cells):
            return None  # a header whose time column is not a deadline (``Thời gian tổ chức``)
    return None


def _row_deadlines(segments: Sequence[Segment], i: int, ctx: _Ctx) -> list[Deadline]:
    """A task row's deadline: the value of its own time cell (ANNOTATION.md section 7)."""
    s = segments[i]
    spans = _cell_offsets(s.text)
    col = _time_column(segments, i)
    if col is not None and col < len(spans):
        a, b = spans[col]
        got = _scan(s.text[a:b], ctx, s.start + a, cell=True)
        if got:
            return got
    for a, b in spans[1:]:  # no header: a cell that is all time expression
        got = _whole_time_value(s.text[a:b], ctx, s.start + a)
        if got:
            return got
    return []


def _whole_time_value(text: str, ctx: _Ctx, offset: int) -> list[Deadline]:
    """Deadlines of a text that is nothing but a time value (``Quý II/2026``).

    A table flattened one cell per line may reach us as separate lines; its
    time cell then stands alone and is read as a cell.
    """
    got = _scan(text, ctx, offset, cell=True)
    core = len(re.sub(r"[\s*#.;,:()\-]", "", text))
    used = sum(len(re.sub(r"[\s*#.;,:()\-]", "", d.text)) for d in got)
    return got if got and used >= 0.8 * core else []


def _rank(seg: Segment) -> int | None:
    return marker_rank(seg.marker) if seg.marker else None


def _task_scope(segments: Sequence[Segment], i: int) -> range:
    """The segments of the task that attribute line *i* belongs to.

    The task's head is the nearest item above of a higher level than the
    attribute line (for an unmarked line: the nearest numbered item); the
    task runs from its head to the next item of the head's level or higher,
    so attribute lines before or after the task's items both cover them.
    """
    own = _rank(segments[i])
    head = None
    for j in range(i - 1, -1, -1):
        s = segments[j]
        if s.zone not in ("body", "furniture"):
            break
        if s.zone != "body" or not s.marker or s.continued or _ATTR.match(s.text):
            continue
        r = _rank(s)
        if (own is not None and r < own) or (own is None and marker_class(s.marker) not in _BULLETS):
            head = j
            break
    if head is None:
        return range(i, i)
    end = head + 1
    while end < len(segments):
        s = segments[end]
        if s.zone not in ("body", "furniture"):
            break
        if s.zone == "body" and s.marker and not s.continued and s.depth <= segments[head].depth \
                and not _ATTR.match(s.text):
            break
        end += 1
    return range(head, end)


def _attribute_deadlines(segments: Sequence[Segment], ctx: _Ctx) -> dict[int, list[Deadline]]:
    """Deadlines that a plan's ``Thời gian thực hiện:`` lines give to their task's segments."""
    given: dict[int, list[Deadline]] = {}
    for i, s in enumerate(segments):
        if s.zone != "body" or s.kind == "table_row":
            continue
        m = _ATTR.match(s.text)
        if not m:
            continue
        value = _scan(s.text[m.end():], ctx, s.start + m.end(), cell=True)
        if not value:
            continue
        for k in _task_scope(segments, i):
            if k != i:
                given.setdefault(k, []).extend(value)
    return given


def assign_deadlines(segments: Sequence[Segment], labels: Sequence[str],
                     letter_date: str | None = None) -> list[tuple[Deadline, ...]]:
    """The deadlines of each segment (empty for non-requirements).

    A requirement has the deadlines it states; a task row those of its time
    cell; a segment of a plan's task also those of the task's ``Thời gian
    thực hiện:`` line (ANNOTATION.md rule 3.2).
    """
    ctx = _reference(segments, letter_date)
    inherited = _attribute_deadlines(segments, ctx)
    out: list[tuple[Deadline, ...]] = []
    for i, (s, lab) in enumerate(zip(segments, labels, strict=True)):
        if lab != "requirement":
            out.append(())
            continue
        if s.kind == "table_row":
            own = _row_deadlines(segments, i, ctx)
        else:
            own = _scan(s.text, ctx, s.start, cell=bool(_ATTR.match(s.text)))
            if not own:
                own = _whole_time_value(s.text, ctx, s.start)
        out.append(_distinct(own + inherited.get(i, [])))
    return out


def _distinct(found: list[Deadline]) -> tuple[Deadline, ...]:
    """*found* without repeats: a segment states each date or rhythm once.

    ``Định kỳ hằng tháng, báo cáo ... trước ngày 25 hằng tháng`` is one monthly
    deadline, so a deadline whose date and rhythm are all already given is dropped.
    """
    seen: set[str] = set()
    out = []
    for d in sorted(found, key=lambda d: (d.date is None or d.recurrence is None, d.start or 0)):
        keys = {k for k in (d.date and "D" + d.date, d.recurrence and "R" + d.recurrence) if k}
        if keys and keys <= seen:
            continue
        seen |= keys
        out.append(d)
    return tuple(sorted(out, key=lambda d: d.start or 0))
