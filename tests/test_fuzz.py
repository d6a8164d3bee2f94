"""Resilience: whatever comes in, extraction either refuses it clearly or returns a valid result.

Property tests (hypothesis, derandomized so CI is stable) over random bytes,
random Unicode, mutated team letters and deeply nested numbering, plus a few
single large cases (a 10,000-item list, a 5 MB letter).  Every result must be
schema-valid with offsets inside the text and sentence texts equal to their
slices.  No timing is asserted here: the linear-time check is in
``benchmarks/bench.py``.
"""
from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from conftest import LETTERS, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vn_obligations as vo
from vn_obligations.io import MAX_CHARS, decode

SCHEMA = json.loads((REPO / "vn_obligations" / "data" / "letter.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA) if "2020-12" in SCHEMA.get("$schema", "") \
    else jsonschema.validators.validator_for(SCHEMA)(SCHEMA)

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TEAM_LETTERS = [p.read_text("utf-8") for p in sorted(LETTERS.glob("*.txt"))]
# letters are cut into windows of lines so each example stays cheap
WINDOW = 30


def check(letter: vo.Letter, text: str) -> None:
    """The invariants every result keeps."""
    d = letter.to_dict()
    VALIDATOR.validate(d)
    n = len(text)
    assert letter.text == text
    for s in letter.sentences:
        assert 0 <= s.start <= s.end <= n
        assert text[s.start:s.end] == s.text
    for o in letter.obligations:
        assert letter.sentences[o.sentence].label == "requirement"
        for item in (*o.actors, *o.deadlines):
            if item.start is not None:
                assert 0 <= item.start <= item.end <= n
    for r in letter.references:
        assert 0 <= r.start <= r.end <= n


def extract_or_refuse(data: bytes) -> None:
    try:
        text = decode(data, "<fuzz>")
    except vo.InputError as e:
        assert str(e).startswith("<fuzz>: ")
        return
    check(vo.extract(text), text)


# --------------------------------------------------------------------------- random bytes
@settings(FUZZ, max_examples=500)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_cleanly_or_extracted(data):
    extract_or_refuse(data)


@settings(FUZZ, max_examples=200)
@given(st.text(max_size=200), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_in_any_accepted_encoding_is_refused_cleanly_or_extracted(text, enc):
    extract_or_refuse(text.encode(enc, "surrogatepass") if enc != "utf-16" else text.encode(enc, "replace"))


# --------------------------------------------------------------------------- random Unicode
VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
PIECES = ["\n", "\n\n", " ", "  ", "\t", "\r\n", "\r", ":", ";", ".", ",", "-", "–", "+", "*", "**", "#", "|",
          "(", ")", "“", "”", "\"", "/", "1.", "2.", "a)", "b)", "I.", "II.", "1.1.", "Điều 1.", "Kính gửi:",
          "Nơi nhận:", "Sở Y tế", "UBND tỉnh", "chủ trì, phối hợp", "trước ngày 20/5/2024", "hằng tháng",
          "Số: 12/UBND-VX", "Hà Nội, ngày 5 tháng 3 năm 2024", "CÔNG BÁO", "Trang 2", "\u0301", "\u0300",
          "\u200b", "\ufeff", "\x0c", "\u2028", "\x85", "ﬁ", "İ", "ß", "𝐀", "🙂"]
viet_text = st.text(alphabet=st.sampled_from(list(VIET + VIET.upper() + "0123456789")), min_size=1, max_size=12)
letterish = st.lists(st.one_of(st.sampled_from(PIECES), viet_text), max_size=60).map("".join)


@settings(FUZZ, max_examples=400)
@given(st.one_of(st.text(max_size=300), letterish))
def test_random_unicode_gives_a_valid_result(text):
    if not text.strip():
        return
    check(vo.extract(text), text)


# --------------------------------------------------------------------------- mutated letters
def _mutate(lines: list[str], rnd: random.Random, ops: int) -> list[str]:
    lines = list(lines)
    for _ in range(ops):
        op = rnd.choice(["insert", "delete", "dup", "swap", "mark", "cut", "join", "blank"])
        i = rnd.randrange(len(lines)) if lines else 0
        if op == "insert":
            lines.insert(i, rnd.choice(PIECES + lines[:5] if lines else PIECES))
        elif op == "delete" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines[i:i] = lines[i:i + rnd.randint(1, 4)]
        elif op == "swap" and len(lines) > 1:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "mark" and lines:
            mark = rnd.choice(["**", "#", "## ", "- ", "+ ", "* ", "> ", "| ", "1. ", "a) "])
            lines[i] = mark + lines[i] + (mark.strip() if mark.strip() in ("**",) else "")
        elif op == "cut" and lines and lines[i]:
            k = rnd.randrange(len(lines[i]))
            lines[i:i + 1] = [lines[i][:k], lines[i][k:]]
        elif op == "join" and len(lines) > i + 1:
            lines[i:i + 2] = [lines[i] + " " + lines[i + 1]]
        elif op == "blank":
            lines.insert(i, "")
    return lines


@settings(FUZZ, max_examples=400)
@given(st.integers(0, len(TEAM_LETTERS) - 1), st.integers(0, 10_000), st.integers(0, 12),
       st.booleans(), st.booleans(), st.integers(0, 2 ** 32 - 1))
def test_mutated_team_letters_give_valid_results(which, at, ops, nfd, crlf, seed):
    rnd = random.Random(seed)
    lines = TEAM_LETTERS[which].split("\n")
    start = at % max(1, len(lines) - 1)
    # half the time keep the letter's head, so header, recipients and frame are exercised too
    window = lines[:12] + lines[start:start + WINDOW] if rnd.random() < 0.5 else lines[start:start + WINDOW]
    text = "\n".join(_mutate(window, rnd, ops))
    if nfd:
        text = unicodedata.normalize("NFD", text)
    if crlf:
        text = text.replace("\n", "\r\n")
    if not text.strip():
        return
    check(vo.extract(text), text)
    # through the file reader too: CRLF and NFD are normalised, offsets index the decoded text
    decoded = decode(text.encode("utf-8"), "<fuzz>")
    check(vo.extract(decoded), decoded)


# --------------------------------------------------------------------------- nested numbering
@settings(FUZZ, max_examples=300)
@given(st.lists(st.tuples(st.integers(1, 40), st.sampled_from(["num", "alpha", "roman", "dash", "paren", "plus"]),
                          st.sampled_from(["", ":", ";", "."])), min_size=1, max_size=40),
       st.booleans())
def test_deeply_nested_numbering_gives_valid_results(items, header):
    lines = ["Kính gửi: Sở Y tế", ""] if header else []
    path: list[int] = []
    for depth, kind, end in items:
        path = (path + [1] * depth)[:depth]
        path[-1] += 1
        marker = {"num": ".".join(map(str, path)) + ".", "alpha": "abcdeghik"[depth % 9] + ")",
                  "roman": ["I", "II", "III", "IV", "V"][depth % 5] + ".", "dash": "-", "paren": f"({depth})",
                  "plus": "+"}[kind]
        lines.append(f"{'  ' * min(depth, 10)}{marker} Sở Y tế chủ trì thực hiện nhiệm vụ {'.'.join(map(str, path))}{end}")
    text = "\n".join(lines)
    check(vo.extract(text), text)


# --------------------------------------------------------------------------- offsets of segments alone
@settings(FUZZ, max_examples=300)
@given(st.one_of(letterish, st.text(max_size=400)))
def test_segments_always_slice_the_text(text):
    for s in vo.segment(text):
        assert 0 <= s.start <= s.end <= len(text)


# --------------------------------------------------------------------------- large inputs (one case each)
def _head_and_body() -> tuple[str, str]:
    unit = (LETTERS / "hard_wrap_page_break.txt").read_text("utf-8")
    header, body = unit.split("Thực hiện Công điện", 1)
    return header, "Thực hiện Công điện" + body.split("Nơi nhận:")[0]


def test_a_ten_thousand_item_list_gives_a_valid_result():
    header, _ = _head_and_body()
    items = [f"{i}. Sở Y tế chủ trì, phối hợp với các đơn vị liên quan thực hiện nhiệm vụ được giao;"
             if i % 2 else "- Các sở, ban, ngành báo cáo kết quả trước ngày 20 hằng tháng;"
             for i in range(1, 10_001)]
    text = header + "Đề nghị các cơ quan, đơn vị thực hiện các nội dung sau:\n" + "\n".join(items) + "\n"
    letter = vo.extract(text)
    check(letter, text)
    assert len(letter.sentences) >= 10_000


def test_a_five_megabyte_letter_gives_a_valid_result_and_the_limit_is_exact(tmp_path):
    header, body = _head_and_body()
    text = header + body * ((MAX_CHARS - len(header)) // len(body))
    text += "x" * (MAX_CHARS - len(text))  # exactly at the limit
    assert len(text) == MAX_CHARS
    p = tmp_path / "five_mb.txt"
    p.write_text(text, "utf-8")
    letter = vo.extract_file(p)
    check(letter, letter.text)
    assert len(letter.sentences) > 40_000
    p.write_text(text + "y", "utf-8")
    with pytest.raises(vo.InputError) as e:
        vo.extract_file(p)
    assert str(p) in str(e.value) and "above the limit of 5,000,000" in str(e.value)
    [failure] = vo.extract_many([Path(p)])
    assert str(p) in failure.error and "above the limit" in failure.error
