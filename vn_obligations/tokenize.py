"""Vietnamese word tokens with character offsets, computed once per segment.

underthesea's word segmentation joins the syllables of a word (``Y tế``,
``chủ trì``); the classifier and the rule layer both need to know where each
word sits, so every word carries its offsets.
"""
from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple

from . import wordseg
from .normalize import fold_tones


class Token(NamedTuple):
    """One word: its text as in the segment and its offsets in the segment.

    A named tuple, not a dataclass: a letter makes tens of thousands of them.
    """

    text: str
    start: int
    end: int


#: segments whose tokens are kept: stock sentences recur in letter after letter
#: (closing requests, ``Trân trọng./.``), and tokens are immutable, so a repeated
#: segment costs a dictionary lookup; only body segments are tokenized, so a
#: small cache catches the repeats (8192 entries cost 17 MB more at peak)
CACHE_SIZE = 2048
#: longer segments are not kept (they rarely repeat and would fill memory)
_CACHE_MAX_CHARS = 2000


def tokenize(text: str) -> tuple[Token, ...]:
    """Words of *text* (underthesea's word segmentation), each with offsets into *text*."""
    return tokenize_many([text])[0]


def tokenize_many(texts: Sequence[str]) -> list[tuple[Token, ...]]:
    """:func:`tokenize` of each text; the texts not in the cache are segmented in one batch.

    A letter's segments go through together: the word segmenter scores all
    their syllables in one pass (see :mod:`vn_obligations.wordseg`).
    """
    out: list[tuple[Token, ...] | None] = [None] * len(texts)
    todo: dict[str, list[int]] = {}
    with _LOCK:
        for k, text in enumerate(texts):
            if not text.strip():
                out[k] = ()
            elif len(text) <= _CACHE_MAX_CHARS and text in _CACHE:
                out[k] = _CACHE[text]
                _CACHE.move_to_end(text)
            else:
                todo.setdefault(text, []).append(k)
    if todo:
        done = _segment_words(list(todo))
        with _LOCK:
            for text, toks in zip(todo, done, strict=True):
                for k in todo[text]:
                    out[k] = toks
                if len(text) <= _CACHE_MAX_CHARS:
                    _CACHE[text] = toks
                    if len(_CACHE) > CACHE_SIZE:
                        _CACHE.popitem(last=False)
    return out  # type: ignore[return-value]


def body_tokens(segments) -> list[tuple[Token, ...]]:
    """Tokens of each body segment (``()`` for header, recipient and signature lines, which no
    stage reads word by word): what the classifier and the rule layer share."""
    body = [k for k, s in enumerate(segments) if s.zone == "body"]
    out: list[tuple[Token, ...]] = [()] * len(segments)
    for k, toks in zip(body, tokenize_many([segments[k].text for k in body]), strict=True):
        out[k] = toks
    return out


def clear_cache() -> None:
    """Forget the cached tokens (benchmarks start each letter set from an empty cache)."""
    with _LOCK:
        _CACHE.clear()


#: text -> tokens, least recently used first; a lock, because threads may share it
_CACHE: OrderedDict[str, tuple[Token, ...]] = OrderedDict()
_LOCK = threading.Lock()


def _segment_words(texts: list[str]) -> list[tuple[Token, ...]]:
    # underthesea's model reads new tone placement (hoà → hòa); the folded text
    # has the same length, so its offsets index the caller's text
    folded = [fold_tones(t) for t in texts]
    fast = wordseg.words_many(folded) if all(unicodedata.is_normalized("NFC", t) for t in folded) else None
    if fast is None:
        return [_tokenize_slow(t, f) for t, f in zip(texts, folded, strict=True)]
    return [tuple(Token(t[i:j], i, j) for i, j, _ in ws) for t, ws in zip(texts, fast, strict=True)]


def _tokenize_slow(text: str, folded: str) -> tuple[Token, ...]:
    """underthesea's ``word_tokenize`` itself, aligned back to *text* (for a model wordseg cannot read).

    Words whose text underthesea altered are matched syllable by syllable;
    anything left over is skipped rather than guessed.
    """
    from underthesea import word_tokenize  # imported late: ~0.5 s that `import vn_obligations` need not pay

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
