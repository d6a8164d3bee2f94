"""The spaCy pipeline: same labels, actors and deadlines as extract, and a well-behaved spaCy citizen."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

import vn_obligations as vo  # noqa: E402
from vn_obligations.io import read_letter  # noqa: E402
from vn_obligations.segment import segment  # noqa: E402
from vn_obligations.spacy_pipeline import CLASSIFIER, CONFIG_PATH, RULES, SEGMENTER  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpora"
TEST_IDS = [r["id"] for r in map(json.loads, (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines())
            if r.get("split") == "test"]

SMALL = """ỦY BAN NHÂN DÂN
TỈNH BÌNH PHƯỚC

Số: 12/UBND-VX                 Bình Phước, ngày 5 tháng 3 năm 2023

Kính gửi:
- Sở Y tế;
- Sở Giáo dục và Đào tạo.

Thực hiện chỉ đạo của Chính phủ, Ủy ban nhân dân tỉnh có ý kiến như sau:
1. Sở Y tế chủ trì, phối hợp với Sở Giáo dục và Đào tạo tổ chức tiêm chủng cho học sinh, hoàn thành trước ngày 30/4/2023.
2. Sở Giáo dục và Đào tạo báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15/5/2023.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.fixture(scope="module")
def nlp():
    return vo.load_spacy()


def _text(letter_id: str) -> str:
    return read_letter(CORPUS / "letters" / f"{letter_id}.txt")


def _explicit_actors(letter):
    """Actors printed in the letter, once per place and role (the spans of doc.spans["actors"])."""
    found = {}
    for ob in letter.obligations:
        for a in ob.actors:
            if a.source == "explicit" and a.start is not None:
                found.setdefault((a.start, a.end, a.role), a)
    return list(found.values())


def test_corpus_has_a_test_split():
    assert len(TEST_IDS) >= 10


@pytest.mark.parametrize("letter_id", TEST_IDS)
def test_same_labels_and_actors_as_extract(nlp, letter_id):
    text = _text(letter_id)
    doc = nlp(text)
    letter = vo.extract(text)

    assert doc.text == text
    assert doc._.letter == letter  # frame, sentences, obligations, references: all identical

    sents = list(doc.sents)
    assert len(sents) == len(letter.sentences)
    for sent, s in zip(sents, letter.sentences, strict=True):
        assert sent.start_char <= s.start and s.end <= sent.end_char
        assert sent.text.lstrip().startswith(s.text)
        assert sent._.label == s.label
        assert sent._.confidence == pytest.approx(s.confidence)

    actors = _explicit_actors(letter)
    spans = list(doc.spans["actors"])
    assert len(spans) == len(actors)
    for span, a in zip(spans, actors, strict=True):  # same order: obligations, then actors as printed
        assert span.label_ == a.role.upper()
        assert span.label_ in ("LEAD", "SUPPORT")
        assert span.kb_id_ == (a.canonical or "")
        assert span.start_char <= a.start and a.end <= span.end_char  # widened to whole words at most
        assert text[a.start:a.end] in span.text

    deadlines = {(d.start, d.end) for ob in letter.obligations for d in ob.deadlines if d.start is not None}
    assert len(doc.spans["deadlines"]) == len(deadlines)
    for span in doc.spans["deadlines"]:
        assert span.label_ == "DEADLINE"
        assert any(span.start_char <= a and b <= span.end_char for a, b in deadlines)


def test_corpus_actors_are_mostly_exact_words(nlp):
    """underthesea words rarely cut an actor: nearly every span has the actor's exact offsets."""
    exact = total = 0
    for doc in nlp.pipe(_text(i) for i in TEST_IDS[:6]):
        for span, a in zip(doc.spans["actors"], _explicit_actors(doc._.letter), strict=True):
            total += 1
            exact += (span.start_char, span.end_char) == (a.start, a.end)
    assert total > 20
    assert exact / total > 0.9


def test_acceptance_seed_letter(nlp):
    seed = REPO.parent / "shared" / "seeds" / "004_d35528223c1c7a13.txt"
    text = seed.read_text("utf-8") if seed.exists() else SMALL
    doc = nlp(text)
    actors = [(s.text, s.label_) for s in doc.spans["actors"]]
    assert actors
    assert {lab for _, lab in actors} == {"LEAD", "SUPPORT"}


def test_small_letter_spans_and_sentences(nlp):
    doc = nlp(SMALL)
    actors = [(s.text, s.label_) for s in doc.spans["actors"]]
    assert ("Sở Y tế", "LEAD") in actors
    assert ("Sở Giáo dục và Đào tạo", "SUPPORT") in actors
    first = doc.spans["deadlines"][0]
    assert "30/4/2023" in first.text and first.kb_id_ == "2023-04-30"
    # sentence spans carry the label, and any span answers with its sentence's label
    by_label = {s.label_ for s in doc.spans["sentences"]}
    assert {"requirement", "recipient_list"} <= by_label
    assert all(a._.label == "requirement" for a in doc.spans["actors"])
    assert doc._.letter.metadata.number == "12/UBND-VX"


