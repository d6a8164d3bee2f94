"""Deadlines and recurrences (ANNOTATION.md section 4): the phrase grammar and the plan layout."""
from __future__ import annotations

import pytest

from vn_obligations import extract
from vn_obligations.deadlines import assign_deadlines, find_deadlines, find_time_value
from vn_obligations.segment import segment

LETTER_DATE = "2022-08-20"

# (phrase, expected [(date, recurrence), ...]) — read as running text, letter dated 20/8/2022
PHRASES = [
    # days
    ("Báo cáo kết quả về UBND tỉnh trước ngày 02/01/2023.", [("2023-01-02", None)]),
    ("Gửi hồ sơ chậm nhất ngày 5/9/2022.", [("2022-09-05", None)]),
    ("Gửi văn bản về Sở trước 14 giờ ngày 29/8/2022.", [("2022-08-29", None)]),
    ("Hoàn thành trước 08 giờ 00 ngày 22/9/2022.", [("2022-09-22", None)]),
    ("Nộp báo cáo trước 16h30 ngày 25/8/2022 (thứ Năm).", [("2022-08-25", None)]),
    ("Báo cáo Sở Y tế **trước ngày 02/01/2023**.", [("2023-01-02", None)]),
    ("Tổng hợp, gửi về Văn phòng trước ngày\n10/10/2022.", [("2022-10-10", None)]),
    ("Hoàn thành trước ngày 01 tháng 7 năm \n2023.", [("2023-07-01", None)]),
    ("Kết thúc trước ngày 30 tháng 9 năm 2022.", [("2022-09-30", None)]),
    ("Trình UBND tỉnh chậm nhất là ngày 15.9.2022.", [("2022-09-15", None)]),
    ("Gửi báo cáo trước ngày 15-10-2022.", [("2022-10-15", None)]),
    ("Hạn chót là ngày 28/9/2022.", [("2022-09-28", None)]),
    ("Hoàn thành xong trước ngày 31/12/2022.", [("2022-12-31", None)]),
    ("Các xã gửi danh sách truoc ngày 15/12/2022.", [("2022-12-15", None)]),
    ("Hoàn thành trước ngày 29/02/2024.", [("2024-02-29", None)]),
    ("Báo cáo kết quả thực hiện về Sở Tài chính trước ngày 10 tháng 11 năm 2022.", [("2022-11-10", None)]),
    ("Nộp hồ sơ chậm nhất vào ngày 30/9/2022.", [("2022-09-30", None)]),
    # year-less days: the letter's year, or the next one when already past
    ("Các đơn vị gửi báo cáo trước 30/9.", [("2022-09-30", None)]),
    ("Hoàn thành việc rà soát trước ngày 15/3.", [("2023-03-15", None)]),
    ("Gửi Sở Tài chính trước ngày 20/8.", [("2022-08-20", None)]),
    # months, quarters, half-years, years: the last day of the period
    ("Hoàn thành trong tháng 12/2022.", [("2022-12-31", None)]),
    ("Tổ chức hội nghị sơ kết trong tháng 10 năm 2022.", [("2022-10-31", None)]),
    ("Triển khai xong trong tháng 02/2023.", [("2023-02-28", None)]),
    ("Tổ chức tập huấn trong tháng 9 và tháng 10/2022.", [("2022-10-31", None)]),
    ("Hoàn thành việc lắp đặt vào cuối tháng 11/2022.", [("2022-11-30", None)]),
    ("Tổ chức kiểm tra trong tháng 11.", [("2022-11-30", None)]),
    ("Hoàn thành trong quý III năm 2022.", [("2022-09-30", None)]),
    ("Ban hành quy chế trong quý IV/2022.", [("2022-12-31", None)]),
    ("Hoàn thành kết nối dữ liệu trong Quý I/2023.", [("2023-03-31", None)]),
    ("Tổ chức sơ kết vào quý 4/2022.", [("2022-12-31", None)]),
    ("Xây dựng phần mềm, hoàn thành trong quý II.", [("2023-06-30", None)]),
    ("Phấn đấu đến năm 2025 hoàn thành cứng hóa đường giao thông nông thôn.", [("2025-12-31", None)]),
    ("Hoàn thành trong năm 2023.", [("2023-12-31", None)]),
    ("Hoàn thành việc số hóa hồ sơ đến hết năm 2024.", [("2024-12-31", None)]),
    ("Hoàn thành trong 6 tháng đầu năm 2023.", [("2023-06-30", None)]),
    ("Giải ngân hết vốn được giao trong 6 tháng cuối năm 2022.", [("2022-12-31", None)]),
    ("Quyết toán dứt điểm các công trình trước cuối năm nay.", [("2022-12-31", None)]),
    # rhythms
    ("Cập nhật số liệu hàng ngày lên hệ thống.", [(None, "daily")]),
    ("Báo cáo tình hình hằng tuần về Sở.", [(None, "weekly")]),
    ("Gửi báo cáo nhanh vào thứ Sáu hàng tuần.", [(None, "weekly")]),
    ("Tổng hợp, báo cáo vào sáng thứ Hai hằng tuần.", [(None, "weekly")]),
    ("Định kỳ hàng tháng báo cáo UBND huyện.", [(None, "monthly")]),
    ("Tổ chức giao ban hằng quý để đánh giá tiến độ.", [(None, "quarterly")]),
    ("Tổ chức tổng kết, khen thưởng hằng năm.", [(None, "yearly")]),
    ("Báo cáo số ca mắc trước 16 giờ hằng ngày.", [(None, "daily")]),
    ("Kiểm tra bếp ăn tập thể ít nhất 01 lần mỗi tháng.", [(None, "monthly")]),
    ("Thực hiện vệ sinh môi trường vào tuần đầu của mỗi tháng.", [(None, "monthly")]),
    ("Cập nhật giá các mặt hàng thiết yếu hằng tuần trên Cổng thông tin.", [(None, "weekly")]),
    # dated rhythms: the first such date on or after the letter's date, plus the rhythm
    ("Báo cáo kết quả trước ngày 20 hàng tháng.", [("2022-08-20", "monthly")]),
    ("Nộp báo cáo trước ngày 10 hàng tháng.", [("2022-09-10", "monthly")]),
    ("Tổng hợp, báo cáo vào ngày 25 hằng tháng.", [("2022-08-25", "monthly")]),
    ("Gửi báo cáo hàng tháng vào ngày 05.", [("2022-09-05", "monthly")]),
    ("Báo cáo trước ngày 30/11 hằng năm.", [("2022-11-30", "yearly")]),
    ("Gửi Sở Nội vụ trước ngày 15 của tháng cuối quý.", [("2022-09-15", "quarterly")]),
    ("Định kỳ hằng tháng, báo cáo UBND tỉnh trước ngày 25 hằng tháng.", [("2022-08-25", "monthly")]),
    # a deadline next to a start date or a rhythm's period keeps only the deadline
    ("Thực hiện từ ngày 02/9/2022, hoàn thành trước ngày 25/9/2022.", [("2022-09-25", None)]),
    ("Báo cáo vào thứ Năm hằng tuần đến hết tháng 12/2022.", [(None, "weekly")]),
    ("Báo cáo trước ngày 25 hằng tháng, từ tháng 9/2022 đến hết mùa khô.", [("2022-08-25", "monthly")]),
    ("Rà soát trước ngày 15/9/2022; báo cáo kết quả trong tháng 10/2022.",
     [("2022-09-15", None), ("2022-10-31", None)]),
    ("Trình UBND tỉnh (Thời gian thực hiện: Quý IV/2022).", [("2022-12-31", None)]),
    ("Thủ trưởng các cơ quan chịu trách nhiệm hoà nhập số liệu trước ngày 10/9/2022.", [("2022-09-10", None)]),
]

