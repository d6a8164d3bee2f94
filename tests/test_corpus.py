"""The annotated corpus: validation names file and segment, stats count, load gives splits."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from vn_obligations import corpus

CORPUS = REPO / "corpora"


def test_shipped_corpus_is_valid_and_large_enough():
    assert corpus.validate(CORPUS) == []
    c = corpus.stats(CORPUS)
    assert c["totals"]["letters"] >= 85 and c["totals"]["team_written"] >= 80
    assert c["totals"]["segments"] >= 3000
    assert c["label"]["requirement"] >= 1200 and c["label"]["rationale"] >= 250
    assert c["totals"]["deadlines"] >= 200 and c["totals"]["recurrences"] >= 40
    assert len(c["doc_type"]) >= 6 and len(c["issuer"]) >= 30 and len(c["province"]) >= 25
    assert set(c["split"]) == {"train", "validation", "test"}


def _copy_corpus(tmp_path: Path, ids: list[str]) -> Path:
    root = tmp_path / "c"
    (root / "letters").mkdir(parents=True)
    (root / "gold").mkdir()
    rows = [r for r in corpus.read_manifest(CORPUS) if r["id"] in ids]
    for i in ids:
        shutil.copy(CORPUS / "letters" / f"{i}.txt", root / "letters")
        shutil.copy(CORPUS / "gold" / f"{i}.json", root / "gold")
    (root / "manifest.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return root


def test_validation_names_the_file_and_segment_of_each_problem(tmp_path):
    root = _copy_corpus(tmp_path, ["seed-004", "vb-101"])
    g = root / "gold" / "seed-004.json"
    spec = json.loads(g.read_text("utf-8"))
    spec["segments"][16]["label"] = "duty"
    spec["segments"][20]["actors"] = [{"name": "Sở Y tế", "role": "boss"}]
    spec["segments"][21]["text"] = "a sentence that is not in the letter"
    g.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    errs = corpus.validate(root)
    assert any("seed-004.json: segment 21 is not in the letter" in e for e in errs)
    # fix the missing text; the other problems are reported per segment
    spec["segments"][21]["text"] = json.loads((CORPUS / "gold" / "seed-004.json").read_text("utf-8"))["segments"][21]["text"]
    g.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    errs = corpus.validate(root)
    assert any("segment 16: bad label 'duty'" in e for e in errs)
    assert any("segment 20: bad actor" in e for e in errs)


def test_manifest_consistency_is_checked(tmp_path):
    root = _copy_corpus(tmp_path, ["seed-004", "vb-101"])
    rows = corpus.read_manifest(root)
    rows[0]["split"] = "dev"
    rows.append({"id": "vb-999", "split": "train"})
    (root / "manifest.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    errs = corpus.validate(root)
    assert any("bad split 'dev'" in e for e in errs)
    assert any("'vb-999' has no gold file" in e for e in errs)


def test_load_gives_fixed_splits_and_a_letters_view(tmp_path):
    pytest.importorskip("datasets")
    root = _copy_corpus(tmp_path, ["seed-004", "vb-101", "vb-102"])
    rows = corpus.read_manifest(root)
    splits = {r["id"]: r["split"] for r in rows}
    dd = corpus.load(root)
    assert set(dd) >= {"letters"}
    assert sorted(dd["letters"]["id"]) == ["seed-004", "vb-101", "vb-102"]
    seg_split = next(k for k in dd if k != "letters" and "seed-004" in dd[k]["letter_id"])
    assert seg_split == splits["seed-004"]
    df = dd[seg_split].to_pandas()
    seed = df[df.letter_id == "seed-004"]
    assert list(seed["text"])[9] == "Kính gửi:" and list(seed["label"])[9] == "recipient_list"
    assert list(seed["zone"])[9] == "recipients"
    assert list(seed["prev_text"])[10] == "Kính gửi:"


def test_annotate_draft_writes_a_valid_gold_file_for_review(tmp_path):
    root = _copy_corpus(tmp_path, ["seed-004"])
    new = root / "letters" / "new-letter.txt"
    shutil.copy(REPO / "tests" / "letters" / "hard_wrap_page_break.txt", new)
    out = root / "gold" / "new-letter.json"
    r = subprocess.run([sys.executable, "-m", "vn_obligations", "annotate", "draft", str(new), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    spec = json.loads(out.read_text("utf-8"))
    assert spec["text_file"] == "../letters/new-letter.txt" and spec["draft"] is True
    assert all(s["review"] for s in spec["segments"])
    g = corpus.read_gold(out)  # exact substrings, full coverage
    assert g.segments[0]["start"] == corpus.read_gold(out).segments[0]["start"]
    assert corpus.check_gold(g) == []


def test_cli_validate_and_stats():
    r = subprocess.run([sys.executable, "-m", "vn_obligations", "corpus", "validate", str(CORPUS)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "0 problems" in r.stdout
    r = subprocess.run([sys.executable, "-m", "vn_obligations", "corpus", "stats", "--json", str(CORPUS)],
                       capture_output=True, text=True)
    c = json.loads(r.stdout)
    assert c["label"]["requirement"] >= 1200 and "table_cells" in c["hazard"]
