"""``vn-obligations``: a thin shell over the Python API."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .batch import Failure, iter_extract
from .errors import VnObligationsError
from .io import MAX_CHARS


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vn-obligations",
                                 description="Extract tasks from Vietnamese directive letters.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract letters to JSON, JSON lines or a readable table")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="letter files, or - for standard input")
    ex.add_argument("--format", choices=("json", "jsonl", "table", "html"), default="json",
                    help="html: one self-contained page with a section per letter")
    ex.add_argument("--max-chars", type=int, default=MAX_CHARS,
                    help=f"refuse letters longer than this (default {MAX_CHARS:,})")
    ex.add_argument("--model", help="classifier file (default: the shipped model)")
    ex.add_argument("--workers", type=int, default=1, metavar="N",
                    help="extract with N processes (0: all cores; default 1); output order is kept")
    tr = sub.add_parser("train", help="train the sentence classifier on annotated corpora")
    tr.add_argument("corpora", nargs="+", metavar="CORPUS",
                    help="corpus folders (with gold/ and manifest.jsonl) or folders of gold files")
    tr.add_argument("--out", required=True, help="where to write the model (.skops)")
    tr.add_argument("--splits", default="train,validation",
                    help="manifest splits to train on, comma-separated, or 'all' (default: train,validation); "
                         "letters missing from a manifest are always used")
    tr.add_argument("--cv", action="store_true", help="also print 5-fold cross-validation grouped by letter")
    ev = sub.add_parser("evaluate", help="score extractions against gold letters (same figures as score.py)")
    ev.add_argument("gold", nargs="+", metavar="GOLD", help="gold folders, corpus folders or gold files")
    ev.add_argument("--model", help="classifier file (default: the shipped model)")
    ev.add_argument("--split", help="only letters of this manifest split (e.g. test)")
    ev.add_argument("--gold-labels", action="store_true",
                    help="use the gold labels instead of the classifier (measures the rule layer alone)")
    ev.add_argument("--per-letter", action="store_true")
    ev.add_argument("--json", action="store_true")
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


def cmd_train(args: argparse.Namespace) -> int:
    from .training import cross_validate, train

    splits = None if args.splits == "all" else tuple(x.strip() for x in args.splits.split(",") if x.strip())
    model = train(args.corpora, args.out, splits=splits)
    info = model.training_info_
    print(f"trained on {len(info['letters'])} letters ({info['segments']} segments) in {info['seconds']} s; "
          f"model written to {args.out}")
    if args.cv:
        res = cross_validate(args.corpora, splits=splits)
        print(f"5-fold CV grouped by letter: label macro-F1 {res['macro_f1_mean']:.3f} "
              f"(± {res['macro_f1_std']:.3f}), folds {', '.join(f'{f:.3f}' for f in res['folds'])}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .classify import load_model
    from .evaluate import evaluate, format_report
    from .training import gold_letters

    model = None if args.gold_labels else load_model(args.model)
    letters = gold_letters(args.gold, splits=(args.split,) if args.split else None,
                           keep_unlisted=not args.split)
    res = evaluate(letters, model, gold_labels=args.gold_labels)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    print(format_report(res))
    if args.per_letter:
        for d in res["per_letter"]:
            extra = f", actor+role F1 {d['roles_f1']:.3f} ({d['gold_actors']} gold)" if d["gold_actors"] else ""
            print(f"  {d['id']}: label accuracy {d['label_accuracy']:.3f}{extra}")
    return 0


#: a batch at least this long gets a progress bar (when stderr is a terminal)
PROGRESS_MIN = 20


def _extract_all(args: argparse.Namespace, model):
    """Results of extract_many for the command line's paths (``-``: standard input), in order."""
    from pathlib import Path

    items = [("-", sys.stdin.buffer.read()) if p == "-" else Path(p) for p in args.paths]
    bar = len(items) >= PROGRESS_MIN and sys.stderr.isatty()
    return iter_extract(items, workers=args.workers, model=model, max_chars=args.max_chars, progress=bar)


def cmd_extract(args: argparse.Namespace) -> int:
    from .classify import load_model

    model = load_model(args.model)  # once, before the batch: a bad model file fails fast
    failed = 0
    out = sys.stdout
    pages: list = []  # --format html: one page for the whole batch, written at the end
    for path, letter in zip(args.paths, _extract_all(args, model), strict=True):
        if isinstance(letter, Failure):  # one bad letter (or a bug) never loses the rest of the batch
            failed += 1
            msg = letter.error
            print(f"vn-obligations: error: {msg}", file=sys.stderr)
            if args.format == "html":
                pages.append((path, msg))
            if args.format == "jsonl":
                out.write(json.dumps({"schema_version": "1", "source": path, "error": msg},
                                     ensure_ascii=False) + "\n")
            continue
        if args.format == "html":
            pages.append(letter)
            continue
        if args.format == "jsonl":
            out.write(json.dumps(letter.to_dict(), ensure_ascii=False) + "\n")
        elif args.format == "json":
            out.write(json.dumps(letter.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(letter.to_table() + "\n\n")
        out.flush()
    if args.format == "html":
        from .html import html_document

        out.write(html_document(pages))
        out.flush()
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    try:
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "train":
            return cmd_train(args)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        if args.command == "corpus":
            return cmd_corpus(args)
        if args.command == "annotate":
            return cmd_annotate(args)
    except VnObligationsError as e:
        print(f"vn-obligations: error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... | head`: the reader left, which is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    ap.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
