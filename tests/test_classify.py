"""The trained classifier: labels, confidences, safe model files, retraining and evaluation."""
from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO, letter_path, shared_or_skip

import vn_obligations as vo
from vn_obligations.classify import MODEL_PATH, TRUSTED_FUNCTIONS, label_segments, load_model
from vn_obligations.corpus import read_gold
from vn_obligations.evaluate import Tally, evaluate, name_similarity, prf

CORPUS = REPO / "corpora"


def _label_of(letter, needle: str) -> str:
    hits = [s.label for s in letter.sentences if needle in s.text]
    assert hits, f"no sentence contains {needle!r}"
    return hits[0]


def test_shipped_model_tells_grounds_directives_and_recipients_apart():
    letter = vo.extract_file(letter_path("hard_wrap_page_break.txt"))
    labels = {s.label for s in letter.sentences}
    assert {"requirement", "rationale", "recipient_list", "other"} <= labels
    assert _label_of(letter, "Kính gửi") == "recipient_list"
    assert _label_of(letter, "Thực hiện") == "rationale"
    assert any(s.label == "requirement" and "trước ngày" in s.text for s in letter.sentences)


def test_confidences_are_probabilities():
    letter = vo.extract_file(letter_path("hard_wrap_page_break.txt"))
    confs = [s.confidence for s in letter.sentences]
    assert all(c is not None and 0.0 <= c <= 1.0 for c in confs)
    assert min(confs) < 0.99  # a real model is not certain of everything


def test_obligations_are_the_requirement_sentences():
    letter = vo.extract_file(letter_path("hard_wrap_page_break.txt"))
    req = [i for i, s in enumerate(letter.sentences) if s.label == "requirement"]
    assert [o.sentence for o in letter.obligations] == req


def test_quoted_rule_under_attribution_is_rationale():
    text = ("Kính gửi: Sở Y tế\n\nThực hiện Công văn số 12/BYT-KCB ngày 02/3/2025 của Bộ Y tế về việc tăng cường "
            "công khai giá dịch vụ khám bệnh, chữa bệnh tại các cơ sở y tế trên địa bàn tỉnh.\n\n"
            "Khoản 2 Điều 7 Thông tư số 40/2024/TT-BYT quy định:\n"
            "“Cơ sở khám bệnh, chữa bệnh phải công khai giá dịch vụ tại nơi tiếp đón người bệnh.”\n\n"
            "Đề nghị Sở Y tế chỉ đạo các bệnh viện rà soát, báo cáo UBND tỉnh trước ngày 15/4/2025.\n")
    letter = vo.extract(text)
    assert _label_of(letter, "phải công khai") == "rationale"
    assert _label_of(letter, "Đề nghị Sở Y tế") == "requirement"


_TITLES = ("ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\n\nSố: 214/UBND-KT\nV/v quản lý chợ nông thôn\n\n"
           "Kính gửi: Ủy ban nhân dân các xã, phường\n\n"
           "Thực hiện Kế hoạch số 55/KH-UBND ngày 10/02/2025 của UBND tỉnh về phát triển thương mại nông thôn.\n\n"
           "Ủy ban nhân dân tỉnh yêu cầu Ủy ban nhân dân các xã, phường thực hiện các nội dung sau:\n\n"
           "1. Về quản lý hoạt động kinh doanh tại chợ\n"
           "- Bố trí lại các khu bán hàng theo ngành hàng, bảo đảm lối đi thông thoáng.\n"
           "- Niêm yết nội quy chợ tại cổng chính trước ngày 30/4/2025.\n"
           "2. Rà soát, sửa chữa hệ thống phòng cháy, chữa cháy tại các chợ\n"
           "- Kiểm tra bình chữa cháy, họng nước và lối thoát nạn.\n"
           "- Báo cáo kết quả về Sở Công Thương trước ngày 15/5/2025.\n")


