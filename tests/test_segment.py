"""Segmentation of the layout hazards real letters carry (ANNOTATION.md section 1)."""
from __future__ import annotations

import unicodedata

from conftest import letter_path

import vn_obligations as vo


def texts(path_or_text) -> list[str]:
    text = path_or_text if isinstance(path_or_text, str) else vo.io.read_letter(path_or_text)
    return [s.text for s in vo.segment(text)]


def test_hard_wrapped_sentence_stays_one_segment():
    segs = texts(letter_path("hard_wrap_page_break.txt"))
    first = next(t for t in segs if t.startswith("Thực hiện Công điện"))
    assert first.endswith("Chủ tịch UBND tỉnh\nyêu cầu:")
    assert any(t.startswith("1. Sở Nông nghiệp") and t.endswith("phù hợp với nguồn nước.") for t in segs)
    assert "Báo cáo kết quả về UBND tỉnh trước ngày 25/3/2024." in segs


def test_page_number_inside_sentence_is_furniture_and_cuts_the_sentence():
    segs = vo.segment(vo.io.read_letter(letter_path("hard_wrap_page_break.txt")))
    k = next(i for i, s in enumerate(segs) if s.text == "2")
    assert segs[k].zone == "furniture"
    assert segs[k - 1].text.endswith("các xã ven biển")
    assert segs[k + 1].text == "thường xuyên bị ảnh hưởng bởi xâm nhập mặn."
    assert segs[k + 1].continued and not segs[k - 1].continued


def test_running_head_and_page_number_inside_sentence():
    segs = vo.segment(vo.io.read_letter(letter_path("furniture_in_sentence.txt")))
    zones = [(s.text, s.zone) for s in segs]
    assert ("CÔNG BÁO/Số 612/Ngày 20-05-2021", "furniture") in zones
    assert ("15", "furniture") in zones
    cont = next(s for s in segs if s.text.startswith("địa phương kiểm tra"))
    assert cont.continued and cont.zone == "body"


