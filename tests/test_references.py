"""Cited documents: type, number, date, issuer and offsets."""
from __future__ import annotations

import vn_obligations as vo

TEXT = ("Thực hiện Thông báo số 364/TB-VPCP ngày 29/11/2022 của Văn phòng Chính phủ về Kết luận; "
        "Chỉ thị số 16/CT-TTg, Tờ trình 328/TTr-SYT ngày 12/12/2022, Nghị quyết 128/NQ-CP và "
        "Luật Hải quan năm 2014; Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy về tăng cường")


def test_every_cited_document_is_found_with_its_parts():
    refs = vo.find_references(TEXT)
    got = [(r.doc_type, r.number, r.date, r.issuer) for r in refs]
    assert got == [
        ("Thông báo", "364/TB-VPCP", "2022-11-29", "Văn phòng Chính phủ"),
        ("Chỉ thị", "16/CT-TTg", None, None),
        ("Tờ trình", "328/TTr-SYT", "2022-12-12", None),
        ("Nghị quyết", "128/NQ-CP", None, None),
        ("Luật", None, None, None),
        ("Chỉ thị", "11-CT/TU", "2026-01-04", "Ban Thường vụ Tỉnh ủy"),
    ]
    for r in refs:
        assert TEXT[r.start:r.end] == r.text
    assert refs[4].text == "Luật Hải quan năm 2014"


def test_dates_written_in_words_are_read():
    (r,) = vo.find_references("Căn cứ Nghị định số 39/2022/NĐ-CP ngày 18 tháng 6 năm 2022 của Chính phủ;")
    assert (r.number, r.date, r.issuer) == ("39/2022/NĐ-CP", "2022-06-18", "Chính phủ")