# phrases that hold dates or rhythm words but state no deadline
NEGATIVES = [
    "Thực hiện Quyết định số 12/QĐ-UBND ngày 5/3/2022 của UBND tỉnh.",
    "Căn cứ Thông báo số 288/TB-VPCP ngày 26.8.2020 của Văn phòng Chính phủ.",
    "Kế hoạch có hiệu lực kể từ ngày 01/9/2022.",
    "Áp dụng từ ngày 15/9/2022.",
    "Tổ chức sơ tuyển từ ngày 01/11/2022 đến ngày 31/12/2022.",
    "Bảo đảm trật tự trong thời gian nghỉ lễ (từ ngày 02/9 đến hết ngày 04/9/2022).",
    "Triển khai Chiến lược phát triển nông nghiệp giai đoạn 2021-2025, tầm nhìn đến năm 2030.",
    "Xây dựng lộ trình đạt chuẩn đến năm 2025.",
    "Thực hiện nhiệm vụ thường xuyên, liên tục.",
    "Định kỳ báo cáo UBND tỉnh.",
    "Bố trí lực lượng trực 24/24 giờ trong mùa mưa bão.",
    "Bố trí đủ kinh phí trong dự toán ngân sách hàng năm.",
    "Xây dựng kế hoạch hằng năm của đơn vị.",
    "Chi trả trợ cấp hằng tháng đúng hạn cho đối tượng bảo trợ xã hội.",
    "Đảm bảo nhu cầu sinh hoạt hằng ngày của nhân dân.",
    "Thực hiện đúng thời gian nêu trên.",
    "Năm 2021, toàn tỉnh đã tiêm được 95% dân số.",
    "Ngày 19/6/2022, UBND tỉnh tổ chức cuộc họp.",
    "Tăng cường kiểm tra trong dịp cuối năm.",
    "Hoàn thành trong 2-3 ngày làm việc.",
    "Rà soát các xã có tỷ lệ tiêm chủng thấp trong năm 2021.",
    "Không để dồn hồ sơ thanh toán vào cuối năm.",
    "Báo cáo trước ngày 31/02/2023.",
    "Tính đến ngày 30/6/2022, toàn tỉnh có 12 xã đạt chuẩn.",
]


