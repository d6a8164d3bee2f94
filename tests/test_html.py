"""The HTML view: a self-contained page that reads back to the letter, its tasks and its highlights."""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections import Counter

import pytest
from _htmltree import NestingError, parse
from conftest import REPO, letter_path

import vn_obligations as vo
from vn_obligations.html import html_document, to_html
from vn_obligations.letter import Actor, Deadline, Letter, Metadata, Obligation, Sentence
from vn_obligations.render import action

# the team's small letter, with markup and an injection attempt in it
LETTER = (letter_path("measles_ha_giang.txt").read_text("utf-8")
          .replace("V/v phòng chống dịch sởi", "V/v phòng chống dịch sởi <b>khẩn</b>")
          .replace("cho trẻ em trong độ tuổi", 'cho trẻ em <script>alert("x")</script> & "AT&T"'))


@pytest.fixture(scope="module")
def letter() -> Letter:
    return vo.extract(LETTER, source="hg<1>.txt")


def _letter_text(doc) -> str:
    (div,) = doc.find_all("div", cls="letter-text")
    return div


def _pieces(div, cls: str) -> dict[tuple[int, int, str], str]:
    """Text of every highlighted span of class *cls*, its continuation parts joined, keyed by offsets and role."""
    out: dict[tuple[int, int, str], str] = {}
    for n in div.find_all(cls=cls):
        key = (int(n.attrs["data-start"]), int(n.attrs["data-end"]), n.attrs.get("data-role", ""))
        assert ("cont" in n.classes) == (key in out), "the first part is the one without 'cont'"
        out[key] = out.get(key, "") + n.text()
    return out


def test_page_is_self_contained_and_well_formed(letter):
    page = letter.to_html()
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    low = page.lower()
    for needle in ("http://", "https://", "<script", "<link", "@import", "url(", "<img"):
        assert needle not in low, needle
    parse(page)  # raises on any mis-nested element


