"""Every seed and dev letter yields JSON valid against the shared schema (needs ../shared)."""
from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import shared_or_skip

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