def _values(found):
    return [(d.date, d.recurrence) for d in found]


@pytest.mark.parametrize("phrase, expected", PHRASES)
def test_phrase(phrase, expected):
    assert _values(find_deadlines(phrase, LETTER_DATE)) == expected


@pytest.mark.parametrize("phrase", NEGATIVES)
def test_not_a_deadline(phrase):
    assert find_deadlines(phrase, LETTER_DATE) == []


def test_enough_phrases():
    assert len(PHRASES) + len(NEGATIVES) >= 60 and len(NEGATIVES) >= 10


def test_offsets_and_text():
    text = "Báo cáo **trước ngày 02/01/2023** về Sở."
    (d,) = find_deadlines(text, LETTER_DATE, offset=100)
    assert d.text == "trước ngày 02/01/2023"
    assert text[d.start - 100:d.end - 100] == d.text


def test_offsets_of_decomposed_text():
    import unicodedata

    text = unicodedata.normalize("NFD", "Hoàn thành trước ngày 05/9/2022.")
    (d,) = find_deadlines(text, LETTER_DATE)
    assert d.date == "2022-09-05"
    assert unicodedata.normalize("NFC", text[d.start:d.end]) == "Hoàn thành trước ngày 05/9/2022"


def test_no_letter_date_uses_year_in_text_else_keeps_text():
    (d,) = find_deadlines("Trong năm 2022, gửi báo cáo trước 30/6.")[-1:]
    assert d.date == "2022-06-30"
    (d,) = find_deadlines("Gửi báo cáo trước 30/6.")
    assert d.text == "trước 30/6" and d.date is None


@pytest.mark.parametrize("value, expected", [
    ("Quý II/2018.", [("2018-06-30", None)]),
    ("Năm 2021", [("2021-12-31", None)]),
    ("Tháng 8/2021", [("2021-08-31", None)]),
    ("Hằng tuần, báo cáo vào thứ Hai.", [(None, "weekly")]),
    ("Định kỳ hằng năm và đột xuất.", [(None, "yearly")]),
    ("từ ngày 02/01/2024, hoàn thành trước ngày 25/01/2024.", [("2024-01-25", None)]),
    ("Từ 01/02 đến 31/5/2015", []),
    ("Thường xuyên", []),
    ("Năm học 2025 - 2026, báo cáo kết quả trước ngày 15/12/2026.", [("2026-12-15", None)]),
])
def test_time_value(value, expected):
    assert _values(find_time_value(value, "2015-01-10")) == expected


# --------------------------------------------------------------------------- the plan layout
PLAN = """ỦY BAN NHÂN DÂN
HUYỆN AN LẠC
Số: 15/KH-UBND
An Lạc, ngày 10 tháng 3 năm 2023

KẾ HOẠCH
Phòng cháy, chữa cháy tại các chợ năm 2023

Căn cứ tình hình thực tế, UBND huyện ban hành kế hoạch như sau:

I. NHIỆM VỤ

1. Rà soát phương án chữa cháy tại các chợ.
- Kiểm tra hệ thống cấp nước chữa cháy tại chợ trung tâm.
- Cơ quan thực hiện: Công an huyện chủ trì, phối hợp với Ban quản lý chợ.
- Thời gian thực hiện: Quý II/2023.

2. Tuyên truyền kiến thức phòng cháy cho hộ kinh doanh.
- Thời gian thực hiện: Hằng tháng.
- Phát tờ rơi tại các chợ.

3. Tập huấn lực lượng dân phòng.
- Thời gian thực hiện: Thường xuyên.

II. TỔ CHỨC THỰC HIỆN

Các đơn vị báo cáo kết quả về UBND huyện trước ngày 15/12/2023.
"""