def test_header_lines_are_segments_and_two_column_lines_stay_whole():
    segs = texts(letter_path("hard_wrap_page_break.txt"))
    assert segs[0].startswith("ỦY BAN NHÂN DÂN") and segs[0].endswith("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert segs[3:6] == ["V/v chủ động ứng phó với", "nắng nóng, hạn hán và xâm", "nhập mặn mùa khô 2024"]
    assert segs[6:10] == ["Kính gửi:", "- Sở Nông nghiệp và Phát triển nông thôn;", "- Sở Tài chính;",
                          "- UBND các huyện, thị xã, thành phố."]
    assert any(t.startswith("Nơi nhận:") and t.endswith("KT. CHỦ TỊCH") for t in segs)


def test_crawled_one_line_page_is_cut_where_the_block_changes():
    segs = texts(letter_path("crawled_one_line.txt"))
    assert "Hà Nội, ngày 18 tháng 04 năm 2019" in segs
    assert "Kính gửi: Sở Xây dựng tỉnh Kiên Giang." in segs
    assert "BỘ XÂY DỰNG -------" in segs
    assert "Sau khi nghiên cứu, Bộ Xây dựng có ý kiến như sau:" in segs
    # the inline list marker belongs to the sentence it opens
    assert any(t.startswith("2. Đề nghị Sở Xây dựng") for t in segs)
    assert "2." not in segs


def test_tables_flattened_with_pipes_and_one_cell_per_line():
    segs = vo.segment(vo.io.read_letter(letter_path("tables_markdown_blank.txt")))
    rows = [s.text for s in segs if s.kind == "table_row"]
    assert "1 | Giám sát ca bệnh tại cộng đồng | Trung tâm Kiểm soát bệnh tật | UBND các huyện | Hằng tuần" in rows
    assert "STT\nNhiệm vụ\nCơ quan chủ trì\nThời gian" in rows
    assert "2\nBảo đảm thuốc, hóa chất\nTrung tâm Kiểm soát bệnh tật\nTrước ngày 30/6/2023" in rows


def test_markdown_marks_do_not_make_segments():
    segs = texts(letter_path("tables_markdown_blank.txt"))
    assert "**KẾ HOẠCH**" in segs
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in segs
    assert "**" not in segs


def test_markers_and_sections():
    text = ("Chủ tịch UBND tỉnh yêu cầu:\n\n1. Sở Y tế:\n\n- Rà soát thuốc. Báo cáo trước ngày 5/1/2023.\n\n"
            "a) Kiểm tra các cơ sở.\n\n2. Sở Tài chính bố trí kinh phí.\n")
    segs = vo.segment("Kính gửi: Sở Y tế.\n\n" + text)
    body = [s for s in segs if s.zone == "body"]
    assert [s.text for s in body] == ["Chủ tịch UBND tỉnh yêu cầu:", "1. Sở Y tế:", "- Rà soát thuốc.",
                                      "Báo cáo trước ngày 5/1/2023.", "a) Kiểm tra các cơ sở.",
                                      "2. Sở Tài chính bố trí kinh phí."]
    assert [s.marker for s in body] == [None, "1.", "-", None, "a)", "2."]
    assert body[4].section == "1.a"
    assert body[5].section == "2"


def test_dots_inside_numbers_dates_and_abbreviations_do_not_end_a_sentence():
    text = ("Kính gửi: Sở Y tế.\n\nThực hiện Thông báo số 364/TB-VPCP ngày 26.8.2020 của TP. Hồ Chí Minh, KT. Chủ tịch "
            "và các đơn vị v.v. liên quan. Đề nghị Sở Y tế thực hiện.\n")
    body = [s.text for s in vo.segment(text) if s.zone == "body"]
    assert body == [("Thực hiện Thông báo số 364/TB-VPCP ngày 26.8.2020 của TP. Hồ Chí Minh, KT. Chủ tịch "
                    "và các đơn vị v.v. liên quan."), "Đề nghị Sở Y tế thực hiện."]


def test_decomposed_unicode_offsets_index_the_callers_text():
    text = vo.io.read_letter(letter_path("hard_wrap_page_break.txt"))
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    segs_nfc = vo.segment(text)
    segs_nfd = vo.segment(nfd)
    assert len(segs_nfd) == len(segs_nfc)
    for a, b in zip(segs_nfc, segs_nfd, strict=False):
        assert nfd[b.start:b.end] == b.text
        assert unicodedata.normalize("NFC", b.text) == a.text


def test_segments_cover_all_text_in_order():
    for name in ("hard_wrap_page_break.txt", "crawled_one_line.txt", "tables_markdown_blank.txt",
                 "furniture_in_sentence.txt"):
        text = vo.io.read_letter(letter_path(name))
        segs = vo.segment(text)
        pos = 0
        for s in segs:
            assert s.start >= pos and text[s.start:s.end] == s.text
            assert text[pos:s.start].strip(" \t\n*#") == "", (name, text[pos:s.start])
            pos = s.end
        assert text[pos:].strip(" \t\n*#") == ""


def test_old_and_new_tone_placement_fold_to_one_matching_form():
    assert vo.matching_form("Uỷ ban nhân dân tỉnh Khánh Hoà") == vo.matching_form("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")
    assert vo.matching_form("KẾ HOẠCH") == "kế hoạch"  # not a final vowel pair: untouched


def test_tone_folding_rewrites_only_old_placements_and_keeps_length():
    from vn_obligations.normalize import fold_tones

    text = "hoà Hoà HOÀ uỷ Uỷ UỶ khoẻ thuỷ lợi | quà QUÀ hoàng hoạch oÀ uà"
    folded = fold_tones(text)
    assert folded == "hòa Hòa HÒA ủy Ủy ỦY khỏe thủy lợi | quà QUÀ hoàng hoạch oÀ uà"
    assert len(folded) == len(text)


WRAPPED_ENTRIES = """BỘ NỘI VỤ
Số: 812/BNV-VL
Kính gửi:
- Các Sở, ngành: Tài chính, Xây dựng, Công
an tỉnh, Ban Chỉ huy
Bộ đội Biên phòng tỉnh;
- Các doanh nghiệp sử dụng lao động
trên địa bàn tỉnh
(Sau đây gọi tắt là các đơn vị) Bộ Nội vụ đã có Công văn số 77/BNV-VL về khảo sát tiền lương.
Để bảo đảm tiến độ, đề nghị các đơn vị thực hiện như sau:
-
Rà soát danh sách doanh nghiệp trước ngày 20/5/2026.
-
Gửi phiếu khảo sát về Sở Lao động
- Thương binh và Xã hội trước ngày 30/5/2026.
"""


def test_wrapped_recipient_entries_stay_in_the_recipient_block():
    segs = vo.segment(WRAPPED_ENTRIES)
    zone = {s.text: s.zone for s in segs}
    assert zone["Bộ đội Biên phòng tỉnh;"] == "recipients"
    assert zone["trên địa bàn tỉnh"] == "recipients"
    assert zone["(Sau đây gọi tắt là các đơn vị)"] == "recipients"
    assert zone["Bộ Nội vụ đã có Công văn số 77/BNV-VL về khảo sát tiền lương."] == "body"


def test_bullet_alone_on_its_line_marks_the_next_line_and_names_survive_a_wrap_at_the_hyphen():
    segs = texts(WRAPPED_ENTRIES)
    assert "-\nRà soát danh sách doanh nghiệp trước ngày 20/5/2026." in segs
    assert "-\nGửi phiếu khảo sát về Sở Lao động\n- Thương binh và Xã hội trước ngày 30/5/2026." in segs
    assert segs[-3].endswith("như sau:")
