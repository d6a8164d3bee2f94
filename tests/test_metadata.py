"""The letter's frame (ANNOTATION.md section 5) read from the team's small letters."""
from __future__ import annotations

from conftest import letter_path

import vn_obligations as vo


def meta(name: str) -> vo.Letter:
    return vo.extract_file(letter_path(name))


def test_two_column_pdf_header():
    m = meta("hard_wrap_page_break.txt").metadata
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"
    assert m.number == "1207/UBND-NN"  # inner spaces removed
    assert (m.date, m.place, m.doc_type) == ("2024-03-14", "Quảng Trị", "Công văn")
    assert m.subject == "chủ động ứng phó với nắng nóng, hạn hán và xâm nhập mặn mùa khô 2024"
    assert (m.signer, m.signer_title, m.authority) == ("Hoàng Văn Tâm", "PHÓ CHỦ TỊCH", "KT.")


def test_department_under_a_province_takes_the_province_and_blank_number_keeps_its_symbol():
    m = meta("tables_markdown_blank.txt").metadata
    assert m.issuer == "Sở Y tế tỉnh Bắc Giang"
    assert m.number == "/KH-SYT"
    assert m.date is None  # the day is left blank
    assert m.doc_type == "Kế hoạch"
    assert m.subject == "Phòng, chống sốt xuất huyết năm 2023"
    assert (m.signer, m.authority) == ("Nguyễn Thị Hoa", None)  # the head signs in person


def test_crawled_header_on_few_lines():
    letter = meta("crawled_one_line.txt")
    m = letter.metadata
    assert (m.issuer, m.number, m.date) == ("Bộ Xây dựng", "845/BXD-KTXD", "2019-04-18")
    assert (m.signer, m.authority) == ("Lê Quang Hùng", "KT.")
    assert letter.recipients == ("Sở Xây dựng tỉnh Kiên Giang",)


def test_document_type_and_title_under_it():
    m = meta("furniture_in_sentence.txt").metadata
    assert (m.issuer, m.doc_type, m.number) == ("Thủ tướng Chính phủ", "Chỉ thị", "12/CT-TTg")
    assert m.subject == "Về tăng cường phòng cháy, chữa cháy rừng"
    assert (m.signer, m.signer_title, m.authority) == ("Trần Quốc Nam", "THỦ TƯỚNG", None)


def test_recipients_and_distribution_with_purposes():
    letter = meta("hard_wrap_page_break.txt")
    assert letter.recipients == ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài chính",
                                 "UBND các huyện, thị xã, thành phố")
    assert [(d.name, d.purpose) for d in letter.distribution] == [
        ("Như trên", None), ("CT, các PCT UBND tỉnh", "b/c"), ("Lưu: VT, NN", None)]


def test_office_of_a_province_and_unit_of_a_ministry():
    office = vo.extract("UBND TỈNH LÀO CAI\nVĂN PHÒNG\nSố: 12/VP-TH\nV/v họp\n\nKính gửi: Sở Y tế.\n\n"
                        "Đề nghị Sở Y tế dự họp.\n").metadata
    assert office.issuer == "Văn phòng Ủy ban nhân dân tỉnh Lào Cai"
    unit = vo.extract("BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\nSố: 5/HC-QLHC\nV/v báo cáo\n\nKính gửi: Sở Công Thương.\n\n"
                      "Đề nghị Sở Công Thương báo cáo.\n").metadata
    assert unit.issuer == "Cục Hóa chất"


def test_urgency_and_secrecy_marks():
    m = vo.extract("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nHỎA TỐC\nMẬT\nSố: 9/CĐ-UBND\nCÔNG ĐIỆN\n"
                   "Về ứng phó bão số 3\n\nChủ tịch UBND tỉnh yêu cầu các Sở khẩn trương triển khai.\n").metadata
    assert (m.urgency, m.secrecy, m.doc_type) == ("Hỏa tốc", "Mật", "Công điện")
