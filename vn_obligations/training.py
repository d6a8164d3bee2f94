"""Train the sentence classifier on annotated letters.

Training examples are *our* segments of each gold letter, labelled by
projecting the gold labels onto them (:func:`corpus.project_labels`), so the
model learns on exactly the segmentation it will see at prediction time.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from .classify import DEFAULT_C, build_pipeline, predict, save_model, segment_features
from .corpus import GoldLetter, iter_gold, project_labels, read_manifest
from .errors import AnnotationError
from .segment import segment
from .tokenize import body_tokens

DEFAULT_SPLITS = ("train", "validation")


def letter_examples(g: GoldLetter) -> tuple[list[dict], list[str]]:
    """Feature records and labels for every segment of one gold letter."""
    segs = segment(g.text)
    tokens = body_tokens(segs)
    return segment_features(segs, tokens), project_labels(g, segs)


def _manifest_for(path: Path) -> list[dict]:
    """The manifest of a corpus folder, of its ``gold/`` folder, or of one gold file."""
    for d in (path, path.parent, path.parent.parent):
        if d.is_dir() and (d / "manifest.jsonl").exists():
            return read_manifest(d)
    return []


def gold_letters(corpora: Iterable[str | Path], splits: Sequence[str] | None = DEFAULT_SPLITS,
                 keep_unlisted: bool = True) -> list[GoldLetter]:
    """The gold letters of each corpus folder (a folder with ``gold/``, of gold files, or one file).

    Where a folder has a manifest, only letters of *splits* are taken (None: all);
    letters the manifest does not list, e.g. a user's new letters, are taken
    when *keep_unlisted*.
    """
    out: list[GoldLetter] = []
    for c in corpora:
        path = Path(c)
        if not path.exists():
            raise AnnotationError(f"{path}: no such corpus folder")
        split_of = {r["id"]: r.get("split") for r in _manifest_for(path)}
        found = list(iter_gold(path))
        if not found:
            raise AnnotationError(f"{path}: no gold files found")
        out += [g for g in found if splits is None or split_of.get(g.id) in splits
                or (keep_unlisted and g.id not in split_of)]
    return out


def train(corpora: Iterable[str | Path], out: str | Path | None = None, *,
          splits: Sequence[str] | None = DEFAULT_SPLITS, C: float = DEFAULT_C, verbose: bool = False):
    """Fit the classifier on the gold letters of *corpora*; save it to *out* if given.

    Returns the fitted scikit-learn pipeline (use it as ``extract(..., model=...)``).
    """
    t0 = time.perf_counter()
    letters = gold_letters(corpora, splits)
    rows: list[dict] = []
    labels: list[str] = []
    for g in letters:
        x, y = letter_examples(g)
        rows += x
        labels += y
    model = build_pipeline(C=C).fit(rows, labels)
    model.training_info_ = {"letters": [g.id for g in letters], "segments": len(rows),
                            "seconds": round(time.perf_counter() - t0, 1)}
    if verbose:
        print(f"trained on {len(letters)} letters, {len(rows)} segments in "
              f"{model.training_info_['seconds']} s")
    if out is not None:
        save_model(model, out)
    return model


def cross_validate(corpora: Iterable[str | Path], *, splits: Sequence[str] | None = DEFAULT_SPLITS,
                   folds: int = 5, groups: str = "letter", C: float = DEFAULT_C) -> dict:
    """Label macro-F1 (scorer arithmetic) of models trained without the held-out group.

    *groups* is ``letter`` (GroupKFold over letters) or a manifest field such
    as ``issuer_level`` (leave one value out), which shows how the model
    does on kinds of issuers it has not seen.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from .evaluate import Tally

    letters = gold_letters(corpora, splits)
    manifest: dict[str, dict] = {}
    for c in corpora:
        manifest.update({r["id"]: r for r in _manifest_for(Path(c))})
    examples = [letter_examples(g) for g in letters]
    if groups == "letter":
        keys = [g.id for g in letters]
        splitter = GroupKFold(n_splits=min(folds, len(letters))).split(np.zeros(len(letters)), groups=keys)
    else:
        keys = [str(manifest.get(g.id, {}).get(groups) or "unknown") for g in letters]
        splitter = ((np.array([k != v for k in keys]).nonzero()[0], np.array([k == v for k in keys]).nonzero()[0])
                    for v in sorted(set(keys)))
    scores, names = [], []
    for train_idx, test_idx in splitter:
        x = [r for i in train_idx for r in examples[i][0]]
        y = [lab for i in train_idx for lab in examples[i][1]]
        model = build_pipeline(C=C).fit(x, y)
        tally = Tally()
        for i in test_idx:
            g, segs = letters[i], segment(letters[i].text)
            pred = predict(model, examples[i][0], segs)
            tally.add(g, {"sentences": [{"start": s.start, "end": s.end, "label": p}
                                        for s, (p, _) in zip(segs, pred, strict=True)]})
        scores.append(tally.report()["label_macro_f1"])
        names.append(keys[test_idx[0]] if groups != "letter" else f"fold{len(scores)}")
    return {"groups": groups, "folds": scores, "names": names,
            "macro_f1_mean": float(np.mean(scores)), "macro_f1_std": float(np.std(scores))}
