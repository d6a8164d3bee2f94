"""A self-contained HTML view of a :class:`~vn_obligations.letter.Letter`.

The page shows the letter's frame, the task table (one row per obligation),
then the full letter text with every sentence shaded by its label and the
actors (LEAD / SUPPORT) and deadlines highlighted where they stand, in the
manner of displaCy's span view.  Everything is inline (CSS included): no
script, font or image is fetched, so the page opens offline and can be
attached to a mail or a ticket.

Elements carry ``data-*`` attributes (``data-start`` / ``data-end`` are
offsets in ``Letter.text``) so that programs (and the tests) can read the
page back::

    <span class="sent requirement" data-label="requirement" data-index="16">
    <mark class="actor lead" data-role="lead" data-source="explicit">Sở Y tế</mark>
    <mark class="deadline" data-date="2023-01-02">trước ngày 02/01/2023</mark>

Highlights may overlap (an actor inside a deadline, a deadline found in a
table cell that is another sentence): the text is cut at every span
boundary and elements are opened and closed so that the markup always nests;
a span that has to be cut continues in a second element with the class
``cont`` (and no ``id``), so counting ``mark.actor:not(.cont)`` counts actors.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .letter import LABELS, Letter
from .render import _deadline, action

__all__ = ["to_html", "html_document", "letter_section"]

_META_FIELDS = ("doc_type", "number", "date", "place", "issuer", "subject", "signer", "signer_title",
                "authority", "urgency", "secrecy")
_META_NAMES = {"doc_type": "Type", "number": "Number", "date": "Date", "place": "Place", "issuer": "Issuer",
               "subject": "Subject", "signer": "Signer", "signer_title": "Signer's title",
               "authority": "Authority", "urgency": "Urgency", "secrecy": "Secrecy"}
_LABEL_NAMES = {"requirement": "requirement", "rationale": "rationale", "recipient_list": "recipient list",
                "other": "other"}

CSS = """
:root { --req: #fff1c2; --rat: #dcecff; --rcp: #dcf5dc; --oth: #f3f3f3;
        --lead: #c0392b; --support: #2471a3; --deadline: #7d3c98; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 1.5em auto; max-width: 72em;
       color: #222; line-height: 1.45; padding: 0 1em; }
section.letter { border-top: 3px solid #444; margin-bottom: 3em; padding-top: .5em; }
section.letter.error { border-top-color: #c0392b; color: #c0392b; }
h1 { font-size: 1.35em; margin: .3em 0 .6em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .5em; border-bottom: 1px solid #ccc; }
.source { color: #666; font-size: .85em; font-family: monospace; }
dl.frame { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0; }
dl.frame dt { font-weight: bold; color: #555; }
dl.frame dd { margin: 0; }
table.tasks { border-collapse: collapse; width: 100%; font-size: .92em; }
table.tasks th, table.tasks td { border: 1px solid #ccc; padding: .3em .45em; vertical-align: top; text-align: left; }
table.tasks th { background: #eee; }
table.tasks td.n { text-align: right; color: #666; width: 2em; }
table.tasks td.lead { width: 17%; } table.tasks td.support { width: 15%; }
table.tasks td.deadline { width: 9em; } table.tasks td.report_to { width: 10%; }
table.tasks .who { display: block; }
table.tasks .who.inherited, table.tasks .who.recipients { font-style: italic; }
table.tasks .who .src { color: #888; font-size: .8em; font-style: normal; }
table.tasks a { color: inherit; }
.legend { margin: .5em 0 .8em; font-size: .88em; }
.legend .key { display: inline-block; margin: 0 .6em .3em 0; padding: 0 .4em; }
.letter-text { white-space: pre-wrap; font-size: .95em; line-height: 1.7; border: 1px solid #ddd; padding: 1em; background: #fff; }
.sent.requirement, .key.requirement { background: var(--req); }
.sent.rationale, .key.rationale { background: var(--rat); }
.sent.recipient_list, .key.recipient_list { background: var(--rcp); }
.sent.other, .key.other { background: var(--oth); }
.key.lead { border: 2px solid var(--lead); background: #fde2df; font-weight: bold; }
.key.support { border: 2px solid var(--support); background: #e0eefa; font-weight: bold; }
.key.deadline { border-bottom: 3px double var(--deadline); background: #f1e4f7; }
mark { background: transparent; color: inherit; border-radius: 3px; padding: 0 1px; }
mark.actor { border: 2px solid; font-weight: bold; }
mark.actor.lead { border-color: var(--lead); background: #fde2df; }
mark.actor.support { border-color: var(--support); background: #e0eefa; }
mark.deadline { border-bottom: 3px double var(--deadline); background: #f1e4f7; }
mark.actor:not(.cont)::after, mark.deadline:not(.cont)::after {
  font: bold .62em sans-serif; color: #fff; border-radius: 2px; padding: 0 .3em; margin-left: .3em;
  vertical-align: middle; }
mark.actor.lead:not(.cont)::after { content: "LEAD"; background: var(--lead); }
mark.actor.support:not(.cont)::after { content: "SUPPORT"; background: var(--support); }
mark.deadline:not(.cont)::after { content: "DEADLINE"; background: var(--deadline); }
"""


def _e(s: object) -> str:
    """Text content, escaped (quotes too, so the result is safe anywhere)."""
    return html.escape("" if s is None else str(s), quote=True)


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(f' {k}="{_e(v)}"' for k, v in attrs.items() if v is not None and v != "")


@dataclass
class _Span:
    start: int
    end: int
    level: int  # 0 sentence, 1 deadline, 2 actor: the outer one wins when two spans coincide
    tag: str
    classes: list[str]
    attrs: dict[str, object]
    id: str | None = None
    obligations: list[int] = field(default_factory=list)

    def open(self, first: bool) -> str:
        attrs = dict(self.attrs)
        if self.obligations:
            attrs["data-obligations"] = " ".join(str(k) for k in self.obligations)
        cls = " ".join(self.classes + ([] if first else ["cont"]))
        return f'<{self.tag} class="{_e(cls)}"' + (f' id="{_e(self.id)}"' if first and self.id else "") \
            + _attrs(attrs) + ">"

    def close(self) -> str:
        return f"</{self.tag}>"


def _spans(letter: Letter, prefix: str) -> list[_Span]:
    spans: list[_Span] = []
    for i, s in enumerate(letter.sentences):
        spans.append(_Span(s.start, s.end, 0, "span", ["sent", s.label], {
            "data-label": s.label, "data-index": i, "data-start": s.start, "data-end": s.end,
            "data-zone": s.zone, "data-section": s.section,
            "data-confidence": None if s.confidence is None else f"{float(s.confidence):.2f}",
            "title": f"{i}: {_LABEL_NAMES.get(s.label, s.label)}"
                     + ("" if s.confidence is None else f" ({float(s.confidence):.2f})")
                     + (f", section {s.section}" if s.section else ""),
        }, id=f"{prefix}s{i}"))
    seen: dict[tuple, _Span] = {}
    for k, ob in enumerate(letter.obligations, 1):
        for d in ob.deadlines:
            if d.start is None or d.end is None:
                continue
            key = ("deadline", d.start, d.end)
            if key not in seen:
                title = "deadline" + (f" {d.date}" if d.date else "") + (f" ({d.recurrence})" if d.recurrence else "")
                seen[key] = _Span(d.start, d.end, 1, "mark", ["deadline"], {
                    "data-date": d.date, "data-recurrence": d.recurrence, "data-start": d.start,
                    "data-end": d.end, "title": title})
            elif d.date or d.recurrence:  # the same words may give a date and a recurrence
                sp = seen[key]
                sp.attrs["data-date"] = sp.attrs.get("data-date") or d.date
                sp.attrs["data-recurrence"] = sp.attrs.get("data-recurrence") or d.recurrence
            if k not in seen[key].obligations:
                seen[key].obligations.append(k)
        for a in ob.actors:
            if a.start is None or a.end is None:
                continue
            key = ("actor", a.start, a.end, a.role)
            if key not in seen:
                seen[key] = _Span(a.start, a.end, 2, "mark", ["actor", a.role], {
                    "data-role": a.role, "data-source": a.source, "data-canonical": a.canonical,
                    "data-start": a.start, "data-end": a.end,
                    "title": f"{a.role.upper()}" + (f": {a.canonical}" if a.canonical else "")})
            if k not in seen[key].obligations:
                seen[key].obligations.append(k)
    spans.extend(seen.values())
    return spans


def _marked_text(text: str, spans: Sequence[_Span]) -> str:
    """*text* escaped, with every span wrapped in its element, properly nested.

    The text is cut at every boundary; for each piece the spans covering it
    are ordered outermost first (sentences always outside, then earlier
    start, later end, deadline before actor), and the open elements are
    closed and reopened only as far as needed.
    """
    n = len(text)
    live = [s for s in spans if 0 <= s.start < s.end <= n]
    bounds = sorted({0, n, *(s.start for s in live), *(s.end for s in live)})
    by_start: dict[int, list[_Span]] = {}
    for s in live:
        by_start.setdefault(s.start, []).append(s)
    out: list[str] = []
    stack: list[_Span] = []
    active: list[_Span] = []
    opened: set[int] = set()
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [s for s in active if s.end > a] + by_start.get(a, [])
        want = sorted(active, key=lambda s: (s.level > 0, s.start, -s.end, s.level))
        k = 0
        while k < len(stack) and k < len(want) and stack[k] is want[k]:
            k += 1
        for s in reversed(stack[k:]):
            out.append(s.close())
        for s in want[k:]:
            out.append(s.open(first=id(s) not in opened))
            opened.add(id(s))
        stack = want
        out.append(html.escape(text[a:b], quote=False))
    for s in reversed(stack):
        out.append(s.close())
    return "".join(out)


def _who(actors, role: str, implicit: bool) -> str:
    cells = []
    for a in actors:
        if a.role != role:
            continue
        src = "" if a.source == "explicit" else f' <span class="src">({_e(a.source)})</span>'
        cells.append(f'<span class="who {_e(role)} {_e(a.source)}" data-role="{_e(role)}" '
                     f'data-source="{_e(a.source)}"' + _attrs({"title": a.canonical}) + f">{_e(a.name)}{src}</span>")
    if not cells and role == "lead" and implicit:
        cells.append('<span class="who implicit" data-role="lead" data-source="implicit">(addressees)</span>')
    return "".join(cells)


def letter_section(letter: Letter, index: int = 1) -> str:
    """One ``<section>``: frame, task table, legend and the marked-up letter text."""
    prefix = f"L{index}-"
    m = letter.metadata
    title = m.subject or m.number or letter.source or f"Letter {index}"
    parts = [f'<section class="letter" id="L{index}"' + _attrs({"data-letter-source": letter.source}) + ">",
             f"<h1>{_e(((m.doc_type + ': ') if m.doc_type else '') + title)}</h1>"]
    if letter.source:
        parts.append(f'<div class="source">{_e(letter.source)}</div>')
    parts.append('<h2>Frame</h2>\n<dl class="frame">')
    for key in _META_FIELDS:
        val = getattr(m, key)
        if val:
            parts.append(f'<dt>{_e(_META_NAMES[key])}</dt><dd data-field="{key}">{_e(val)}</dd>')
    if letter.recipients:
        parts.append('<dt>Recipients</dt><dd data-field="recipients">'
                     + "; ".join(f'<span class="recipient">{_e(r)}</span>' for r in letter.recipients) + "</dd>")
    if letter.distribution:
        parts.append('<dt>Distribution</dt><dd data-field="distribution">' + "; ".join(
            f'<span class="distribution">{_e(d.name)}' + (f" ({_e(d.purpose)})" if d.purpose else "") + "</span>"
            for d in letter.distribution) + "</dd>")
    if letter.references:
        parts.append('<dt>References</dt><dd data-field="references">' + "; ".join(
            '<span class="reference"' + _attrs({"data-number": r.number, "data-date": r.date}) + f">{_e(r.text)}</span>"
            for r in letter.references) + "</dd>")
    parts.append("</dl>")

    parts.append(f'<h2>Tasks ({len(letter.obligations)})</h2>')
    parts.append('<table class="tasks"><thead><tr><th>#</th><th>Lead</th><th>Support</th><th>Action</th>'
                 '<th>Deadline</th><th>Report to</th></tr></thead><tbody>')
    for k, ob in enumerate(letter.obligations, 1):
        dls = "; ".join(
            '<span class="due"' + _attrs({"data-date": d.date, "data-recurrence": d.recurrence, "title": d.text})
            + f">{_e(_deadline(d))}</span>" for d in ob.deadlines)
        parts.append(
            f'<tr class="task" data-obligation="{k}" data-sentence="{ob.sentence}"'
            + (' data-implicit="true"' if ob.implicit else "") + ">"
            + f'<td class="n">{k}</td>'
            + f'<td class="lead">{_who(ob.actors, "lead", ob.implicit)}</td>'
            + f'<td class="support">{_who(ob.actors, "support", False)}</td>'
            + f'<td class="action"><a href="#{prefix}s{ob.sentence}">{_e(action(letter, ob, width=400))}</a></td>'
            + f'<td class="deadline">{dls}</td>'
            + '<td class="report_to">' + "; ".join(f'<span class="report">{_e(r)}</span>' for r in ob.report_to)
            + "</td></tr>")
    if not letter.obligations:
        parts.append('<tr class="none"><td colspan="6">No obligations found.</td></tr>')
    parts.append("</tbody></table>")

    parts.append(f"<h2>Letter ({len(letter.sentences)} sentences)</h2>")
    legend = "".join(f'<span class="key {lab}" data-legend="{lab}">sentence: {_e(_LABEL_NAMES[lab])}</span>'
                     for lab in LABELS)
    legend += ('<span class="key lead" data-legend="lead">LEAD actor</span>'
               '<span class="key support" data-legend="support">SUPPORT actor</span>'
               '<span class="key deadline" data-legend="deadline">deadline</span>')
    parts.append(f'<div class="legend">{legend}</div>')
    parts.append(f'<div class="letter-text" lang="vi">{_marked_text(letter.text, _spans(letter, prefix))}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def _error_section(source: str, message: str, index: int) -> str:
    return (f'<section class="letter error" id="L{index}"' + _attrs({"data-letter-source": source}) + ">"
            f"<h1>{_e(source)}</h1><p class=\"error\">{_e(message)}</p></section>")


def html_document(letters: Iterable[Letter | tuple[str, str]], title: str | None = None) -> str:
    """One self-contained HTML page with a section per letter.

    An item may also be ``(source, error message)`` for a letter that could
    not be read; it gets a section saying so, so a batch page stays complete.
    """
    sections = []
    items = list(letters)
    for k, item in enumerate(items, 1):
        if isinstance(item, Letter):
            sections.append(letter_section(item, k))
        else:
            sections.append(_error_section(item[0], item[1], k))
    if title is None:
        first = items[0] if len(items) == 1 and isinstance(items[0], Letter) else None
        title = ((first.metadata.subject or first.source) if first else None) or \
            ("vn_obligations: " + (f"{len(items)} letters" if len(items) != 1 else "letter"))
    return ('<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="vn_obligations">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(sections) + "\n</body>\n</html>\n")


def to_html(letter: Letter, title: str | None = None) -> str:
    """A self-contained HTML page for one letter (see the module docstring)."""
    return html_document([letter], title=title)
