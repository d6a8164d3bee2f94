"""Text normalisation that never loses the caller's offsets.

Real letters arrive decomposed (NFD), with CRLF, with old tone placement
(``hoà``/``uỷ``).  Every later stage works on one NFC string, and every result
is mapped back to offsets in the string the caller gave us.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# old-style (hoà) and new-style (hòa) tone placement fold to one matching form
_TONE_PAIRS = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
               ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
               ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ")]
# a vowel pair that may carry the old placement, syllable-final only (hoà, not hoạch); the map
# says which pairs are old placements (a character class scans far faster than 45 alternatives)
_TONE_RE = re.compile("(?<![qQ])[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?![a-zà-ỹđA-ZÀ-ỸĐ])")
_TONE_MAP = {}
for new, old in _TONE_PAIRS:
    _TONE_MAP[old] = new
    _TONE_MAP[old.upper()] = new.upper()
    _TONE_MAP[old[0].upper() + old[1:]] = new[0].upper() + new[1:]


def nfc(text: str) -> str:
    """NFC form of *text*."""
    return unicodedata.normalize("NFC", text)


def fold_tones(text: str) -> str:
    """Rewrite old tone placement (``hoà``, ``uỷ``) to the new one (``hòa``, ``ủy``).

    The replacement has the same length, so offsets are unchanged.
    """
    return _TONE_RE.sub(lambda m: _TONE_MAP.get(m.group(0), m.group(0)), text)


def matching_form(text: str) -> str:
    """A form for comparing names: NFC, new tone placement, case-folded, single spaces."""
    s = fold_tones(nfc(text)).casefold()
    s = re.sub(r"[*#_]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


@dataclass(frozen=True)
class Text:
    """The caller's string plus its NFC form and a map back.

    ``nfc`` is what the stages read; ``to_orig[i]`` is the offset in ``orig``
    of NFC character ``i`` (``to_orig[len(nfc)] == len(orig)``).  ``tones`` is
    ``nfc`` with new tone placement, same length, for pattern matching.
    """

    orig: str
    nfc: str
    tones: str
    to_orig: tuple[int, ...] | None = field(default=None, repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map an NFC span to a span of the caller's string."""
        if self.to_orig is None:
            return start, end
        return self.to_orig[start], self.to_orig[end]


def normalize(text: str) -> Text:
    """Build the :class:`Text` for *text*, NFC with an exact offset map.

    NFC is applied per combining cluster so that each NFC character maps to the
    original cluster it came from; clusters are short, so this stays linear.
    """
    if unicodedata.is_normalized("NFC", text):
        s = text
        to_orig = None
    else:
        parts: list[str] = []
        offs: list[int] = []
        i, n = 0, len(text)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j])
            parts.append(piece)
            # every NFC char of the cluster maps to the cluster start, the
            # last one's end to the cluster end (via the next start)
            offs.extend([i] * len(piece))
            i = j
        s = "".join(parts)
        offs.append(n)
        to_orig = tuple(offs)
    return Text(orig=text, nfc=s, tones=fold_tones(s), to_orig=to_orig)
