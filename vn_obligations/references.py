"""Find the documents a letter cites: type, number, date, issuer, offsets."""
from __future__ import annotations

import re
from datetime import date as _date

from .letter import Reference
from .normalize import Text, normalize

_TYPES = ("Thông báo kết luận", "Thông báo", "Chỉ thị", "Nghị quyết liên tịch", "Nghị quyết", "Nghị định",
          "Quyết định", "Công văn", "Văn bản", "Thông tư liên tịch", "Thông tư", "Kế hoạch", "Tờ trình",
          "Báo cáo", "Công điện", "Pháp lệnh", "Hướng dẫn", "Kết luận", "Quy chế", "Quy định", "Chương trình",
          "Đề án", "Lệnh", "Hiến pháp")
_DATE_PART = (r"(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
              r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?")
_ISSUER_PART = (r"(?:\s+của\s+(?P<issuer>[^,;:.()\n“”\"]{3,90}?)"
                r"(?=\s+(?:về|quy\s+định|hướng\s+dẫn|ban\s+hành|phê\s+duyệt|tại|trong|đối\s+với|nhằm|để|và|"
                r"thông\s+báo|kết\s+luận|sửa\s+đổi|triển\s+khai|giao|yêu\s+cầu|v/v)\b|[,;:.()\n“”\"]|$))?")
REF_RE = re.compile(
    r"(?P<type>" + "|".join(_TYPES) + r")(?:\s+số)?\s*:?\s*"
    r"(?P<number>\d+[\w.]*(?:\s?[/\-]\s?[0-9A-Za-zĐđÀ-Ỹà-ỹ&.]+)*[/\-][0-9A-Za-zĐđÀ-Ỹ&]+)"
    + _DATE_PART + _ISSUER_PART)
LAW_RE = re.compile(
    r"(?P<type>Luật|Bộ luật)\s+(?P<name>(?:[A-ZĐÀ-Ỹ][^\s,;.()]*|và|[a-zà-ỹđ]+)(?:\s+(?:[^\s,;.()]+))*?)"
    r"\s+(?:(?:năm|số)\s+(?P<number>\d{4}|\d+/\d{4}/QH\d+)|ngày\s+(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))")


def _iso(text: str | None) -> str | None:
    if not text:
        return None
    nums = [int(x) for x in re.findall(r"\d+", text)]
    if len(nums) != 3:
        return None
    d, m, y = nums
    try:
        return _date(y, m, d).isoformat()
    except ValueError:
        return None


def find_references(text: str | Text) -> list[Reference]:
    """Every cited document, in text order, with offsets into the caller's text."""
    t = text if isinstance(text, Text) else normalize(text)
    s = t.nfc
    found: list[Reference] = []
    taken: list[tuple[int, int]] = []
    for rx in (REF_RE, LAW_RE):
        for m in rx.finditer(s):
            a, b = m.start(), m.end()
            if any(x < b and a < y for x, y in taken):
                continue
            issuer = m.groupdict().get("issuer")
            number = m.groupdict().get("number")
            if number:
                number = re.sub(r"\s+", "", number)
                if "/" not in number and "-" not in number:
                    number = None  # "Luật ... năm 2014": a year, not a number
            dtype = m.group("type")
            oa, ob = t.span(a, b)
            found.append(Reference(text=t.orig[oa:ob], start=oa, end=ob, doc_type=dtype, number=number,
                                   date=_iso(m.group("date")), issuer=issuer.strip() if issuer else None))
            taken.append((a, b))
    return sorted(found, key=lambda r: r.start)
