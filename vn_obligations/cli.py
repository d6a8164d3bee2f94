"""``vn-obligations``: a thin shell over the Python API."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .errors import VnObligationsError
from .io import MAX_CHARS, decode
from .pipeline import extract, extract_file


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vn-obligations",
                                 description="Extract tasks from Vietnamese directive letters.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract letters to JSON, JSON lines or a readable table")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="letter files, or - for standard input")
    ex.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    ex.add_argument("--max-chars", type=int, default=MAX_CHARS,
                    help=f"refuse letters longer than this (default {MAX_CHARS:,})")
    return ap


def _extract_one(path: str, max_chars: int):
    if path == "-":
        return extract(decode(sys.stdin.buffer.read(), "<stdin>", max_chars), source="-")
    return extract_file(path, max_chars)


def cmd_extract(args: argparse.Namespace) -> int:
    failed = 0
    out = sys.stdout
    for path in args.paths:
        try:
            letter = _extract_one(path, args.max_chars)
        except VnObligationsError as e:
            failed += 1
            print(f"vn-obligations: error: {e}", file=sys.stderr)
            if args.format == "jsonl":
                out.write(json.dumps({"schema_version": "1", "source": path, "error": str(e)},
                                     ensure_ascii=False) + "\n")
            continue
        except Exception as e:  # a bug must not lose the other letters of the batch
            failed += 1
            print(f"vn-obligations: error: {path}: internal error ({type(e).__name__}: {e})", file=sys.stderr)
            continue
        if args.format == "jsonl":
            out.write(json.dumps(letter.to_dict(), ensure_ascii=False) + "\n")
        elif args.format == "json":
            out.write(json.dumps(letter.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(letter.to_table() + "\n\n")
        out.flush()
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args)
    ap.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
