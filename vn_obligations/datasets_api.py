"""Extraction over a Hugging Face ``datasets.Dataset``, in batches.

    ds = datasets.Dataset.from_dict({"text": [...]})
    out = vn_obligations.extract_dataset(ds, num_proc=2)
    out.filter(lambda r: r["error"] is None)["obligations"]

Each row gains (with an optional name *prefix*):

* ``labels``, ``sentences``, ``confidences``: one entry per segment;
* ``obligations``: a list of structs ``{sentence, text, actors: [{name, role,
  source, start, end, canonical}], deadlines: [{text, date, recurrence, start,
  end}], report_to, implicit}``, the same content as the JSON output;
* ``recipients`` and the frame's fields (``issuer``, ``number``, ``date``,
  ``place``, ``subject``, ``doc_type``, ``signer``, ...);
* ``error``: ``None``, or ``"InputError: ..."`` for a row that could not be
  extracted (its other new columns are then empty): one bad letter does not
  stop the map.

The schema is fixed up front (``datasets.Features``), so empty lists in one
batch and full ones in another, or in another process, agree.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import datasets

from .errors import InputError
from .letter import Actor, Deadline, Metadata
from .pipeline import extract

METADATA_FIELDS = tuple(f.name for f in dataclasses.fields(Metadata))


def _value(annotation: Any) -> datasets.Value:
    """Arrow type of a scalar dataclass field (annotations are strings such as ``'int | None'``)."""
    a = str(annotation)
    if "bool" in a:
        return datasets.Value("bool")
    if "int" in a:
        return datasets.Value("int64")
    if "float" in a:
        return datasets.Value("float64")
    return datasets.Value("string")


def _struct(cls) -> dict[str, datasets.Value]:
    return {f.name: _value(f.type) for f in dataclasses.fields(cls)}


def _new_features() -> dict[str, Any]:
    obligation = {
        "sentence": datasets.Value("int64"),
        "text": datasets.Value("string"),
        "actors": [_struct(Actor)],
        "deadlines": [_struct(Deadline)],
        "report_to": datasets.Sequence(datasets.Value("string")),
        "implicit": datasets.Value("bool"),
    }
    feats: dict[str, Any] = {
        "labels": datasets.Sequence(datasets.Value("string")),
        "sentences": datasets.Sequence(datasets.Value("string")),
        "confidences": datasets.Sequence(datasets.Value("float64")),
        "obligations": [obligation],
        "recipients": datasets.Sequence(datasets.Value("string")),
    }
    feats.update({k: datasets.Value("string") for k in METADATA_FIELDS})
    feats["error"] = datasets.Value("string")
    return feats


def _row(letter) -> dict[str, Any]:
    return {
        "labels": [s.label for s in letter.sentences],
        "sentences": [s.text for s in letter.sentences],
        "confidences": [s.confidence for s in letter.sentences],
        "obligations": [{"sentence": ob.sentence, "text": ob.text,
                         "actors": [dataclasses.asdict(a) for a in ob.actors],
                         "deadlines": [dataclasses.asdict(d) for d in ob.deadlines],
                         "report_to": list(ob.report_to), "implicit": ob.implicit}
                        for ob in letter.obligations],
        "recipients": list(letter.recipients),
        **dataclasses.asdict(letter.metadata),
        "error": None,
    }


def _failed(message: str) -> dict[str, Any]:
    return {"labels": [], "sentences": [], "confidences": [], "obligations": [], "recipients": [],
            **{k: None for k in METADATA_FIELDS}, "error": message}


def _extract_batch(batch: dict[str, list], text_column: str, model, prefix: str) -> dict[str, list]:
    """``Dataset.map`` function: new columns for a batch of rows."""
    names = list(_new_features())
    out: dict[str, list] = {prefix + k: [] for k in names}
    for text in batch[text_column]:
        if not isinstance(text, str):
            row = _failed(f"InputError: column {text_column!r} holds {type(text).__name__}, not a letter's text")
        else:
            try:
                row = _row(extract(text, model=model))
            except Exception as e:  # one bad letter must not stop the whole map
                row = _failed(f"{type(e).__name__}: {e}")
        for k in names:
            out[prefix + k].append(row[k])
    return out


def extract_dataset(ds, text_column: str = "text", num_proc: int | None = None, batch_size: int = 8, *,
                    model=None, prefix: str = "", **map_kwargs):
    """*ds* with the extraction of each row's *text_column* added as columns (see the module doc).

    *ds* is a ``datasets.Dataset`` (or a ``DatasetDict``: each split is mapped);
    *model* a classifier from :func:`vn_obligations.load_model` or a skops path
    (default: the shipped one); *prefix* is put before every new column's name,
    for datasets that already have an ``issuer`` or ``labels`` column.  Other
    keyword arguments go to ``Dataset.map`` (``load_from_cache_file``, ``desc``, ...).
    """
    if isinstance(ds, datasets.DatasetDict):
        return datasets.DatasetDict({k: extract_dataset(v, text_column, num_proc, batch_size, model=model,
                                                        prefix=prefix, **map_kwargs) for k, v in ds.items()})
    if not isinstance(ds, datasets.Dataset):
        raise InputError(f"extract_dataset: expected a datasets.Dataset, got {type(ds).__name__}")
    if text_column not in ds.column_names:
        raise InputError(f"extract_dataset: no column {text_column!r} (columns: {', '.join(ds.column_names)})")
    new = {prefix + k: v for k, v in _new_features().items()}
    clash = [k for k in new if k in ds.column_names]
    if clash:
        raise InputError(f"extract_dataset: the dataset already has column(s) {', '.join(clash)}; "
                         f"pass prefix= (e.g. prefix='vo_') or remove them")
    if isinstance(model, str) or hasattr(model, "__fspath__"):
        from .classify import load_model

        model = load_model(model)
    if num_proc and num_proc > 1 and model is None:
        # load the shipped model and underthesea once here, so forked workers inherit them
        extract("Kính gửi: Sở Y tế.\nĐề nghị Sở Y tế chủ trì thực hiện.")
    features = datasets.Features({**ds.features, **new})
    return ds.map(_extract_batch, batched=True, batch_size=batch_size, num_proc=num_proc,
                  fn_kwargs={"text_column": text_column, "model": model, "prefix": prefix},
                  features=features, **map_kwargs)
