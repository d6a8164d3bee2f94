"""Agency names: abbreviations and casing, read once from ``data/lexicon.json``."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The package's lexicon (abbreviations, proper words, place prefixes)."""
    return json.loads(resources.files("vn_obligations").joinpath("data/lexicon.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _abbr_re() -> re.Pattern:
    keys = sorted(lexicon()["abbreviations"], key=len, reverse=True)
    return re.compile(r"(?<![\wÀ-ỹ])(" + "|".join(re.escape(k) for k in keys) + r")(?![\wÀ-ỹ&])")


def expand_abbreviations(text: str) -> str:
    """``UBND TỈNH LÀO CAI`` → ``Ủy ban nhân dân TỈNH LÀO CAI``."""
    ab = lexicon()["abbreviations"]
    return _abbr_re().sub(lambda m: ab[m.group(1)], text)


def proper_case(text: str) -> str:
    """Sentence case for an agency name written in capitals, keeping place names.

    ``ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC`` → ``Ủy ban nhân dân tỉnh Bình Phước``.
    Mixed-case input is returned as is.
    """
    text = re.sub(r"\s+", " ", text).strip()
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
        return text
    low = text.lower()
    out = low[:1].upper() + low[1:]
    for w in lexicon()["proper_words"]:
        out = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(w.lower()) + r"(?![\wÀ-ỹ])", w, out)
    for k in lexicon()["abbreviations"]:
        out = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(k.lower()) + r"(?![\wÀ-ỹ&])", k, out, flags=re.IGNORECASE)
    prefixes = "|".join(sorted(lexicon()["place_prefixes"], key=len, reverse=True))
    out = re.sub(r"\b(" + prefixes + r")\s+(.+)$",
                 lambda m: m.group(1) + " " + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split()),
                 out, count=1)
    for kind in ("Sở", "Bộ", "Cục", "Chi cục", "Tổng cục", "Ban", "Vụ", "Trung tâm", "Phòng"):
        out = re.sub(r"^(" + kind + r")\s+(\w)", lambda m: m.group(1) + " " + m.group(2).upper(), out, flags=re.IGNORECASE)
    return out