def test_title_features_carry_the_first_words_of_titles_only():
    from vn_obligations.classify import segment_features
    from vn_obligations.segment import segment

    segs = segment(_TITLES)
    rows = segment_features(segs)
    by_text = {s.text: r for s, r in zip(segs, rows, strict=True)}
    topic = next(r for t, r in by_text.items() if t.startswith("1. Về quản lý"))
    task = next(r for t, r in by_text.items() if t.startswith("2. Rà soát"))
    item = next(r for t, r in by_text.items() if t.startswith("- Bố trí lại"))
    assert topic["layout"].get("title") and "T:về" in topic["context"].split()
    assert task["layout"].get("title") and "T:rà_soát" in task["context"].split()
    assert not item["layout"].get("title") and "T:" not in item["context"]  # a sentence, not a title
    # the list marker's pieces (`2`, `.`) are not the title's first words
    assert {"S:.", "T:.", "S:0"}.isdisjoint(task["context"].split())


def test_verb_initial_title_is_a_task_and_noun_phrase_title_a_topic():
    """ANNOTATION.md §7: `2. Rà soát ...` over its items is a requirement, `1. Về ...` is other."""
    letter = vo.extract(_TITLES)
    assert _label_of(letter, "1. Về quản lý") == "other"
    assert _label_of(letter, "2. Rà soát") == "requirement"
    assert _label_of(letter, "Niêm yết nội quy") == "requirement"


def test_furniture_is_other_whatever_the_model_says():
    letter = vo.extract_file(letter_path("hard_wrap_page_break.txt"))
    page_numbers = [s for s in letter.sentences if s.text.strip() in ("2", "- 2 -", "3")]
    assert page_numbers and all(s.label == "other" for s in page_numbers)


ACTOR_HEADINGS = (
    "ỦY BAN NHÂN DÂN\nTỈNH YÊN BÁI\nSố: 07/CT-UBND\nYên Bái, ngày 12 tháng 5 năm 2026\n\nCHỈ THỊ\n"
    "Về tăng cường bảo vệ khoáng sản chưa khai thác\n\n"
    "Để tăng cường quản lý khoáng sản, Chủ tịch UBND tỉnh yêu cầu:\n"
    "1. Sở Nông nghiệp và Môi trường\n"
    "Chủ trì kiểm tra các mỏ đang khai thác, báo cáo UBND tỉnh trước ngày 30/6/2026.\n"
    "2. Bộ Chỉ huy Quân sự tỉnh\n"
    "Chỉ đạo lực lượng chức năng phối hợp bảo vệ khoáng sản chưa khai thác.\n"
    "3. UBND các xã, phường\n"
    "- Quán triệt nội dung Chỉ thị đến cán bộ, công chức.\n"
    "4. Trách nhiệm của các tổ chức, doanh nghiệp hoạt động khoáng sản\n"
    "- Chấp hành nghiêm quy định về bảo vệ môi trường trong khai thác.\n")


class _SaysRequirement:
    """A stand-in model that calls every segment a requirement."""

    classes_ = ["other", "rationale", "recipient_list", "requirement"]

    def predict_proba(self, rows):
        import numpy as np

        return np.tile([0.0, 0.0, 0.0, 1.0], (len(rows), 1))


def test_list_item_naming_only_actors_is_an_actor_heading_whatever_the_model_says():
    letter = vo.extract(ACTOR_HEADINGS, model=_SaysRequirement())
    labels = {s.text.strip(): s.label for s in letter.sentences}
    assert labels["1. Sở Nông nghiệp và Môi trường"] == "other"
    assert labels["2. Bộ Chỉ huy Quân sự tỉnh"] == "other"
    assert labels["3. UBND các xã, phường"] == "other"
    assert labels["4. Trách nhiệm của các tổ chức, doanh nghiệp hoạt động khoáng sản"] == "other"
    assert labels["Chỉ đạo lực lượng chức năng phối hợp bảo vệ khoáng sản chưa khai thác."] == "requirement"
    # and the heading passes its actor down to the task below it
    task = next(o for o in letter.obligations if o.text.startswith("Chỉ đạo lực lượng"))
    assert [(a.name, a.role, a.source) for a in task.actors][0] == ("Bộ Chỉ huy Quân sự tỉnh", "lead", "inherited")
    last = letter.obligations[-1]
    assert [(a.name, a.source) for a in last.actors] == [
        ("các tổ chức, doanh nghiệp hoạt động khoáng sản", "inherited")]


def test_empty_segment_list_needs_no_model():
    assert label_segments([], model=object()) == []


