"""Batches: extract_many and ``extract --workers``: order, broken letters, limits, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import LETTERS

import vn_obligations as vo
from vn_obligations.batch import Failure, iter_extract

GOOD = sorted(LETTERS.glob("*.txt"))


@pytest.fixture(scope="module")
def one_by_one() -> dict[str, dict]:
    """What extract_file gives for each test letter, the reference for every batch."""
    return {str(p): vo.extract_file(p).to_dict() for p in GOOD}


@pytest.fixture
def mixed(tmp_path) -> list:
    """Good files with a broken one, a missing one and an oversized text among them."""
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return [GOOD[0], broken, GOOD[1], tmp_path / "missing.txt", GOOD[2], GOOD[3]]


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order_and_a_broken_letter_loses_nothing(mixed, one_by_one, workers, schema):
    res = vo.extract_many(mixed, workers=workers)
    assert len(res) == len(mixed)
    assert [type(r).__name__ for r in res] == ["Letter", "Failure", "Letter", "Failure", "Letter", "Letter"]
    for item, r in zip(mixed, res, strict=True):
        if isinstance(r, vo.Letter):
            assert r.source == str(item)
            assert r.to_dict() == one_by_one[str(item)]  # same result as one at a time
            jsonschema.validate(r.to_dict(), schema)
    broken, missing = res[1], res[3]
    assert broken.source == str(mixed[1]) and broken.index == 1
    assert str(mixed[1]) in broken.error and "not UTF-8" in broken.error
    assert missing.error == f"{mixed[3]}: no such file"
    assert broken.to_dict() == {"schema_version": "1", "source": str(mixed[1]), "error": broken.error}


def test_a_str_is_a_text_bytes_are_decoded_and_pairs_carry_a_name():
    text = GOOD[0].read_text("utf-8")
    res = vo.extract_many([text, ("mine", text), ("raw", GOOD[0].read_bytes()), str(GOOD[0]), 42])
    a, b, c, d, e = res
    assert a.source is None and b.source == "mine" and c.source == "raw"
    assert a.to_dict()["sentences"] == b.to_dict()["sentences"] == c.to_dict()["sentences"]
    # a str is a letter's text even when it names a file: wrap names in Path
    assert isinstance(d, vo.Letter) and d.text == str(GOOD[0])
    assert isinstance(e, Failure) and e.source == "<item 4>" and "pathlib.Path" in e.error


def test_the_size_limit_is_configurable_and_names_the_item(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Kính gửi: Sở Y tế.\n" * 200, "utf-8")
    small, large = vo.extract_many([big, ("pasted", big.read_text("utf-8"))], max_chars=1000)
    assert isinstance(small, Failure) and str(big) in small.error and "limit of 1,000" in small.error
    assert isinstance(large, Failure) and large.error.startswith("pasted: ") and "max_chars" in large.error
    assert all(isinstance(r, vo.Letter) for r in vo.extract_many([big], max_chars=None))


def test_an_internal_error_is_a_failure_not_an_exception(monkeypatch):
    import vn_obligations.pipeline as pipeline

    real = pipeline.extract

    def flaky(text, source=None, **kw):
        if "BOOM" in text:
            raise ZeroDivisionError("boom")
        return real(text, source, **kw)

    monkeypatch.setattr(pipeline, "extract", flaky)
    res = vo.extract_many([GOOD[0], ("bad", "BOOM"), GOOD[1]])
    assert isinstance(res[0], vo.Letter) and isinstance(res[2], vo.Letter)
    assert res[1].error == "bad: internal error (ZeroDivisionError: boom)"


def test_iter_extract_streams_a_generator_and_reports_progress():
    seen = []
    items = (p for p in GOOD * 3)  # no len(): a stream
    out = list(iter_extract(items, workers=2, progress=seen.append))
    assert [r.source for r in out] == [str(p) for p in GOOD * 3]
    assert seen == out


def test_a_bad_model_file_fails_before_the_batch(tmp_path):
    bad = tmp_path / "model.skops"
    bad.write_bytes(b"not a model")
    with pytest.raises(vo.ModelError):
        vo.extract_many(GOOD, model=bad)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vn_obligations", *args], capture_output=True, timeout=300)


def test_cli_workers_keeps_order_reports_the_broken_file_and_exits_1(mixed, one_by_one, schema):
    out = run("extract", "--format", "jsonl", "--workers", "2", *map(str, mixed))
    assert out.returncode == 1
    objs = [json.loads(x) for x in out.stdout.decode().splitlines()]
    assert [o["source"] for o in objs] == [str(p) for p in mixed]
    assert [("error" in o) for o in objs] == [False, True, False, True, False, False]
    for o in objs:
        if "error" not in o:
            assert o == one_by_one[o["source"]]
            jsonschema.validate(o, schema)
    err = out.stderr.decode().splitlines()
    assert len(err) == 2 and str(mixed[1]) in err[0] and str(mixed[3]) in err[1]
    assert "it/s" not in out.stderr.decode()  # no progress bar when stderr is not a terminal


def test_cli_workers_all_good_exits_0_and_matches_one_process():
    one = run("extract", "--format", "jsonl", *map(str, GOOD))
    many = run("extract", "--format", "jsonl", "--workers", "2", *map(str, GOOD))
    assert one.returncode == many.returncode == 0
    assert one.stdout == many.stdout and one.stdout.count(b"\n") == len(GOOD)
