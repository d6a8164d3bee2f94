"""A fast-loading companion of a skops model file: its arrays in ``.npz``, its structure in JSON.

The skops file is the model.  Loading it needs ``skops.io``, whose import
alone enumerates every scikit-learn estimator (about 0.7 s on top of
scikit-learn itself), which a command-line run pays on every letter batch.
So :func:`freeze` also writes ``MODEL.npz``: the fitted arrays, plus a JSON
description of the pipeline that names only the seven scikit-learn classes the
classifier is made of and the feature functions the loader trusts, plus the
SHA-256 of the skops file it was made from.  :func:`thaw` reads it with
``allow_pickle=False`` (no code runs), refuses any other class or function,
and refuses a companion whose skops file has changed; the caller then loads
the skops file itself.
"""
from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

#: the only classes a frozen model may hold
CLASSES = frozenset({
    "sklearn.pipeline.Pipeline", "sklearn.pipeline.FeatureUnion",
    "sklearn.preprocessing.FunctionTransformer",
    "sklearn.feature_extraction.text.HashingVectorizer", "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.DictVectorizer", "sklearn.linear_model.LogisticRegression",
})
_PUBLIC = {c.rsplit(".", 1)[1]: c for c in CLASSES}  # class name -> public import path
FORMAT = "vn_obligations.frozen/1"


def _class(name: str) -> type:
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(module), cls)


class FrozenError(ValueError):
    """The companion cannot stand in for its skops file (stale, foreign or damaged)."""


def companion(skops_path: str | Path) -> Path:
    """Where the companion of *skops_path* lives: same name, ``.npz``."""
    return Path(skops_path).with_suffix(".npz")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def freeze(model, skops_path: str | Path, functions: Iterable[str]) -> Path:
    """Write the companion of *skops_path* (already saved) for *model*.

    Raises :class:`FrozenError` if the model holds anything beyond
    :data:`CLASSES`, *functions*, arrays and plain values.
    """
    allowed = set(functions)
    arrays: dict[str, np.ndarray] = {}

    def value(v, where: str):
        if hasattr(v, "get_params") and not isinstance(v, type):  # an estimator inside a parameter
            return {"estimator": node(v, where)}
        if callable(v) and not isinstance(v, type):
            name = f"{v.__module__}.{v.__qualname__}"
            if name not in allowed:
                raise FrozenError(f"{where}: function {name} is not trusted")
            return {"function": name}
        if isinstance(v, type) and issubclass(v, np.generic):
            return {"dtype": np.dtype(v).name}
        if isinstance(v, np.ndarray):
            if v.dtype == object:
                v = v.astype(str)
            key = f"a{len(arrays)}"
            arrays[key] = v
            return {"array": key}
        if isinstance(v, np.generic):
            return v.item()
        if isinstance(v, tuple):
            return {"tuple": [value(x, where) for x in v]}
        if isinstance(v, list):
            return [value(x, where) for x in v]
        if isinstance(v, dict):
            if not all(isinstance(k, str) for k in v):
                raise FrozenError(f"{where}: a dict with non-string keys")
            return {"dict": {k: value(x, f"{where}.{k}") for k, x in v.items()}}
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        raise FrozenError(f"{where}: cannot freeze a {type(v).__name__}")

    def node(est, where: str) -> dict:
        cls = type(est).__name__
        if cls not in _PUBLIC or _class(_PUBLIC[cls]) is not type(est):
            raise FrozenError(f"{where}: class {type(est).__module__}.{cls} cannot be frozen")
        params, children = {}, {}
        for k, v in est.get_params(deep=False).items():
            if k in ("steps", "transformer_list"):
                children[k] = [[name, node(sub, f"{where}.{name}")] for name, sub in v]
            else:
                params[k] = value(v, f"{where}.{k}")
        fitted = {k: value(v, f"{where}.{k}") for k, v in vars(est).items()
                  if k.endswith("_") and not k.startswith("_")}
        return {"class": _PUBLIC[cls], "params": params, "children": children, "fitted": fitted}

    skops_path = Path(skops_path)
    spec = {"format": FORMAT, "source_sha256": sha256(skops_path), "model": node(model, "model")}
    out = companion(skops_path)
    with open(out, "wb") as f:  # np.savez would add ".npz" to a name without it; ours has it
        np.savez_compressed(f, __spec__=np.array(json.dumps(spec)), **arrays)
    return out


def thaw(skops_path: str | Path, functions: Iterable[str]):
    """The model of *skops_path*, rebuilt from its companion; :class:`FrozenError` if it cannot be."""
    skops_path = Path(skops_path)
    path = companion(skops_path)
    allowed = {f: None for f in functions}
    try:
        with np.load(path, allow_pickle=False) as z:
            spec = json.loads(str(z["__spec__"]))
            arrays = {k: z[k] for k in z.files if k != "__spec__"}
    except (OSError, ValueError, KeyError) as e:
        raise FrozenError(f"{path}: unreadable ({e})") from None
    if spec.get("format") != FORMAT:
        raise FrozenError(f"{path}: not a {FORMAT} file")
    if spec.get("source_sha256") != sha256(skops_path):
        raise FrozenError(f"{path}: made from another version of {skops_path.name}")

    def value(v):
        if isinstance(v, list):
            return [value(x) for x in v]
        if not isinstance(v, dict):
            return v
        if "function" in v:
            name = v["function"]
            if name not in allowed:
                raise FrozenError(f"{path}: function {name} is not trusted")
            module, _, attr = name.rpartition(".")
            return getattr(importlib.import_module(module), attr)
        if "estimator" in v:
            return build(v["estimator"])
        if "dtype" in v:
            return np.dtype(v["dtype"]).type
        if "array" in v:
            return arrays[v["array"]]
        if "tuple" in v:
            return tuple(value(x) for x in v["tuple"])
        if "dict" in v:
            return {k: value(x) for k, x in v["dict"].items()}
        raise FrozenError(f"{path}: unknown value {sorted(v)}")

    def build(n: dict):
        if n.get("class") not in CLASSES:
            raise FrozenError(f"{path}: class {n.get('class')} is not allowed")
        params = {k: value(v) for k, v in n["params"].items()}
        for k, subs in n["children"].items():
            params[k] = [(name, build(sub)) for name, sub in subs]
        est = _class(n["class"])(**params)
        for k, v in n["fitted"].items():
            setattr(est, k, value(v))
        return est

    try:
        return build(spec["model"])
    except FrozenError:
        raise
    except Exception as e:  # a damaged description: wrong parameters, missing arrays
        raise FrozenError(f"{path}: cannot rebuild the model ({type(e).__name__}: {e})") from None