def test_loader_refuses_a_pickle_and_never_runs_it(tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    bad = tmp_path / "model.skops"
    bad.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(vo.ModelError, match="model.skops"):
        load_model(bad)
    assert not marker.exists()


def test_loader_refuses_untrusted_functions_inside_a_skops_file(tmp_path):
    import os

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    bad = tmp_path / "evil.skops"
    sio.dump(FunctionTransformer(os.system), bad)
    with pytest.raises(vo.ModelError, match="not trusted"):
        load_model(bad)


def test_loader_refuses_a_tampered_file(tmp_path):
    bad = tmp_path / "cut.skops"
    bad.write_bytes(MODEL_PATH.read_bytes()[:5000])
    with pytest.raises(vo.ModelError, match="cut.skops"):
        load_model(bad)


def test_loader_refuses_a_skops_file_that_is_not_a_classifier(tmp_path):
    import skops.io as sio

    other = tmp_path / "list.skops"
    sio.dump([1, 2, 3], other)
    with pytest.raises(vo.ModelError, match="not a vn_obligations classifier"):
        load_model(other)


def test_shipped_model_trusts_only_the_package_feature_functions():
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=MODEL_PATH)
    assert set(untrusted) <= set(TRUSTED_FUNCTIONS)
    assert all(t.startswith("vn_obligations.classify.") for t in TRUSTED_FUNCTIONS)


def _features_of(name: str):
    from vn_obligations.classify import segment_features
    from vn_obligations.pipeline import normalize, segment
    from vn_obligations.tokenize import body_tokens

    segs = segment(normalize(letter_path(name).read_text(encoding="utf-8")).nfc)
    return segment_features(segs, body_tokens(segs))


def test_the_shipped_model_reads_a_first_pass_and_the_fast_path_agrees_with_sklearn():
    import numpy as np

    from vn_obligations.classify import _predict_proba, with_first_pass

    model = load_model()
    assert model.steps[0][1].func is with_first_pass
    rows = _features_of("hard_wrap_page_break.txt")
    assert np.allclose(_predict_proba(model, rows), model.predict_proba(rows), atol=1e-12)


def test_the_second_pass_sees_the_first_pass_view_of_parent_neighbours_and_siblings():
    import numpy as np

    from vn_obligations.classify import add_neighbour_probabilities

    def row(marker, depth, zone="body"):
        return {"words": "", "context": "", "chars": "",
                "layout": {"zone": zone, "marker": marker, "depth": str(depth), "colon": False}}

    rows = [row("none", 0, "header"), row("num", 1), row("dash", 2), row("dash", 2), row("dash", 2), row("num", 1)]
    classes = ["other", "rationale", "recipient_list", "requirement"]
    first = ["other", "other", "requirement", "requirement", "rationale", "requirement"]
    proba = np.array([[0.9 if c == lab else 0.1 / 3 for c in classes] for lab in first])
    out = add_neighbour_probabilities(rows, proba, classes)
    assert out[0] is rows[0]  # a header line is left alone
    item = out[3]["layout"]
    assert item["s1_par"] == "other" and item["s1_prev"] == "requirement" and item["s1_next"] == "rationale"
    assert item["sib_requirement"] == 0.5 and item["sib_rationale"] == 0.5  # of its two siblings
    assert item["p_requirement"] == 0.9 and item["ppar_other"] == 0.9
    assert out[5]["layout"]["s1_par"] == "none"  # a top-level item has no parent
    assert rows[3]["layout"].get("s1_par") is None  # the input rows are not changed


def _shipped_copy(tmp_path):
    """The shipped model and its companion, copied where a test may spoil them."""
    from vn_obligations import frozen

    shutil.copy(MODEL_PATH, tmp_path / "m.skops")
    shutil.copy(frozen.companion(MODEL_PATH), tmp_path / "m.npz")
    return tmp_path / "m.skops"


