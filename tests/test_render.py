"""The plain-text task table: one row per obligation under the letter's frame."""
from __future__ import annotations

import vn_obligations as vo

LETTER = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 215/UBND-VX
V/v phòng chống dịch sởi

Hà Giang, ngày 04 tháng 3 năm 2025

Kính gửi:
- Sở Y tế;
- Sở Giáo dục và Đào tạo.

Thực hiện Công văn số 88/BYT-DP ngày 20/02/2025 của Bộ Y tế về phòng chống dịch sởi, Ủy ban nhân dân tỉnh yêu cầu:

1. Sở Y tế chủ trì, phối hợp với Sở Giáo dục và Đào tạo tổ chức tiêm bù vắc xin sởi cho trẻ em trong độ tuổi, báo cáo UBND tỉnh trước ngày 30/4/2025.

2. Sở Giáo dục và Đào tạo rà soát tình trạng tiêm chủng của học sinh, tổng hợp gửi về Sở Y tế định kỳ hằng tuần.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Văn Minh
"""


def test_table_has_one_row_per_obligation_with_who_what_when():
    letter = vo.extract(LETTER, source="hg.txt")
    out = letter.to_table()
    tasks = out.split("-- tasks")[1].split("-- sentences")[0]
    assert f"({len(letter.obligations)})" in tasks
    row1 = [ln for ln in tasks.splitlines() if ln.startswith("1 ")][0]
    assert "Sở Y tế" in row1 and "2025-04-30" in row1 and "UBND tỉnh" in row1
    # the action column drops the marker and the actor phrase that opens the sentence
    assert "Tổ chức tiêm bù" in row1
    assert "weekly" in tasks


def test_table_starts_with_the_frame():
    out = vo.extract(LETTER, source="hg.txt").to_table()
    head = out.split("-- tasks")[0]
    assert "215/UBND-VX" in head and "2025-03-04" in head and "Hoàng Văn Minh" in head
