"""Train the sentence classifier on annotated letters.

Training examples are *our* segments of each gold letter, labelled by
projecting the gold labels onto them (:func:`corpus.project_labels`), so the
model learns on exactly the segmentation it will see at prediction time.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from .batch import cpu_count
from .classify import (
    DEFAULT_C,
    _predict_proba,
    add_neighbour_probabilities,
    build_pipeline,
    predict,
    save_model,
    segment_features,
    with_first_pass,
)
from .corpus import GoldLetter, iter_gold, project_labels, read_manifest
from .errors import AnnotationError
from .segment import segment
from .tokenize import body_tokens

DEFAULT_SPLITS = ("train", "validation")
FIRST_PASS_FOLDS = 5  # folds of the out-of-fold first pass the second model learns from


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
          splits: Sequence[str] | None = DEFAULT_SPLITS, C: float = DEFAULT_C, verbose: bool = False,
          n_jobs: int | None = None):
    """Fit the classifier on the gold letters of *corpora*; save it to *out* if given.

    Returns the fitted scikit-learn pipeline (use it as ``extract(..., model=...)``).
    *n_jobs* processes fit the first-pass models (default: every core).
    """
    t0 = time.perf_counter()
    letters = gold_letters(corpora, splits)
    examples = [letter_examples(g) for g in letters]
    model = fit_model(examples, C=C, n_jobs=n_jobs)
    model.training_info_ = {"letters": [g.id for g in letters], "segments": sum(len(y) for _, y in examples),
                            "seconds": round(time.perf_counter() - t0, 1),
                            "temperature": getattr(model, "temperature_", 1.0)}
    if verbose:
        print(f"trained on {len(letters)} letters, {model.training_info_['segments']} segments in "
              f"{model.training_info_['seconds']} s")
    if out is not None:
        save_model(model, out)
    return model


def fit_model(examples: Sequence[tuple[list[dict], list[str]]], *, C: float = DEFAULT_C,
              folds: int = FIRST_PASS_FOLDS, n_jobs: int | None = None):
    """Two passes over one letter's features each: a first model, then one that also reads the
    first model's view of each segment's neighbours, parent and siblings.

    The second model learns from *out-of-fold* first-pass probabilities
    (letters grouped, so a letter never sees its own labels), the same kind
    of probabilities it gets at prediction time.  The result is one pipeline:
    ``first_pass`` (:func:`classify.with_first_pass` holding the first model),
    then the second model's features and classifier.  With fewer than two
    letters there is nothing to hold out and the first model is returned.
    """
    import numpy as np
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    def rows_of(idx):
        return [r for i in idx for r in examples[i][0]], [lab for i in idx for lab in examples[i][1]]

    everything = range(len(examples))
    if len(examples) < 2:
        return build_pipeline(C=C).fit(*rows_of(everything))
    splits = list(GroupKFold(n_splits=min(folds, len(examples))).split(
        list(everything), groups=list(everything)))
    jobs = [train_idx for train_idx, _ in splits] + [list(everything)]
    n_jobs = n_jobs or min(len(jobs), cpu_count())
    fitted = Parallel(n_jobs=n_jobs)(delayed(_fit)(*rows_of(idx), C) for idx in jobs)
    first = fitted[-1]
    classes = list(first.classes_)
    held_out = {}
    for (_, test_idx), model in zip(splits, fitted, strict=False):
        for i in test_idx:
            held_out[i] = add_neighbour_probabilities(examples[i][0], _predict_proba(model, examples[i][0]),
                                                      classes)

    def second_rows(idx):
        return [r for i in idx for r in held_out[i]], [lab for i in idx for lab in examples[i][1]]

    # the second model is fitted on all letters, and on each fold's training letters to see how
    # sure it is of letters it has not seen: its confidences are tempered to match (calibration)
    fitted = Parallel(n_jobs=n_jobs)(delayed(_fit)(*second_rows(idx), C) for idx in jobs)
    second = fitted[-1]
    logits, truth = [], []
    for (_, test_idx), model in zip(splits, fitted, strict=False):
        if list(model.classes_) == classes:  # a fold short of a label (a tiny corpus) cannot say
            x, y = second_rows(test_idx)
            logits.append(_decision(model, x))
            truth += [classes.index(lab) for lab in y]
    temperature = fit_temperature(np.vstack(logits), np.array(truth)) if logits and len(classes) > 1 else 1.0
    temper(second.named_steps["model"], temperature)
    first_pass = FunctionTransformer(with_first_pass, kw_args={"model": first}).fit(examples[0][0][:1])
    model = Pipeline([("first_pass", first_pass), ("features", second.named_steps["features"]),
                      ("model", second.named_steps["model"])])
    model.temperature_ = round(temperature, 4)
    return model


def _fit(rows: list[dict], labels: list[str], C: float):
    return build_pipeline(C=C).fit(rows, labels)


def _decision(model, rows: list[dict]):
    """The linear scores of a fitted pipeline (before the softmax)."""
    from .classify import _transform

    import numpy as np

    scores = model.named_steps["model"].decision_function(_transform(model.named_steps["features"], rows))
    return scores if scores.ndim == 2 else np.column_stack([np.zeros_like(scores), scores])  # two labels


def fit_temperature(logits, truth) -> float:
    """The temperature T that makes ``softmax(logits / T)`` best predict *truth* (least log loss).

    One number, so the ranking of labels, hence every prediction, is unchanged;
    only how sure the model says it is moves.  A model fitted on its training
    letters is surer of them than of new ones: T > 1 tempers that.
    """
    import numpy as np
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    rows = np.arange(len(truth))

    def loss(log_t: float) -> float:
        return -float(log_softmax(logits / np.exp(log_t), axis=1)[rows, truth].mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded").x))


def temper(model, temperature: float) -> None:
    """Divide a fitted logistic regression's scores by *temperature* (its softmax is then tempered)."""
    model.coef_ = model.coef_ / temperature
    model.intercept_ = model.intercept_ / temperature


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
        model = fit_model([examples[i] for i in train_idx], C=C)
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


def calibration(model, letters: Sequence[GoldLetter], bins: int = 10) -> dict:
    """Expected calibration error of the top label's confidence over gold-projected segments.

    The mean gap, weighted by bin size, between how sure the model is and how
    often it is right, in *bins* equal bins of confidence: 0 is perfect.
    """
    import numpy as np

    conf, hit = [], []
    for g in letters:
        x, y = letter_examples(g)
        p = model.predict_proba(x)
        conf += list(p.max(1))
        hit += [model.classes_[k] == t for k, t in zip(p.argmax(1), y, strict=True)]
    conf, ok = np.array(conf), np.array(hit, dtype=float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    ece = sum((which == b).mean() * abs(ok[which == b].mean() - conf[which == b].mean())
              for b in range(bins) if (which == b).any())
    return {"ece": round(float(ece), 4), "accuracy": round(float(ok.mean()), 4),
            "mean_confidence": round(float(conf.mean()), 4), "segments": int(len(conf))}
