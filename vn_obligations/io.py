"""Reading letters from bytes: the encodings real offices produce, and clear errors."""
from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError
from .normalize import nfc

#: default input size limit in characters (a 200-page plan is ~600k)
MAX_CHARS = 5_000_000


def decode(data: bytes, name: str = "<input>", max_chars: int | None = MAX_CHARS) -> str:
    """Decode a letter's bytes: UTF-8 with or without BOM, or UTF-16 with BOM.

    Newlines are translated as in Python's text mode (CRLF and CR become LF)
    and the text is NFC-normalised, so offsets agree with what
    ``Path.read_text`` + NFC gives (the scorer's view of a file).
    """
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        enc = "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 or UTF-16 text (invalid byte 0x{data[e.start]:02x} "
                         f"at offset {e.start}); convert the file to UTF-8") from None
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (contains NUL characters), not a letter")
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if max_chars is not None and len(text) > max_chars:
        raise InputError(f"{name}: {len(text):,} characters is above the limit of {max_chars:,} "
                         f"(raise it with max_chars / --max-chars)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text)


def read_letter(path: str | Path, max_chars: int | None = MAX_CHARS) -> str:
    """Read and decode the letter at *path* (see :func:`decode`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a letter") from None
    except OSError as e:
        raise InputError(f"{p}: cannot be read ({e.strerror})") from None
    return decode(data, str(p), max_chars)