TABLE = """ỦY BAN NHÂN DÂN
HUYỆN AN LẠC
Số: 16/KH-UBND
An Lạc, ngày 12 tháng 3 năm 2023

KẾ HOẠCH
Kiểm tra an toàn thực phẩm năm 2023

Căn cứ tình hình thực tế, UBND huyện phân công nhiệm vụ như sau:

STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Kiểm tra bếp ăn tập thể | Phòng Y tế | UBND các xã | Trước 30/6
2 | Lấy mẫu rau tại chợ | Trung tâm Y tế | Ban quản lý chợ | Hằng quý
3 | Tổng kết công tác | Phòng Y tế | Các xã | Từ 01/4 đến 30/4/2023
"""


def _labels(segs):
    """Labels a test can trust: attribute lines, headings and the header are not requirements."""
    out = []
    for s in segs:
        t = s.text.lstrip("-*# ")
        is_req = (s.zone == "body" and not t.startswith(("Cơ quan", "Thời gian", "STT", "Căn cứ"))
                  and not t.isupper() and not t[:3].rstrip(". ").isupper())
        out.append("requirement" if is_req else "other")
    return out


def _by_text(letter):
    return {ob.text.strip(): [(d.date, d.recurrence) for d in ob.deadlines] for ob in letter.obligations}


def test_attribute_line_covers_task_title_and_items_after_it():
    segs = segment(PLAN)
    got = _by_text(extract(PLAN, labels=_labels(segs)))
    assert got["1. Rà soát phương án chữa cháy tại các chợ."] == [("2023-06-30", None)]
    assert got["- Kiểm tra hệ thống cấp nước chữa cháy tại chợ trung tâm."] == [("2023-06-30", None)]


def test_attribute_line_before_items_covers_them():
    segs = segment(PLAN)
    got = _by_text(extract(PLAN, labels=_labels(segs)))
    assert got["2. Tuyên truyền kiến thức phòng cháy cho hộ kinh doanh."] == [(None, "monthly")]
    assert got["- Phát tờ rơi tại các chợ."] == [(None, "monthly")]


def test_attribute_does_not_leak_into_other_tasks():
    segs = segment(PLAN)
    got = _by_text(extract(PLAN, labels=_labels(segs)))
    assert got["3. Tập huấn lực lượng dân phòng."] == []  # "Thường xuyên" is no deadline
    assert got["Các đơn vị báo cáo kết quả về UBND huyện trước ngày 15/12/2023."] == [("2023-12-15", None)]


def test_non_requirements_get_nothing():
    segs = segment(PLAN)
    labels = _labels(segs)
    due = assign_deadlines(segs, labels, "2023-03-10")
    for s, lab, d in zip(segs, labels, due, strict=True):
        if lab != "requirement":
            assert d == (), s.text


def test_task_rows_take_their_time_cell():
    segs = segment(TABLE)
    got = _by_text(extract(TABLE, labels=_labels(segs)))
    rows = {k.split("|")[1].strip(): v for k, v in got.items() if "|" in k}
    assert rows["Kiểm tra bếp ăn tập thể"] == [("2023-06-30", None)]
    assert rows["Lấy mẫu rau tại chợ"] == [(None, "quarterly")]
    assert rows["Tổng kết công tác"] == []  # a range says when, not by when


def test_blank_day_header_gives_the_reference_date():
    text = PLAN.replace("ngày 10 tháng 3", "ngày      tháng 3").replace(
        "trước ngày 15/12/2023", "trước ngày 20 hằng tháng")
    segs = segment(text)
    labels = _labels(segs)
    due = assign_deadlines(segs, labels, None)
    last = [d for s, d in zip(segs, due, strict=True) if "hằng tháng" in s.text][0]
    assert [(d.date, d.recurrence) for d in last] == [("2023-03-20", "monthly")]
