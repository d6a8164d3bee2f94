"""Vietnamese word tokens with character offsets, computed once per segment.

underthesea's ``word_tokenize`` joins the syllables of a word (``Y tế``,
``chủ trì``) but returns bare strings; the classifier and the rule layer both
need to know where each word sits, so we align the words back to the text.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .normalize import fold_tones

class Token(NamedTuple):
    """One word: its text as in the segment and its offsets in the segment.

    A named tuple, not a dataclass: a letter makes tens of thousands of them.
    """

    text: str
    start: int
    end: int


#: segments whose tokens are kept: the same lines recur in letter after letter
#: (national motto, ``Nơi nhận:``, ``- Như trên;``, stock requests), and tokens
#: are immutable, so a repeated segment costs a dictionary lookup
CACHE_SIZE = 8192
#: longer segments are not kept (they rarely repeat and would fill memory)
_CACHE_MAX_CHARS = 2000


def tokenize(text: str) -> tuple[Token, ...]:
    """Words of *text* (underthesea), each with offsets into *text*.

    Words whose text underthesea altered (it sometimes normalises quotes or
    spacing) are matched syllable by syllable; anything left over is skipped
    rather than guessed.  underthesea is imported on the first call.
    """
    if not text.strip():
        return ()
    if len(text) <= _CACHE_MAX_CHARS:
        return _cached(text)
    return _tokenize(text)


@lru_cache(maxsize=CACHE_SIZE)
def _cached(text: str) -> tuple[Token, ...]:
    return _tokenize(text)


def _tokenize(text: str) -> tuple[Token, ...]:
    from underthesea import word_tokenize  # imported late: ~0.5 s that `import vn_obligations` need not pay
    # underthesea rewrites old tone placement (hoà → hòa); match on the
    # same-length folded form and slice the caller's text
    folded = fold_tones(text)
    out: list[Token] = []
    pos = 0
    for word in word_tokenize(folded):
        parts = word.split()
        if not parts:
            continue
        i = folded.find(parts[0], pos)
        if i < 0:
            continue
        j, end = i + len(parts[0]), i + len(parts[0])
        for p in parts[1:]:
            k = folded.find(p, j)
            if k < 0 or text[j:k].strip():
                break
            j = end = k + len(p)
        out.append(Token(text[i:end], i, end))
        pos = end
    return tuple(out)