def test_tokens_rebuild_the_text_exactly(nlp):
    text = "  Kính gửi:\tSở Y tế;\n\n\n-  Sở Tài chính .\r\n  (xem   tiếp)   \n"
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert "".join(t.text_with_ws for t in doc) == text
    words = [t.text for t in doc if not t.is_space]
    assert "Y tế" in words and "Tài chính" in words  # underthesea joins the syllables of a word
    assert all(t.text.strip() or t.is_space for t in doc)
    assert nlp.make_doc("").text == ""


def test_decomposed_unicode_keeps_caller_offsets(nlp):
    text = unicodedata.normalize("NFD", SMALL)
    doc = nlp(text)
    assert doc.text == text
    assert doc._.letter == vo.extract(text)
    lead = [s for s in doc.spans["actors"] if s.label_ == "LEAD"][0]
    assert unicodedata.normalize("NFC", lead.text) == "Sở Y tế"


def test_sentences_start_at_segments(nlp):
    doc = nlp(SMALL)
    segs = segment(SMALL)
    starts = [s.start_char for s in doc.sents]
    assert len(starts) == len(segs)
    assert starts[0] == 0 and starts[1:] == [s.start for s in segs[1:]]


def test_a_label_can_be_overruled_before_the_rules(nlp):
    doc = nlp.make_doc(SMALL)
    for name, proc in nlp.pipeline:
        if name == RULES:
            for sent in doc.sents:
                if sent._.label == "requirement" and "báo cáo" in sent.text:
                    sent._.label = "other"
                    assert sent._.confidence is None
        doc = proc(doc)
    texts = [ob.text for ob in doc._.letter.obligations]
    assert texts and not any("báo cáo kết quả" in t for t in texts)
    with pytest.raises(ValueError):
        next(iter(doc.sents))._.label = "urgent"


def test_rules_need_labels(nlp):
    bare = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vn_obligations.Tokenizer.v1"}}})
    bare.add_pipe(SEGMENTER)
    bare.add_pipe(RULES)
    with pytest.raises(ValueError, match=CLASSIFIER):
        bare(SMALL)


def test_pipe_batches_and_processes(nlp):
    texts = [SMALL, _text(TEST_IDS[0]), SMALL.replace("Sở Y tế chủ trì", "Sở Tài chính chủ trì")]
    one_by_one = [nlp(t)._.letter for t in texts]
    assert [d._.letter for d in nlp.pipe(texts, batch_size=2)] == one_by_one
    docs = list(nlp.pipe(texts, batch_size=1, n_process=2))  # docs travel as bytes between processes
    assert [d._.letter for d in docs] == one_by_one
    local = [nlp(t) for t in texts]
    assert [[(s.start_char, s.label_) for s in d.spans["actors"]] for d in docs] == \
        [[(s.start_char, s.label_) for s in d.spans["actors"]] for d in local]


def test_docbin_round_trip(nlp):
    from spacy.tokens import DocBin

    doc = nlp(SMALL)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert back._.letter == doc._.letter
    assert [s._.label for s in back.sents] == [s._.label for s in doc.sents]
    assert [(s.text, s.label_) for s in back.spans["actors"]] == [(s.text, s.label_) for s in doc.spans["actors"]]


def test_config_builds_the_same_pipeline(nlp, tmp_path):
    from spacy.util import load_config, load_model_from_config

    built = load_model_from_config(load_config(CONFIG_PATH), auto_fill=True)
    assert built.lang == "vi"
    assert built.pipe_names == [SEGMENTER, CLASSIFIER, RULES]
    assert built(SMALL)._.letter == nlp(SMALL)._.letter
    nlp.to_disk(tmp_path / "pipeline")
    assert spacy.load(tmp_path / "pipeline")(SMALL)._.letter == nlp(SMALL)._.letter


def test_entry_points_resolve_without_importing_the_package():
    code = ("import sys, spacy.util\n"
            f"cfg = spacy.util.load_config({str(CONFIG_PATH)!r})\n"
            "assert 'vn_obligations' not in sys.modules\n"
            "nlp = spacy.util.load_model_from_config(cfg, auto_fill=True)\n"
            "print(nlp.pipe_names, type(nlp.tokenizer).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"['{SEGMENTER}', '{CLASSIFIER}', '{RULES}'] VietnameseTokenizer" in out.stdout


def test_model_argument(nlp):
    model = vo.load_model()
    with_object = vo.load_spacy(model=model)
    assert with_object.get_pipe(CLASSIFIER).model is model
    with_path = vo.load_spacy(model=REPO / "models" / "classifier.skops") \
        if (REPO / "models" / "classifier.skops").exists() else with_object
    assert with_path(SMALL)._.letter == nlp(SMALL)._.letter
    with pytest.raises(vo.ModelError):
        vo.load_spacy(model=REPO / "no-such-model.skops")(SMALL)


def test_package_import_stays_light():
    code = "import sys, vn_obligations; print('spacy' in sys.modules, 'datasets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr
