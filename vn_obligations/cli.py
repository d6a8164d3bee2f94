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
    co = sub.add_parser("corpus", help="check and count an annotated corpus")
    csub = co.add_subparsers(dest="corpus_command", required=True)
    cv = csub.add_parser("validate", help="check every gold file and the manifest")
    cv.add_argument("path", nargs="?", default="corpora")
    cs = csub.add_parser("stats", help="counts per label, doc type, issuer level, province, topic, hazard")
    cs.add_argument("path", nargs="?", default="corpora")
    cs.add_argument("--json", action="store_true")
    an = sub.add_parser("annotate", help="draft annotations for new letters")
    asub = an.add_subparsers(dest="annotate_command", required=True)
    ad = asub.add_parser("draft", help="write a draft gold file (to review) for a letter")
    ad.add_argument("letter")
    ad.add_argument("--out", help="output file (default: standard output)")
    return ap


def cmd_corpus(args: argparse.Namespace) -> int:
    from . import corpus

    if args.corpus_command == "validate":
        errs = corpus.validate(args.path)
        for e in errs:
            print(e, file=sys.stderr)
        n = len(corpus.gold_files(args.path))
        print(f"{n} gold files checked, {len(errs)} problems")
        return 1 if errs or not n else 0
    c = corpus.stats(args.path)
    if args.json:
        print(json.dumps({k: dict(v) for k, v in c.items()}, ensure_ascii=False, indent=1))
        return 0
    for key, counter in c.items():
        if not counter:
            continue
        items = counter.most_common() if key != "totals" else counter.items()
        head = f"{key} ({len(counter)} distinct)" if key not in ("totals", "label") else key
        print(head + ": " + ", ".join(f"{k} {v}" for k, v in items))
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotate import draft

    doc = draft(args.letter)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        from pathlib import Path

        Path(args.out).write_text(text, "utf-8")
        print(f"draft written to {args.out}: {len(doc['segments'])} segments, all marked for review")
    else:
        sys.stdout.write(text)
    return 0


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
    try:
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "corpus":
            return cmd_corpus(args)
        if args.command == "annotate":
            return cmd_annotate(args)
    except VnObligationsError as e:
        print(f"vn-obligations: error: {e}", file=sys.stderr)
        return 1
    ap.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