def _rewrite_spec(npz, change):
    import numpy as np

    with np.load(npz, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    spec = json.loads(str(arrays.pop("__spec__")))
    change(spec)
    with open(npz, "wb") as f:
        np.savez(f, __spec__=np.array(json.dumps(spec)), **arrays)


def test_the_fast_companion_gives_the_skops_models_probabilities():
    import numpy as np
    import skops.io as sio

    from vn_obligations import frozen
    from vn_obligations.classify import _predict_proba

    thawed = frozen.thaw(MODEL_PATH, TRUSTED_FUNCTIONS)
    skopsed = sio.load(MODEL_PATH, trusted=TRUSTED_FUNCTIONS)
    feats = _features_of("hard_wrap_page_break.txt")
    assert np.array_equal(_predict_proba(thawed, feats), _predict_proba(skopsed, feats))
    assert list(thawed.classes_) == list(skopsed.classes_)


def test_a_companion_made_from_another_model_file_is_ignored(tmp_path):
    model = _shipped_copy(tmp_path)
    model.write_bytes(model.read_bytes() + b"\0")  # still a zip; no longer the file the companion was made from
    with pytest.warns(UserWarning, match="another version of m.skops"):
        loaded = load_model(model)
    assert list(loaded.classes_) == ["other", "rationale", "recipient_list", "requirement"]


def test_a_companion_naming_an_untrusted_function_is_refused_and_never_imported(tmp_path):
    from vn_obligations import frozen

    model = _shipped_copy(tmp_path)

    def evil(spec):
        spec["model"]["children"]["steps"][0][1]["params"]["func"] = {"function": "os.system"}

    _rewrite_spec(tmp_path / "m.npz", evil)
    with pytest.raises(frozen.FrozenError, match="os.system is not trusted"):
        frozen.thaw(model, TRUSTED_FUNCTIONS)
    with pytest.warns(UserWarning, match="not trusted"):
        assert load_model(model) is not None  # the skops file itself still loads


def test_a_companion_holding_a_pickle_payload_never_runs_it(tmp_path):
    import numpy as np

    from vn_obligations import frozen

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    model = _shipped_copy(tmp_path)
    with open(tmp_path / "m.npz", "wb") as f:  # an object array is stored as a pickle
        np.savez(f, __spec__=np.array([Payload()], dtype=object))
    with pytest.raises(frozen.FrozenError, match="unreadable"):
        frozen.thaw(model, TRUSTED_FUNCTIONS)
    with pytest.warns(UserWarning, match="unreadable"):
        assert load_model(model) is not None
    assert not marker.exists()


def test_a_companion_naming_another_class_is_refused(tmp_path):
    from vn_obligations import frozen

    model = _shipped_copy(tmp_path)
    _rewrite_spec(tmp_path / "m.npz", lambda spec: spec["model"].update({"class": "subprocess.Popen"}))
    with pytest.raises(frozen.FrozenError, match="subprocess.Popen is not allowed"):
        frozen.thaw(model, TRUSTED_FUNCTIONS)


def _small_corpus(tmp_path, ids):
    (tmp_path / "gold").mkdir(parents=True)
    (tmp_path / "letters").mkdir()
    for i in ids:
        shutil.copy(CORPUS / "gold" / f"{i}.json", tmp_path / "gold")
        shutil.copy(CORPUS / "letters" / f"{i}.txt", tmp_path / "letters")
    return tmp_path


def test_retraining_on_a_folder_gives_a_model_that_round_trips(tmp_path):
    corpus = _small_corpus(tmp_path / "c", ["seed-000", "seed-001", "seed-004", "vb-101", "vb-201"])
    out = tmp_path / "m.skops"
    model = vo.train([corpus], out, splits=None)
    assert out.exists() and zipfile.is_zipfile(out)
    assert out.with_suffix(".npz").exists()  # the fast-loading companion
    again = load_model(out)
    letter = vo.extract_file(corpus / "letters" / "vb-101.txt", model=again)
    first = vo.extract_file(corpus / "letters" / "vb-101.txt", model=model)
    assert [s.label for s in letter.sentences] == [s.label for s in first.sentences]
    assert model.training_info_["letters"] == ["seed-000", "seed-001", "seed-004", "vb-101", "vb-201"]


def test_temperature_is_recovered_from_overconfident_scores():
    import numpy as np
    from scipy.special import softmax

    from vn_obligations.training import fit_temperature

    rng = np.random.default_rng(0)
    logits = rng.normal(scale=4.0, size=(4000, 4))
    # labels drawn as if the scores were twice as sure as they should be
    truth = np.array([rng.choice(4, p=p) for p in softmax(logits / 2.0, axis=1)])
    assert fit_temperature(logits, truth) == pytest.approx(2.0, rel=0.15)
    # scores that are right as they stand keep a temperature near one
    truth = np.array([rng.choice(4, p=p) for p in softmax(logits, axis=1)])
    assert fit_temperature(logits, truth) == pytest.approx(1.0, rel=0.15)


def test_tempering_changes_confidences_but_not_labels():
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from vn_obligations.training import temper

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(300, 5)), rng.integers(0, 3, 300)
    model = LogisticRegression(C=100.0).fit(x, y)
    before = model.predict_proba(x)
    temper(model, 2.0)
    after = model.predict_proba(x)
    assert (after.argmax(1) == before.argmax(1)).all()
    assert after.max(1).mean() < before.max(1).mean()