def test_all_text_is_escaped(letter):
    page = letter.to_html()
    assert "<script>" not in page and "<b>khẩn</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page or "&lt;script&gt;alert(\"x\")" in page
    doc = parse(page)
    assert not doc.find_all("script") and not doc.find_all("b")
    assert doc.find_all("section")[0].attrs["data-letter-source"] == "hg<1>.txt"
    # the subject with its angle brackets comes back as text
    assert "<b>khẩn</b>" in doc.find_all("dd", data_field="subject")[0].text()


def test_letter_text_reads_back_exactly_and_sentences_keep_their_offsets(letter):
    div = _letter_text(parse(letter.to_html()))
    assert div.text() == letter.text
    sents = _pieces(div, "sent")
    assert len(sents) == len(letter.sentences)
    for s in letter.sentences:
        assert sents[(s.start, s.end, "")] == s.text
    labels = Counter(n.attrs["data-label"] for n in div.find_all(cls="sent") if "cont" not in n.classes)
    assert labels == Counter(s.label for s in letter.sentences)
    assert {n.attrs["data-legend"] for n in parse(letter.to_html()).find_all(cls="key")} >= set(vo.letter.LABELS)


def test_every_obligation_is_a_row_with_its_actors_deadline_and_report(letter):
    assert len(letter.obligations) >= 2
    doc = parse(letter.to_html())
    rows = doc.find_all("tr", cls="task")
    assert len(rows) == len(letter.obligations)
    for k, (row, ob) in enumerate(zip(rows, letter.obligations, strict=True), 1):
        assert row.attrs["data-obligation"] == str(k) and row.attrs["data-sentence"] == str(ob.sentence)
        (lead,) = row.find_all("td", cls="lead")
        (support,) = row.find_all("td", cls="support")
        got_lead = [n.text().split(" (")[0] for n in lead.find_all(data_role="lead")]
        got_support = [n.text().split(" (")[0] for n in support.find_all(data_role="support")]
        assert got_lead == [a.name for a in ob.actors if a.role == "lead"] or (ob.implicit and got_lead == ["(addressees)"])
        assert got_support == [a.name for a in ob.actors if a.role == "support"]
        (act,) = row.find_all("td", cls="action")
        assert act.text() == action(letter, ob, width=400)
        assert act.find_all("a")[0].attrs["href"] == f"#L1-s{ob.sentence}"
        assert row.find_all("td", cls="report_to")[0].text() == "; ".join(ob.report_to)
        dates = [n.attrs.get("data-date") for n in row.find_all(cls="due")]
        assert dates == [d.date for d in ob.deadlines]
    first = rows[0].text()
    assert "Sở Y tế" in first and "2025-04-30" in first and "UBND tỉnh" in first
    assert "weekly" in rows[1].text()


def test_explicit_actors_and_deadlines_are_marked_where_they_stand(letter):
    div = _letter_text(parse(letter.to_html()))
    actors = _pieces(div, "actor")
    deadlines = _pieces(div, "deadline")
    want_actors = {(a.start, a.end, a.role) for ob in letter.obligations for a in ob.actors if a.start is not None}
    want_deadlines = {(d.start, d.end, "") for ob in letter.obligations for d in ob.deadlines if d.start is not None}
    assert want_actors and want_deadlines
    assert set(actors) == want_actors and set(deadlines) == want_deadlines
    for (a, b, _), txt in {**actors, **deadlines}.items():
        assert txt == letter.text[a:b]
    roles = {(txt, role) for (_, _, role), txt in actors.items()}
    assert ("Sở Y tế", "lead") in roles and ("Sở Giáo dục và Đào tạo", "support") in roles
    # every mark sits inside the sentence span that holds it
    for m in div.find_all("mark"):
        assert any("sent" in p.classes for p in m.ancestors())


def _synthetic() -> Letter:
    """Spans that cross each other and a sentence boundary, and an actor that fills a deadline."""
    text = "Giao Sở Tài chính trước ngày 05/6. Hạn chót | ngày 10/6 báo cáo."
    s0, s1 = (0, 34), (35, len(text))
    sents = (Sentence(*s0, text[slice(*s0)], "requirement", "body"), Sentence(*s1, text[slice(*s1)], "other", "body"))
    sở = text.index("Sở Tài chính")
    tr = text.index("trước")
    actors = (Actor("Sở Tài chính trước", "lead", start=sở, end=tr + 5),  # crosses into the deadline
              Actor("Sở Tài chính", "support", start=sở, end=sở + 12))  # same start, inside the first
    deadlines = (Deadline("trước ngày 05/6", "2025-06-05", start=tr, end=tr + 15),
                 Deadline("05/6. Hạn chót", "2025-06-05", start=text.index("05/6"), end=text.index("Hạn") + 8),
                 Deadline("trước ngày 05/6", None, "monthly", start=tr, end=tr + 15))  # same words again
    ob = Obligation(0, sents[0].text, actors=actors, deadlines=deadlines)
    return Letter(text=text, metadata=Metadata(subject="thử"), sentences=sents, obligations=(ob,))


def test_overlapping_spans_are_cut_and_nest_properly():
    lt = _synthetic()
    page = to_html(lt)
    doc = parse(page)  # strict: every end tag closes the element it should
    div = _letter_text(doc)
    assert div.text() == lt.text
    actors, deadlines, sents = _pieces(div, "actor"), _pieces(div, "deadline"), _pieces(div, "sent")
    for (a, b, _), txt in {**actors, **deadlines, **sents}.items():
        assert txt == lt.text[a:b]
    assert len(actors) == 2 and len(deadlines) == 2 and len(sents) == 2
    # the repeated deadline is one mark carrying both its date and its recurrence
    (first,) = [n for n in div.find_all(cls="deadline") if n.attrs["data-start"] == str(lt.text.index("trước"))
                and "cont" not in n.classes]
    assert first.attrs["data-date"] == "2025-06-05" and first.attrs["data-recurrence"] == "monthly"
    # the deadline that runs into the next sentence was cut there: a part of it lives in each sentence
    crossing = [n for n in div.find_all(cls="deadline") if n.attrs["data-start"] == str(lt.text.index("05/6"))]
    owners = {next((p.attrs["data-index"] for p in n.ancestors() if "sent" in p.classes), None) for n in crossing}
    assert owners == {"0", None, "1"}  # sentence 0, the space between the sentences, sentence 1
    # only first parts carry an id
    assert all("id" not in n.attrs for n in div.iter() if "cont" in n.classes)


def test_nesting_check_catches_crossed_tags():
    with pytest.raises(NestingError):
        parse("<span><mark></span></mark>")


def test_offsets_index_the_callers_text_even_when_decomposed():
    nfd = unicodedata.normalize("NFD", LETTER)
    lt = vo.extract(nfd)
    div = _letter_text(parse(lt.to_html()))
    assert div.text() == nfd
    for (a, b, _), txt in _pieces(div, "actor").items():
        assert txt == nfd[a:b]


def test_a_corpus_letter_renders_every_explicit_actor():
    lt = vo.extract_file(REPO / "corpora" / "letters" / "seed-004.txt")
    div = _letter_text(parse(lt.to_html()))
    assert div.text() == lt.text
    want = Counter((lt.text[a.start:a.end], a.role) for ob in lt.obligations for a in ob.actors
                   if a.source == "explicit" and a.start is not None)
    got = Counter((txt, role) for (_, _, role), txt in _pieces(div, "actor").items())
    assert want and got == want


def test_cli_html_gives_one_page_with_a_section_per_letter(tmp_path):
    paths = [str(letter_path("tables_markdown_blank.txt")), str(tmp_path / "missing.txt"),
             str(letter_path("hard_wrap_page_break.txt"))]
    out = subprocess.run([sys.executable, "-m", "vn_obligations", "extract", "--format", "html", *paths],
                         capture_output=True, timeout=300)
    assert out.returncode == 1  # one input failed; the page still has the others
    page = out.stdout.decode("utf-8")
    assert page.count("<!DOCTYPE html>") == 1 and page.count("</html>") == 1
    doc = parse(page)
    sections = doc.find_all("section")
    assert [s.attrs["data-letter-source"] for s in sections] == paths
    assert "error" in sections[1].classes and "missing.txt" in sections[1].text()
    assert "missing.txt" in out.stderr.decode()
    for s, p in zip((sections[0], sections[2]), (paths[0], paths[2]), strict=True):
        lt = vo.extract_file(p)
        assert len(s.find_all("tr", cls="task")) == len(lt.obligations)
        assert s.find_all("div", cls="letter-text")[0].text() == lt.text
    ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "ids are unique across letters"


def test_html_document_of_several_letters_matches_to_html_sections(letter):
    both = html_document([letter, _synthetic()])
    doc = parse(both)
    assert [s.attrs["id"] for s in doc.find_all("section")] == ["L1", "L2"]
    assert doc.find_all("title")[0].text() == "vn_obligations: 2 letters"
