"""Human-readable views of a :class:`~vn_obligations.letter.Letter`."""
from __future__ import annotations

import textwrap

from .letter import Letter

_SHORT = {"requirement": "REQ", "rationale": "RAT", "recipient_list": "RCP", "other": "   "}


def _short(text: str, width: int) -> str:
    text = " ".join(text.replace("*", "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(letter: Letter, width: int = 110) -> str:
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
    lines.append(f"{'#':>3}  {'lead':24} {'support':24} {'deadline':14} task")
    for k, ob in enumerate(letter.obligations, 1):
        lead = ", ".join(a.name for a in ob.actors if a.role == "lead") or ("(addressees)" if ob.implicit else "")
        sup = ", ".join(a.name for a in ob.actors if a.role == "support")
        dl = ", ".join(d.date or d.recurrence or d.text for d in ob.deadlines)
        lines.append(f"{k:>3}  {_short(lead, 24):24} {_short(sup, 24):24} {_short(dl, 14):14} "
                     f"{_short(ob.text, max(20, width - 70))}")
        if ob.report_to:
            lines.append(f"{'':>5}report to: {', '.join(ob.report_to)}")
    lines.append("")
    lines.append(f"-- sentences ({len(letter.sentences)})")
    for i, s in enumerate(letter.sentences):
        head = f"{i:>3} {_SHORT[s.label]} {s.zone[:4]:4} "
        body = textwrap.shorten(" ".join(s.text.replace("*", "").split()), width - len(head), placeholder=" …")
        lines.append(head + body)
    return "\n".join(lines)
