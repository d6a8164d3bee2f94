"""Human-readable views of a :class:`~vn_obligations.letter.Letter`."""
from __future__ import annotations

import re
import textwrap

from .letter import Letter, Obligation

_SHORT = {"requirement": "REQ", "rationale": "RAT", "recipient_list": "RCP", "other": "   "}


def _short(text: str, width: int) -> str:
    text = " ".join(text.replace("*", "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


_LEAD = re.compile(r"^\W*(?:(?:\d+(?:\.\d+)*|[a-zđ]|[IVX]+)[.)]\s*|[-+•–]\s*)*")
_ROLE_WORDS = re.compile(r"^[\s,;:]*(?:(?:đề nghị|giao|yêu cầu|chủ trì|phối hợp(?: chặt chẽ)?(?: với)?|cùng(?: với)?|và|có trách nhiệm)"
                         r"[\s,;:]*)*", re.IGNORECASE)


def action(letter: Letter, ob: Obligation, width: int = 120) -> str:
    """What is to be done, without the list marker and the actor names that open the sentence."""
    sent = letter.sentences[ob.sentence]
    text = sent.text
    cut = len(_LEAD.match(text).group(0))
    for a in sorted((a for a in ob.actors if a.start is not None), key=lambda a: a.start):
        rel = a.start - sent.start
        if rel >= 0 and not _ROLE_WORDS.sub("", text[cut:rel]).strip(" ,;:*"):
            cut = a.end - sent.start
            cut += len(_ROLE_WORDS.match(text[cut:]).group(0))
    rest = " ".join(text[cut:].replace("*", "").split()).strip(" ,;:")
    rest = rest[:1].upper() + rest[1:] if rest else " ".join(text.replace("*", "").split())
    return _short(rest, width)


def _deadline(d) -> str:
    if d.date and d.recurrence:
        return f"{d.date} ({d.recurrence})"
    return d.date or d.recurrence or d.text


def _row(cells: list[str], widths: list[int]) -> list[str]:
    """One table row whose cells wrap onto as many lines as the longest needs."""
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    return [" ".join(f"{(col[i] if i < len(col) else ''):{w}}" for col, w in zip(wrapped, widths, strict=True)).rstrip()
            for i in range(height)]


def table(letter: Letter, width: int = 150) -> str:
    """The frame, the task table (one row per obligation), then every sentence with its label."""
    m = letter.metadata
    lines = [f"== {letter.source or 'letter'}"]
    for key in ("doc_type", "number", "date", "place", "issuer", "subject", "signer", "signer_title",
                "authority", "urgency", "secrecy"):
        val = getattr(m, key)
        if val:
            lines.append(f"{key:>12}: {_short(val, width - 14)}")
    if letter.recipients:
        lines.append(f"{'recipients':>12}: " + "; ".join(letter.recipients))
    if letter.distribution:
        lines.append(f"{'distribution':>12}: " + "; ".join(
            d.name + (f" ({d.purpose})" if d.purpose else "") for d in letter.distribution))
    if letter.references:
        lines.append(f"{'references':>12}: " + "; ".join(_short(r.text, 60) for r in letter.references[:8])
                     + (" …" if len(letter.references) > 8 else ""))
    lines.append("")
    lines.append(f"-- tasks ({len(letter.obligations)})")
    cols = (("#", 3), ("lead", 26), ("support", 24), ("deadline", 16), ("report to", 18))
    action_w = max(30, width - sum(w + 1 for _, w in cols) - 1)
    lines.append(" ".join(f"{name:{w}}" for name, w in cols) + " action")
    for k, ob in enumerate(letter.obligations, 1):
        lead = "; ".join(a.name for a in ob.actors if a.role == "lead") or ("(addressees)" if ob.implicit else "")
        cells = [str(k), lead, "; ".join(a.name for a in ob.actors if a.role == "support"),
                 "; ".join(_deadline(d) for d in ob.deadlines), "; ".join(ob.report_to), action(letter, ob)]
        lines += _row(cells, [w for _, w in cols] + [action_w])
    lines.append("")
    lines.append(f"-- sentences ({len(letter.sentences)})")
    for i, s in enumerate(letter.sentences):
        head = f"{i:>3} {_SHORT[s.label]} {s.zone[:4]:4} "
        body = textwrap.shorten(" ".join(s.text.replace("*", "").split()), width - len(head), placeholder=" …")
        lines.append(head + body)
    return "\n".join(lines)
