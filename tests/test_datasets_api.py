"""extract_dataset: extraction mapped over a datasets.Dataset in batches."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")

import vn_obligations as vo  # noqa: E402
from vn_obligations import datasets_api  # noqa: E402
from vn_obligations.io import read_letter  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpora"
IDS = [r["id"] for r in map(json.loads, (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines())
       if r.get("split") == "test"][:3]


@pytest.fixture(scope="module")
def letters() -> dict[str, str]:
    return {i: read_letter(CORPUS / "letters" / f"{i}.txt") for i in IDS}


@pytest.fixture(scope="module")
def ds(letters):
    return datasets.Dataset.from_dict({"id": list(letters), "text": list(letters.values())})


@pytest.fixture(scope="module")
def out(ds):
    return vo.extract_dataset(ds, batch_size=2)


def test_columns_match_extract(out, letters):
    assert out.num_rows == len(IDS)
    assert out["id"] == IDS  # the caller's columns stay
    for row in out:
        letter = vo.extract(letters[row["id"]])
        assert row["error"] is None
        assert row["labels"] == [s.label for s in letter.sentences]
        assert row["sentences"] == [s.text for s in letter.sentences]
        assert row["confidences"] == pytest.approx([s.confidence for s in letter.sentences])
        assert row["recipients"] == list(letter.recipients)
        for k, v in dataclasses.asdict(letter.metadata).items():
            assert row[k] == v
        assert len(row["obligations"]) == len(letter.obligations)
        for got, ob in zip(row["obligations"], letter.obligations, strict=True):
            assert got["sentence"] == ob.sentence and got["text"] == ob.text and got["implicit"] == ob.implicit
            assert got["actors"] == [dataclasses.asdict(a) for a in ob.actors]
            assert got["deadlines"] == [dataclasses.asdict(d) for d in ob.deadlines]
            assert got["report_to"] == list(ob.report_to)


def test_obligations_are_typed_structs(out):
    feats = out.features
    assert feats["issuer"] == datasets.Value("string")
    actor = feats["obligations"].feature["actors"].feature
    assert actor["role"] == datasets.Value("string") and actor["start"] == datasets.Value("int64")
    assert any(a["role"] == "lead" for row in out["obligations"] for ob in row for a in ob["actors"])


def test_round_trips_through_arrow_files(out, tmp_path):
    out.save_to_disk(str(tmp_path / "ds"))
    back = datasets.load_from_disk(str(tmp_path / "ds"))
    assert back.features == out.features
    assert back["obligations"] == out["obligations"]
    assert back.to_pandas()["issuer"].tolist() == out["issuer"]


def test_a_bad_letter_does_not_stop_the_map(monkeypatch, letters):
    real = datasets_api.extract

    def flaky(text, **kw):
        if "BOOM" in text:
            raise vo.InputError("letter.txt: cannot be read")
        return real(text, **kw)

    monkeypatch.setattr(datasets_api, "extract", flaky)
    first = next(iter(letters.values()))
    ds = datasets.Dataset.from_dict({"text": [first, "BOOM", None, first]})
    out = vo.extract_dataset(ds, batch_size=4)
    assert out["error"] == [None, "InputError: letter.txt: cannot be read",
                            "InputError: column 'text' holds NoneType, not a letter's text", None]
    assert out[1]["labels"] == [] and out[1]["obligations"] == [] and out[1]["issuer"] is None
    assert out[0]["labels"] == out[3]["labels"] != []


def test_num_proc_two_gives_the_same_rows(ds, out):
    two = vo.extract_dataset(ds, num_proc=2, batch_size=1)
    assert two["labels"] == out["labels"]
    assert two["obligations"] == out["obligations"]
    assert two["error"] == [None] * ds.num_rows


def test_text_column_prefix_and_clashes(letters):
    ds = datasets.Dataset.from_dict({"body": list(letters.values())[:1], "issuer": ["from the manifest"]})
    with pytest.raises(vo.InputError, match="issuer"):
        vo.extract_dataset(ds, text_column="body")
    with pytest.raises(vo.InputError, match="no column 'text'"):
        vo.extract_dataset(ds)
    out = vo.extract_dataset(ds, text_column="body", prefix="vo_")
    assert out["issuer"] == ["from the manifest"]
    assert out["vo_issuer"] == [vo.extract(out["body"][0]).metadata.issuer]
    assert "vo_labels" in out.column_names and "labels" not in out.column_names


def test_dataset_dict_and_model_argument(ds, out):
    dd = datasets.DatasetDict({"a": ds.select([0]), "b": ds.select([1, 2])})
    res = vo.extract_dataset(dd, model=vo.load_model())
    assert list(res["a"]["labels"]) + list(res["b"]["labels"]) == list(out["labels"])
    with pytest.raises(vo.InputError):
        vo.extract_dataset([{"text": "x"}])
