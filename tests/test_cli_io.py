"""The CLI and file reading: formats, exit codes, encodings and broken inputs."""
from __future__ import annotations

import codecs
import json
import subprocess
import sys
import unicodedata

import jsonschema
import pytest
from conftest import letter_path

import vn_obligations as vo

GOOD = letter_path("hard_wrap_page_break.txt")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vn_obligations", *args], input=stdin,
                          capture_output=True, timeout=300)


def test_jsonl_prints_one_object_per_input_in_order_with_source(schema):
    paths = [str(letter_path(n)) for n in ("tables_markdown_blank.txt", "hard_wrap_page_break.txt")]
    out = run("extract", "--format", "jsonl", *paths)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert [json.loads(x)["source"] for x in lines] == paths
    for x in lines:
        jsonschema.validate(json.loads(x), schema)


def test_a_broken_letter_is_reported_and_the_others_still_printed(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage\x80\x81")
    out = run("extract", "--format", "jsonl", str(GOOD), str(bad), str(letter_path("crawled_one_line.txt")))
    assert out.returncode == 1
    objs = [json.loads(x) for x in out.stdout.decode().splitlines()]
    assert [o["source"] for o in objs] == [str(GOOD), str(bad), str(letter_path("crawled_one_line.txt"))]
    assert "error" in objs[1] and "sentences" in objs[0] and "sentences" in objs[2]
    err = out.stderr.decode()
    assert str(bad) in err and err.count("\n") == 1


@pytest.mark.parametrize("content,message", [
    (b"", "empty"), (b"  \n\n ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    (b"abc\x00def", "binary"),
    (b"K\xednh g\xf7i: S\xf4 Y t\xea", "not UTF-8"),  # a legacy 8-bit code page
])
def test_bad_files_get_a_clear_error_naming_the_file(tmp_path, content, message):
    p = tmp_path / "letter.txt"
    p.write_bytes(content)
    with pytest.raises(vo.InputError) as e:
        vo.extract_file(p)
    assert str(p) in str(e.value) and message in str(e.value)
    out = run("extract", str(p))
    assert out.returncode == 1 and str(p) in out.stderr.decode()


def test_missing_file_and_usage_errors():
    out = run("extract", "/nonexistent/letter.txt")
    assert out.returncode == 1 and "no such file" in out.stderr.decode()
    assert run("extract").returncode == 2
    assert run("extract", "--format", "xml", str(GOOD)).returncode == 2
    assert run().returncode == 2


@pytest.mark.parametrize("encode", [
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),  # with BOM
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
])
def test_bom_utf16_crlf_and_decomposed_files_read_like_the_plain_file(tmp_path, encode):
    text = GOOD.read_text("utf-8")
    p = tmp_path / "x.txt"
    p.write_bytes(encode(text))
    a, b = vo.extract_file(GOOD).to_dict(), vo.extract_file(p).to_dict()
    assert a["sentences"] == b["sentences"] and a["metadata"] == b["metadata"]


def test_standard_input_and_table_format():
    out = run("extract", "--format", "table", "-", stdin=GOOD.read_bytes())
    assert out.returncode == 0
    text = out.stdout.decode()
    assert "issuer: Ủy ban nhân dân tỉnh Quảng Trị" in text
    assert "-- tasks" in text and "-- sentences" in text
    assert "RCP reci - Sở Tài chính;" in text


def test_input_size_limit_is_clear_and_configurable(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(GOOD.read_text("utf-8") * 3, "utf-8")
    with pytest.raises(vo.InputError, match="above the limit"):
        vo.extract_file(p, max_chars=1000)
    assert run("extract", "--max-chars", "1000", str(p)).returncode == 1
    assert run("extract", "--max-chars", "100000", str(p)).returncode == 0


def test_a_two_megabyte_letter_is_extracted_with_valid_offsets(schema):
    unit = GOOD.read_text("utf-8")
    header, body = unit.split("Thực hiện Công điện", 1)
    body = "Thực hiện Công điện" + body.split("Nơi nhận:")[0]
    text = header + body * (2_000_000 // len(body))
    assert len(text) > 2_000_000
    letter = vo.extract(text)
    d = letter.to_dict()
    jsonschema.validate(d, schema)
    assert len(d["sentences"]) > 10_000
    for s in d["sentences"][::97]:
        assert text[s["start"]:s["end"]] == s["text"]


def test_python_api_offsets_index_a_decomposed_string():
    text = unicodedata.normalize("NFD", GOOD.read_text("utf-8"))
    letter = vo.extract(text)
    for s in letter.sentences:
        assert text[s.start:s.end] == s.text
    assert letter.metadata.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"
