"""Every seed and dev letter yields JSON valid against the shared schema (needs ../shared)."""
from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import REPO, shared_or_skip

import vn_obligations as vo


def test_packaged_schema_is_the_shared_contract(schema):
    shared = json.loads(shared_or_skip("schema", "letter.schema.json").read_text("utf-8"))
    assert shared == schema


@pytest.mark.parametrize("folder", [("seeds",), ("dev", "texts")])
def test_every_shared_letter_gives_schema_valid_json(folder):
    schema = json.loads(shared_or_skip("schema", "letter.schema.json").read_text("utf-8"))
    paths = sorted(shared_or_skip(*folder).glob("*.txt"))
    assert paths
    for p in paths:
        d = vo.extract_file(p).to_dict()
        jsonschema.validate(d, schema)
        text = vo.io.read_letter(p)
        for s in d["sentences"]:
            assert text[s["start"]:s["end"]] == s["text"], p.name




def test_team_annotation_of_the_seeds_agrees_with_the_shared_gold(tmp_path):
    gold_dir = shared_or_skip("gold")
    score = shared_or_skip("eval", "score.py")
    from vn_obligations import corpus

    lines = []
    for g in sorted(gold_dir.glob("*.json")):
        ours = corpus.read_gold(REPO / "corpora" / "gold" / f"seed-{g.stem[:3]}.json")
        d = corpus.gold_to_prediction(ours)
        d["source"] = g.stem + ".txt"
        lines.append(json.dumps(d, ensure_ascii=False))
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(lines) + "\n", "utf-8")
    import subprocess
    import sys

    r = subprocess.run([sys.executable, str(score), str(gold_dir), "--pred", str(pred), "--json"],
                       capture_output=True, text=True)
    res = json.loads(r.stdout)
    assert res["label_accuracy"] >= 0.95
    assert res["roles_prf"][2] >= 0.90
