"""Word segmentation: our decoding of underthesea's CRF gives underthesea's words, with offsets."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from underthesea import word_tokenize

from vn_obligations import tokenize as tok
from vn_obligations import wordseg
from vn_obligations.io import read_letter
from vn_obligations.normalize import fold_tones, nfc

REPO = Path(__file__).resolve().parent.parent
LETTERS = sorted((REPO / "corpora" / "letters").glob("*.txt"))


def _lines(paths):
    return [nfc(ln) for p in paths for ln in read_letter(p).split("\n") if ln.strip()]


def test_the_fast_segmenter_reads_the_installed_underthesea_model():
    assert wordseg.load() is not None, "wordseg cannot read underthesea's model: extraction falls back to the slow path"


def test_words_equal_underthesea_word_tokenize_on_corpus_letters():
    lines = _lines(LETTERS[::4])
    assert len(lines) > 2000
    ours = [[w for _, _, w in ws] for ws in wordseg.words_many(lines)]
    theirs = [word_tokenize(ln) for ln in lines]
    diff = [(ln, a, b) for ln, a, b in zip(lines, ours, theirs, strict=True) if a != b]
    assert not diff, diff[:3]


_VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_ALPHABET = _VIET + _VIET.upper() + "0123456789 .,;:()-/@'\"“”%&+*_#|–…\n\t" + "ðÐ"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(alphabet=_ALPHABET, max_size=120), st.text(max_size=60)))
def test_words_equal_underthesea_word_tokenize_on_random_text(text):
    text = nfc(text)
    ours = wordseg.words(text)
    assert [w for _, _, w in ours] == word_tokenize(text)
    for i, j, _ in ours:
        assert 0 <= i < j <= len(text) and text[i:j].strip() == text[i:j]


def test_tokens_carry_offsets_into_the_callers_text_with_old_tone_placement():
    text = "Sở Y tế chủ trì, phối hợp với Ủy ban nhân dân huyện hoà giải."
    old = text.replace("Ủy", "Uỷ")
    toks = tok.tokenize(old)
    # the words underthesea finds in the new placement, each sliced from the old-placement text
    assert [fold_tones(t.text) for t in toks] == word_tokenize(fold_tones(old))
    assert "Uỷ ban nhân dân" in [t.text for t in toks]
    assert all(old[t.start:t.end] == t.text for t in toks)


def test_the_slow_path_gives_the_same_tokens_when_the_model_cannot_be_read(monkeypatch):
    letter = read_letter(REPO / "corpora" / "letters" / "seed-004.txt")
    lines = [ln for ln in letter.split("\n") if ln.strip()]
    fast = [tok._segment_words([ln])[0] for ln in lines]
    monkeypatch.setattr(wordseg, "words_many", lambda texts: None)
    slow = [tok._segment_words([ln])[0] for ln in lines]
    assert fast == slow


def test_tokenize_many_matches_tokenize_and_repeats_come_from_the_cache():
    texts = ["Kính gửi: Sở Y tế", "", "Đề nghị các đơn vị báo cáo trước ngày 15/3/2025.", "Kính gửi: Sở Y tế"]
    tok.clear_cache()
    many = tok.tokenize_many(texts)
    assert many[1] == ()
    assert many[0] is many[3]
    assert many == [tok.tokenize(t) for t in texts]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_blank_text_has_no_tokens(text):
    assert tok.tokenize(text) == ()
