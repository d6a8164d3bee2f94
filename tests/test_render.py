"""The plain-text task table: one row per obligation under the letter's frame."""
from __future__ import annotations

from conftest import letter_path

import vn_obligations as vo

LETTER = letter_path("measles_ha_giang.txt").read_text("utf-8")


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