def test_shipped_model_is_calibrated_on_the_corpus_test_split():
    """Expected calibration error (10 bins) of the top confidence stays small on unseen letters."""
    from vn_obligations.training import calibration, gold_letters

    cal = calibration(load_model(), gold_letters([CORPUS], splits=("test",), keep_unlisted=False))
    assert cal["segments"] > 1000
    assert cal["ece"] < 0.03
    assert abs(cal["mean_confidence"] - cal["accuracy"]) < 0.03


def test_train_refuses_a_folder_without_gold(tmp_path):
    with pytest.raises(vo.AnnotationError, match="no gold files"):
        vo.train([tmp_path], tmp_path / "m.skops")


def test_manifest_splits_select_training_letters(tmp_path):
    from vn_obligations.training import gold_letters

    test_ids = {json.loads(line)["id"] for line in (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines()
                if line.strip() and json.loads(line)["split"] == "test"}
    letters = gold_letters([CORPUS], splits=("test",), keep_unlisted=False)
    assert {g.id for g in letters} == test_ids


def test_tally_scores_a_perfect_prediction_as_one():
    g = read_gold(CORPUS / "gold" / "seed-004.json")
    from vn_obligations.corpus import gold_to_prediction

    t = Tally()
    t.add(g, gold_to_prediction(g))
    r = t.report()
    assert r["label_macro_f1"] == 1.0 and r["bounds_prf"] == [1.0, 1.0, 1.0]
    assert r["roles_prf"][2] == 1.0


def test_name_similarity_expands_abbreviations():
    assert name_similarity("UBND tỉnh", "Ủy ban nhân dân tỉnh") == 1.0
    assert name_similarity("Sở Y tế", "Sở Tài chính") < 0.6
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)


def test_evaluate_agrees_with_the_official_scorer_on_the_seeds(tmp_path):
    gold_dir = shared_or_skip("gold")
    scorer = shared_or_skip("eval", "score.py")
    cmd = f"{sys.executable} -m vn_obligations extract --format jsonl"
    out = subprocess.run([sys.executable, str(scorer), str(gold_dir), "--cmd", cmd, "--json"],
                         capture_output=True, text=True, check=True)
    official = json.loads(out.stdout)
    ours = evaluate([read_gold(p) for p in sorted(gold_dir.glob("*.json"))])
    for key in ("label_macro_f1", "label_accuracy", "bounds_prf", "actors_prf", "roles_prf", "deadlines_prf",
                "meta_accuracy", "confusion", "roles_letter_mean_f1"):
        assert ours[key] == official[key], key


def test_evaluate_cli_prints_figures_and_confusion_matrix():
    out = subprocess.run([sys.executable, "-m", "vn_obligations", "evaluate", str(CORPUS / "gold" / "vb-101.json")],
                         capture_output=True, text=True, check=True).stdout
    assert "labels: macro-F1" in out and "confusion matrix" in out and "actor+role" in out


def test_evaluate_cli_json_and_bad_model(tmp_path):
    out = subprocess.run([sys.executable, "-m", "vn_obligations", "evaluate", "--json",
                          str(CORPUS / "gold" / "vb-101.json")], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    assert 0.0 <= res["label_macro_f1"] <= 1.0 and res["letters"] == 1
    bad = tmp_path / "bad.skops"
    bad.write_text("not a model")
    r = subprocess.run([sys.executable, "-m", "vn_obligations", "extract", "--model", str(bad),
                        str(letter_path("hard_wrap_page_break.txt"))], capture_output=True, text=True)
    assert r.returncode == 1 and "bad.skops" in r.stderr
