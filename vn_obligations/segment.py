"""Cut a letter into segments per ANNOTATION.md section 1.

Off-the-shelf sentence splitters glue the header into one sentence and cut at
every hard wrap of PDF text.  Letters have a layout, so we read it: first the
*zone* of every line (header, recipients, body, distribution, signature,
furniture), then, in the body only, we rebuild paragraphs across hard wraps and
page breaks and split them into sentences.  In every other zone a line is a
segment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import Text, normalize

ZONES = ("header", "recipients", "body", "distribution", "signature", "furniture")

_UP = "A-ZÀ-ỸĐ"
_LOW = "a-zà-ỹđ"

# list markers at the start of a segment
MARKER_RE = re.compile(
    r"""(?:\*\*|\#+\s*|["“]\s*)*(?P<m>
        Điều\s+\d+[a-z]?\s*(?:[.:]|$|(?=\s+[A-ZÀ-ỸĐ]))
      | (?:Phần|PHẦN|Mục|MỤC|Chương|CHƯƠNG)\s+(?:[IVXLC]+|\d+)\s*[.:]?
      | [IVXLC]{1,6}\s*[.)/]
      | \d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]
      | \d{1,2}\.\d{1,2}(?:\.\d{1,2}){0,2}(?=\s)
      | \(\d{1,2}\)|\([a-zđ]\)|\([ivx]{1,4}\)
      | [a-zđ]\s*[).]
      | [a-zđ]/\.?
      | [a-zđ]\d?\s*\)
      | [-+•–—·▪◦*](?=\s|[A-ZÀ-ỸĐa-zà-ỹđ0-9"“(])
    )""", re.VERBOSE)

_FURNITURE_RES = [
    # page numbers: "2", "- 3 -", "Trang 2/5" (not "(2)": that is a list or column number)
    re.compile(r"^\s*(?:[-–—]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?\s*(?:[-–—]\s*)?$"),
    re.compile(r"^\s*CÔNG\s*BÁO\s*/.*$"),
    re.compile(r"^\s*[_\-–—=.*~]{3,}\s*$"),
    re.compile(r"^\s*(?:Ký bởi|Cơ quan|Ngày ký|Thời gian ký|Email|Người ký)\s*:.*$"),
    re.compile(r"^\s*\[(?:Nội dung|Văn bản|Đính chính)[^\]]*\]\s*$"),
    re.compile(r"^\s*\|\s*$"),
]
_SIGNED_STAMP = re.compile(r"^\s*Ký bởi\s*:", re.IGNORECASE)

_DOC_TYPES = ("CHỈ THỊ", "KẾ HOẠCH", "THÔNG BÁO", "QUYẾT ĐỊNH", "CÔNG ĐIỆN", "NGHỊ QUYẾT",
              "CÔNG VĂN", "HƯỚNG DẪN", "BÁO CÁO", "TỜ TRÌNH", "THÔNG TƯ", "NGHỊ ĐỊNH",
              "QUY CHẾ", "QUY ĐỊNH", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "PHƯƠNG ÁN", "PHỤ LỤC", "KẾT LUẬN")
DOC_TYPE_RE = re.compile(r"^\W*(" + "|".join(_DOC_TYPES) + r")\b(?:\s+(?:KHẨN|HỎA TỐC|HOẢ TỐC))?\W*$")

_BODY_START = re.compile(
    r"^\W*(?:Thực hiện|Căn cứ|Theo\b|Xét\b|Để\b|Trong\b|Ngày\s+\d|Nhằm\b|Sau khi|Hiện nay|Vừa qua|"
    r"Tiếp theo|Trên cơ sở|Triển khai|Thời gian qua|Những năm qua|Qua\b|Tiếp tục|Nhận được|"
    r"Năm\s+\d{4}|Từ đầu năm|Trước tình hình|Thời gian gần đây|Thi hành|Ủy ban nhân dân tỉnh nhận|"
    r"Thủ tướng Chính phủ|Chủ tịch|Bộ\s|Sở\s|UBND|Ủy ban|Uỷ ban|Ban Thường vụ|Thường trực|Văn phòng|"
    r"Tình hình|Kết quả|Nhân dịp|Hưởng ứng|Ngày\b)")
_KINH_GUI = re.compile(r"(?:\*\*|\#\#\s*)*\s*K[íi]nh\s+g[ửu]i\s*:?", re.IGNORECASE)
_NOI_NHAN = re.compile(r"(?:\*\*|\#\#\s*)*\s*N[ơo]i\s+nh[ậa]n\s*:?", re.IGNORECASE)
_AUTHORITY = re.compile(r"^\W*(?:(?:KT|TM|TL|TUQ|Q)\s*[./]|T/M\.?|T/L\.?|K/T\.?)\s*[" + _UP + r"]")
_TITLE_WORDS = re.compile(
    r"^\W*(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|"
    r"PHÓ CHÁNH VĂN PHÒNG|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|BÍ THƯ|TRƯỞNG BAN|TRƯỞNG PHÒNG|"
    r"CHÁNH THANH TRA|TRƯỞNG ĐOÀN|VỤ TRƯỞNG|TỔNG GIÁM ĐỐC|CHI CỤC TRƯỞNG|TRƯỞNG|PHÓ)\b")
_DATE_LINE = re.compile(r"[" + _UP + r"][^\n,]{1,40},\s*ngày\b[^\n]{0,40}năm\s*\d{0,4}", re.IGNORECASE)
_ABBREV_BEFORE_DOT = re.compile(
    r"(?:\b(?:TP|Tp|tp|TX|Tx|KT|TM|TL|TUQ|Q|P|Đ/c|đ/c|Th\.S|ThS|TS|PGS|GS|BS|CN|KS|Ths|St|Tr|tr|"
    r"v\.v|V/v|v/v|Ô|Bà|Ông|No|số|Số|Mr|Mrs|Dr|Th|T|X|H|Q|ĐT|Đ|đ|k|K|V|I|II|III|IV|V|VI|VII|VIII|IX|X)"
    r"|\b[" + _UP + r"])$")
_CONNECTOR_END = re.compile(
    r"(?:\b(?:và|của|các|số|với|theo|tại|ngày|về|cho|là|được|có|để|do|trong|từ|đến|những|một|"
    r"này|đối|tháng|năm|hoặc|như|bằng|thuộc|trên|dưới|khi|nếu|thì|mà|vào|ra|phải|đã|sẽ|đang|"
    r"không|tỉnh|thành|phố|huyện|xã|Sở|Bộ|Ban|UBND|Ủy|ban|nhân|dân)|[,\-–(/&]|\b\d+)\s*$")


@dataclass(frozen=True)
class Segment:
    """One segment: a header/recipient/signature line, or a body sentence.

    ``start``/``end`` index the caller's text.  ``marker`` is the list marker
    it opens with (``2.``, ``-``, ``a)``), ``section`` the numbering path of the
    enclosing items (``2.a``), ``heading`` whether it is a numbered line that
    ends in ``:`` or carries no sentence of its own, and ``continued`` whether
    it is the second piece of a sentence cut by page furniture.
    """

    start: int
    end: int
    text: str
    zone: str
    marker: str | None = None
    section: str | None = None
    kind: str = "sentence"  # line | sentence | table_row | furniture
    continued: bool = False
    depth: int = 0


@dataclass
class _Line:
    start: int   # content start (NFC offsets)
    end: int     # content end
    indent: int
    blank_before: int
    text: str
    zone: str = ""
    kind: str = "line"


# --------------------------------------------------------------------------- lines
def _lines(s: str) -> list[_Line]:
    out: list[_Line] = []
    pos, blank = 0, 0
    for raw in s.split("\n"):
        a, b = pos, pos + len(raw)
        pos = b + 1
        stripped = raw.strip(" \t\r\f\v\u00a0\u200b\ufeff\u3000")
        if not stripped or not stripped.strip("*#"):
            if stripped:  # a lone '**' line: keep it as part of nothing (markup)
                pass
            blank += 1
            continue
        lead = len(raw) - len(raw.lstrip(" \t\r\f\v\u00a0\u200b\ufeff\u3000"))
        ca = a + lead
        cb = ca + len(stripped)
        indent = len(raw[:lead].replace("\t", "    "))
        out.append(_Line(ca, cb, indent, blank, s[ca:cb]))
        blank = 0
    return out


def _split_line(line: _Line, points: list[int]) -> list[_Line]:
    pts = sorted(p for p in set(points) if 0 < p < len(line.text))
    if not pts:
        return [line]
    out, prev = [], 0
    for p in pts + [len(line.text)]:
        piece = line.text[prev:p]
        st = len(piece) - len(piece.lstrip())
        en = len(piece.rstrip())
        if en > st:
            out.append(_Line(line.start + prev + st, line.start + prev + en,
                             line.indent if prev == 0 else 0,
                             line.blank_before if prev == 0 else 0, piece[st:en]))
        prev = p
    return out


_CRAWL_CUTS = [
    # "... năm 2021 Kính gửi: ..."
    re.compile(r"(?<=\S)\s+(?=(?:\*\*)?K[íi]nh\s+g[ửu]i\s*:)"),
    # "... ./. Nơi nhận: ..."
    re.compile(r"(?<=\./\.)\s+(?=\S)"),
    re.compile(r"(?<=[.;])\s+(?=N[ơo]i\s+nh[ậa]n\s*:)"),
    # a crawled page's title sentence run into the issuer block: "... ban hành. BỘ Y TẾ -------"
    re.compile(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ]{2,}(?:\s+[A-ZĐÀ-Ỹ]+)*\s*[-_]{3,})"),
    # the recipients' short name run into the body: "(Sau đây viết tắt là BHXH các tỉnh) Bộ Y tế có ..."
    re.compile(r"^\(\s*[Ss]au\s+đây\s+(?:gọi|viết)\s+tắt\s+(?:là\s+)?[^()]{1,80}\)\s*(?=\S)"),
]
_RECIP_BODY_CUT = re.compile(
    r"(?<=[a-zà-ỹđ]{2}\.)\s+(?=[" + _UP + r"])|(?<=[\w);.])\s+(?=(?:Thực hiện|Căn cứ|Theo đề nghị|Xét đề nghị|Để\s|Nhằm\s|Trong thời gian|"
    r"Ngày\s+\d|Hiện nay|Vừa qua|Sau khi|Trên cơ sở|Tiếp theo)\b)")


def _crawl_split(lines: list[_Line]) -> list[_Line]:
    """Cut lines where a flattened page runs one block into the next."""
    out: list[_Line] = []
    for ln in lines:
        pts = []
        for rx in _CRAWL_CUTS:
            pts += [m.end() for m in rx.finditer(ln.text)]
        pieces = _split_line(ln, pts)
        final: list[_Line] = []
        for p in pieces:
            if _KINH_GUI.match(p.text):
                m = _RECIP_BODY_CUT.search(p.text)
                if m:
                    final += _split_line(p, [m.end()])
                    continue
            final.append(p)
        out += final
    return out


# --------------------------------------------------------------------------- zones
def is_furniture(text: str) -> bool:
    return any(rx.match(text) for rx in _FURNITURE_RES)


def _plain(text: str) -> str:
    return text.replace("*", "").replace("#", "").strip()


def _is_upper_line(text: str) -> bool:
    letters = list(filter(str.isalpha, _plain(text)))  # C-level loops: this runs on every line
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _looks_signature(text: str) -> bool:
    t = _plain(text)
    if _AUTHORITY.match(t) or (_TITLE_WORDS.match(t) and _is_upper_line(t)):
        return True
    return bool(re.fullmatch(r"\(?\s*(?:Đã ký|đã ký|Đã ký và đóng dấu|Ký tên, đóng dấu)\s*\)?", t))


def _looks_name(text: str) -> bool:
    t = _plain(text)
    words = t.split()
    return (2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)
            and not any(ch.isdigit() for ch in t) and not t.endswith((":", ";", ".")) and
            not _is_upper_line(t))


def _header_like(text: str) -> bool:
    t = _plain(text)
    return bool(
        _is_upper_line(t) or t.startswith(("Số:", "Số :", "Số", "V/v", "V/V", "v/v", "Về việc"))
        or _DATE_LINE.search(t) or "Độc lập" in t or "Hạnh phúc" in t or DOC_TYPE_RE.match(t)
    )


def _assign_zones(lines: list[_Line]) -> None:
    """Label each line with its zone, walking the letter's frame in order."""
    len(lines)
    for ln in lines:
        if is_furniture(ln.text):
            ln.zone, ln.kind = "furniture", "furniture"
    body_start = _find_body_start(lines)
    zone = "header"
    seen_body = False
    last_zone_line = None
    for i, ln in enumerate(lines):
        if ln.zone == "furniture":
            continue
        t = _plain(ln.text)
        if _KINH_GUI.match(ln.text):
            zone, _recipients_open = "recipients", True
            ln.zone = zone
            last_zone_line = ln
            continue
        if _NOI_NHAN.match(ln.text) and (seen_body or zone != "header"):
            zone = "distribution"
            ln.zone = zone
            last_zone_line = ln
            continue
        if zone == "header":
            if i >= body_start:
                zone = "body"
                seen_body = True
        elif zone == "recipients":
            if not _recipient_entry(last_zone_line.text if last_zone_line else "", ln):
                zone = "body"
                seen_body = True
        elif zone == "body":
            if _looks_signature(ln.text) and _signature_follows(lines, i):
                zone = "signature"
        elif zone == "distribution":
            if re.match(r"^[-+•]\s", t) or _plain(last_zone_line.text).endswith(","):
                pass
            elif _looks_signature(ln.text) or (_looks_name(ln.text) and not t.startswith("-")):
                zone = "signature"
        elif zone == "signature":
            prev_zone = last_zone_line.zone if last_zone_line else ""
            came_from_dist = any(x.zone == "distribution" for x in lines[max(0, i - 6):i])
            if _NOI_NHAN.match(ln.text) or came_from_dist and (re.match(r"^[-+•]\s", t) or (
                    prev_zone == "distribution" and _plain(last_zone_line.text).endswith(","))):
                zone = "distribution"
            elif _annex_starts(ln.text):
                zone = "body"
        ln.zone = zone
        last_zone_line = ln


def _recipient_entry(prev: str, ln: _Line) -> bool:
    """Is *ln* still an entry of the ``Kính gửi`` block that *prev* belongs to?"""
    t = _plain(ln.text)
    pv = _plain(prev)
    bullet = bool(re.match(r"^[-+•–*]\s*", t))
    if bullet:
        return True
    if t.startswith("(") and len(t) < 160:
        return True  # an address or a note under the entry
    bare = _KINH_GUI.fullmatch(prev.strip()) is not None
    if bare:
        return len(t) < 160 and not _BODY_START.match(t) or len(t) < 70
    if pv.endswith("."):
        return False
    if not re.search(r"[.;:,!?]$", pv) and len(t) < 100 and (t[:1].islower() or t.endswith((";", ","))):
        return True  # an entry wrapped over lines: "... Ban Chỉ huy" / "Bộ đội Biên phòng tỉnh;"
    if _KINH_GUI.match(prev) and not pv.endswith((",", ";")):
        return False  # "Kính gửi: X" held its entry; what follows is the body
    return len(t) < 100 and not ln.blank_before and not _BODY_START.match(t) or (
        pv.endswith((",", ";")) and len(t) < 100 and not _BODY_START.match(t))


def _signature_follows(lines: list[_Line], i: int) -> bool:
    """A title line ends the body only if the rest looks like a signature block."""
    rest = [ln for ln in lines[i:i + 6] if ln.zone != "furniture"]
    long_lines = [ln for ln in rest[1:4] if len(ln.text) > 80 and not _NOI_NHAN.match(ln.text)]
    return not long_lines


def _annex_starts(text: str) -> bool:
    t = _plain(text)
    return bool(re.match(r"^(?:PHỤ LỤC|Phụ lục|KẾ HOẠCH|QUY CHẾ|QUY ĐỊNH|DANH MỤC|DANH SÁCH|BIỂU|Biểu|MẪU)\b", t)) \
        or len(t) > 120


def _title_block(lines: list[_Line], i: int) -> int:
    """Index of the last line of the title under a document-type line at *i*."""
    j = i + 1
    while j < len(lines) and lines[j].zone == "furniture":
        j += 1
    if j >= len(lines) or _KINH_GUI.match(lines[j].text) or len(lines[j].text) > 400:
        return i
    end = j
    k = j + 1
    upper_title = _is_upper_line(lines[j].text)
    while k < len(lines) and k <= j + 5 and not lines[k].blank_before and lines[k].zone != "furniture" \
            and not _KINH_GUI.match(lines[k].text) and len(lines[k].text) < 200:
        t = _plain(lines[k].text)
        if not (t[:1].islower() or t.startswith("(") or upper_title and _is_upper_line(t)):
            break
        end = k
        k += 1
        if t.startswith("("):
            break
    return end


def _find_body_start(lines: list[_Line]) -> int:
    """Index of the first body line (recipient block aside)."""
    seen_type = False
    seen_subject = False
    title_until = -1
    for i, ln in enumerate(lines):
        if ln.zone == "furniture":
            continue
        t = _plain(ln.text)
        if _KINH_GUI.match(ln.text) or _NOI_NHAN.match(ln.text):
            return len(lines) if _KINH_GUI.match(ln.text) else i
        if DOC_TYPE_RE.match(t):
            seen_type = True
            title_until = _title_block(lines, i)
            continue
        if i <= title_until:
            continue
        if t.startswith(("V/v", "V/V", "v/v")):
            seen_subject = True
            continue
        if i == 0:
            continue
        if MARKER_RE.match(t) and (seen_type or seen_subject or i > 3) and not t.startswith("-"):
            return i
        if _BODY_START.match(t) and not _is_upper_line(t) and (seen_type or seen_subject or i > 4):
            if not _header_like(t) or len(t) > 60:
                return i
        if len(t) > 110 and not _is_upper_line(t) and not t.startswith(("Số", "V/v")) and "|" not in t:
            return i
    return len(lines)


# --------------------------------------------------------------------------- body
_BARE_BULLET = re.compile(r"[-+•–]")
# compound names whose hyphen can start a wrapped line: "Lao động - Thương binh và Xã hội"
_NAME_HALF = re.compile(r"(?:Lao động|Văn h[oó]a|Kinh tế|Khoa học|Chính trị)$")
_NAME_WRAP = re.compile(r"^[-–]\s*(?:Thương binh|Xã hội|Thể thao|Thông tin|Kỹ thuật|Công nghệ|Hành chính|Du lịch)\b")


def _starts_new(prev: _Line, ln: _Line, width: int, gap_furniture: bool) -> bool:
    """Does body line *ln* start a new segment after *prev*?"""
    pt = prev.text.rstrip("* ")
    t = ln.text.lstrip("*# ")
    if not t:
        return False
    if _BARE_BULLET.fullmatch(pt.lstrip("*# ")):
        return False  # a bullet alone on its line marks the next line
    if _BARE_BULLET.fullmatch(t):
        return True
    if _NAME_WRAP.match(t) and _NAME_HALF.search(pt):
        return False  # "... gửi về Bộ Lao động" / "- Thương binh và Xã hội": one name
    first = t[0]
    upper = first.isupper() or first.isdigit() or first in "\"“'(["
    if "|" in ln.text.strip("| ") and ln.text.count("|") >= 2 or "|" in prev.text and prev.text.count("|") >= 2:
        return True
    if _is_upper_line(prev.text) and len(_plain(prev.text)) > 3 or _is_upper_line(ln.text) and len(t) > 12:
        return True
    marker = MARKER_RE.match(ln.text)
    if re.match(r"^[-–]\s", t) and not re.search(r"[.;:!?]$", pt) \
            and len(prev.text) + prev.indent >= 0.72 * width \
            and not (MARKER_RE.match(prev.text) and re.match(r"^[-–]\s+[" + _UP + "]", t)):
        return False  # "... giai đoạn 2021" / "- 2025": a hyphen wrapped to the line start
    if marker and not re.fullmatch(r"\d{1,2}[.)]?", ln.text.strip()) or re.match(r"^[-+•]\s", t):
        if not _CONNECTOR_END.search(pt) or re.match(r"^(?:[-+•]\s|[IVX]+\.|\d+\.\s|[a-zđ]\)\s)", t):
            return True
    if re.fullmatch(r"\d{1,2}[.)]?", ln.text.strip()):
        return True
    terminal = re.search(r"(?:\./\.|[.!?;:…])[\"”)]*$", pt)
    if terminal:
        if re.search(r"\.\.\.$|…$", pt):
            return upper
        if pt.endswith(".") and _ABBREV_BEFORE_DOT.search(pt[:-1]):
            return False
        if not upper:
            return False
        return not (pt.endswith(":") and len(prev.text) + prev.indent >= 0.85 * width and not ln.blank_before and ln.indent <= prev.indent + 2)
    if first.islower():
        return False
    if pt.endswith(",") and ln.blank_before and not gap_furniture:
        return True
    if MARKER_RE.match(prev.text) and upper and not gap_furniture and not pt[-1:].isdigit() \
            and len(prev.text) + prev.indent < 0.6 * width:
        return True  # "11. Bộ Chỉ huy Quân sự tỉnh" / "Chỉ đạo ...": a short heading line was not wrapped
    if _CONNECTOR_END.search(pt):
        return False
    if ln.blank_before and not gap_furniture:
        return True
    full = len(prev.text) + prev.indent >= 0.72 * width
    if gap_furniture:
        return not full and upper
    if not full and upper:
        return True
    return bool(ln.indent > prev.indent + 2 and upper and width > 0)


_SENT_END = re.compile(r"(?:\./\.|\.{3}|…|[.!?])[\"”’)*]*(?=\s)")


def _split_sentences(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split s[a:b] (one paragraph) into sentence spans."""
    spans, st = [], a
    para = s[a:b]
    lead = MARKER_RE.match(para)
    skip_to = a
    if lead:
        skip_to = a + lead.end()
        while skip_to < b and s[skip_to] in "*# \t":
            skip_to += 1
    cuts = [a + m.start(1) for m in _INLINE_ITEM.finditer(para)]
    for m in _SENT_END.finditer(para):
        end = a + m.end()
        if end <= skip_to or (end - st) <= 0:
            continue
        if MARKER_RE.fullmatch(s[st:end].strip(" *#")):
            continue  # "2." of an inline list is the start of the next sentence, not one
        if any(st < c <= a + m.start() for c in cuts):
            continue
        k = end
        while k < b and s[k] in " \t\r\n\u00a0*#":
            k += 1
        if k >= b:
            break
        nxt = s[k]
        punct = m.group(0)
        before = s[st:a + m.start()]
        if punct.startswith(".") and not punct.startswith(("./.", "...")):
            if _ABBREV_BEFORE_DOT.search(before) or re.search(r"\d$", before) and re.match(r"\d", nxt):
                continue
            if re.search(r"\b(?:Điều|Khoản|khoản|điều|Mục|mục|Phần|Chương)\s+\d+$", before):
                continue
        if not (nxt.isupper() or nxt.isdigit() or nxt in "\"“'([-+•"):
            continue
        if punct.startswith(("...", "…")) and not nxt.isupper():
            continue
        # keep an inline list marker with the sentence it introduces
        spans.append((st, end))
        st = k
    spans.append((st, b))
    # numbered sub-items run into the line (``... hải quan 2.1. Điều kiện``)
    out = []
    for x, y in spans:
        inner = [c for c in cuts if x < c < y]
        for c in inner:
            out.append((x, c))
            x = c
        out.append((x, y))
    return out


_INLINE_ITEM = re.compile(r"(?<=[^\s\d.])\s+(\d{1,2}\.\d{1,2}\.(?:\d{1,2}\.)?)\s+(?=[" + _UP + r"])")


def _trailing_marker(s: str, a: int, b: int) -> int:
    """If s[a:b] ends with a list marker pushed there by a flattening, its start."""
    m = re.search(r"(?:(?<=[.:;])|(?<=[.:;]\*\*))\s+((?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVX]{1,4}\.|-))\s*$", s[a:b])
    return a + m.start(1) if m else b


_TABLE_HEAD = re.compile(r"(?:S[ốố]\s*)?S?TT|Số thứ tự", re.IGNORECASE)
_BARE_NUM = re.compile(r"\d{1,3}\s*\.?|[IVX]{1,5}\s*\.?")


def _cell_table(lines: list[_Line], i: int) -> tuple[list, int]:
    """A table flattened one cell per line: one segment per row.

    Rows start after a blank line or at a bare row number; the header row is
    everything up to the first row start.
    """
    rows: list[tuple] = []
    cur = [lines[i]]
    j = i + 1
    while j < len(lines):
        ln = lines[j]
        t = _plain(ln.text)
        if ln.zone == "furniture" and not re.fullmatch(r"\(?\d{1,3}\)?", t):
            if cur:
                rows.append((cur[0].start, cur[-1].end, "body", "table_row", False))
            rows.append((ln.start, ln.end, "furniture", "furniture", False))
            cur = []
            j += 1
            continue
        # a long line is running text, unless it is the task cell right after a row number
        in_task_cell = bool(cur) and len(cur) <= 2 and bool(_BARE_NUM.fullmatch(_plain(cur[0].text)))
        if (_NOI_NHAN.match(ln.text) or _KINH_GUI.match(ln.text) or _looks_signature(ln.text)
                or re.match(r"^(?:[IVX]+\.|Điều\s+\d|PHỤ LỤC)", t) or len(t) > 300 and not in_task_cell):
            break
        only_num = len(cur) == 1 and _BARE_NUM.fullmatch(_plain(cur[0].text))
        if cur and not only_num and (ln.blank_before or _BARE_NUM.fullmatch(t)):
            rows.append((cur[0].start, cur[-1].end, "body", "table_row", False))
            cur = []
        cur.append(ln)
        j += 1
    if cur:
        rows.append((cur[0].start, cur[-1].end, "body", "table_row", False))
    return rows, j


# --------------------------------------------------------------------------- main
def segment(text: str | Text) -> list[Segment]:
    """Segments of *text* in order, covering every non-blank character.

    Offsets index the caller's string (also when it is decomposed Unicode).
    """
    t = text if isinstance(text, Text) else normalize(text)
    s = t.nfc
    lines = _crawl_split(_lines(s))
    if not lines:
        return []
    _assign_zones(lines)
    for k, ln in enumerate(lines):  # a task table after the signature is an annex: body
        if ln.zone == "signature" and _TABLE_HEAD.fullmatch(_plain(ln.text)):
            for rest in lines[k:]:
                if rest.zone == "signature":
                    rest.zone = "body"
            break
    body_lens = sorted(len(ln.text) + ln.indent for ln in lines
                       if ln.zone == "body" and len(ln.text) >= 40 and "|" not in ln.text)
    width = body_lens[int(0.6 * (len(body_lens) - 1))] if body_lens else 80

    raw: list[tuple[int, int, str, str, bool]] = []  # start, end, zone, kind, continued
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        if ln.zone != "body":
            raw.append((ln.start, ln.end, ln.zone, ln.kind, False))
            i += 1
            continue
        if "|" in ln.text and ln.text.count("|") >= 2:
            raw.append((ln.start, ln.end, "body", "table_row", False))
            i += 1
            continue
        if _TABLE_HEAD.fullmatch(_plain(ln.text)):
            rows, i = _cell_table(lines, i)
            raw += rows
            continue
        # gather one paragraph (possibly interrupted by furniture)
        cur_start, cur_end = ln.start, ln.end
        prev = ln
        j = i + 1
        pending_furn: list[_Line] = []
        para_chunks: list[tuple[int, int, list[_Line]]] = []
        while j < n:
            nx = lines[j]
            if nx.zone == "furniture":
                pending_furn.append(nx)
                j += 1
                continue
            if nx.zone != "body" or ("|" in nx.text and nx.text.count("|") >= 2):
                break
            if _starts_new(prev, nx, width, bool(pending_furn)):
                break
            if pending_furn:
                para_chunks.append((cur_start, cur_end, pending_furn))
                pending_furn = []
                cur_start = nx.start
            cur_end = nx.end
            prev = nx
            j += 1
        para_chunks.append((cur_start, cur_end, []))
        first = True
        for (ca, cb, furn) in para_chunks:
            for k, (sa, sb) in enumerate(_split_sentences(s, ca, cb)):
                raw.append((sa, sb, "body", "sentence", not first and k == 0))
            first = False
            for f in furn:
                raw.append((f.start, f.end, "furniture", "furniture", False))
        for f in pending_furn:
            raw.append((f.start, f.end, "furniture", "furniture", False))
        i = j

    # move list markers stranded at the end of a segment to the next one
    fixed: list[list] = [list(r) for r in raw]
    for k in range(len(fixed) - 1):
        a, b = fixed[k][0], fixed[k][1]
        if fixed[k][2] == "body" and fixed[k + 1][2] == "body":
            mk = _trailing_marker(s, a, b)
            if mk < b:
                fixed[k][1] = len(s[a:mk].rstrip()) + a
                fixed[k + 1][0] = mk
    return _finish(t, fixed)


def _finish(t: Text, raw: list[list]) -> list[Segment]:
    s = t.nfc
    out: list[Segment] = []
    path: list[tuple[str, str]] = []  # (marker class, marker)
    for a, b, zone, kind, cont in raw:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        if b <= a:
            continue
        seg_text = s[a:b]
        marker = None
        section = None
        depth = 0
        if zone == "body" and kind != "table_row" and not cont:
            m = MARKER_RE.match(seg_text)
            if m:
                marker = m.group("m").strip()
                path = _push(path, marker)
            section = ".".join(_label(mk) for _, mk in path if _label(mk)) or None
            depth = len(path)
        oa, ob = t.span(a, b)
        out.append(Segment(oa, ob, t.orig[oa:ob], zone, marker, section, kind, cont, depth))
    return out


@lru_cache(maxsize=4096)
def marker_class(marker: str) -> str:
    """The kind of a list marker (roman, num1, num2, alpha, dash, ...): what nests in what.

    Cached: the same few markers (``1.``, ``-``, ``a)``) come back in every letter.
    """
    if re.match(r"^(?:Phần|PHẦN|Chương|CHƯƠNG)", marker):
        return "part"
    if re.match(r"^(?:Mục|MỤC)", marker):
        return "mục"
    if marker.startswith("Điều"):
        return "article"
    if re.match(r"^[IVXLC]+\s*[.)/]", marker):
        return "roman"
    if re.match(r"^\d+(?:\.\d+)+", marker):
        return "num" + str(marker.count(".") + (0 if marker.endswith(".") else 1))
    if re.match(r"^\d+\s*[.)]", marker):
        return "num1"
    if re.match(r"^\(\d+\)", marker):
        return "paren_num"
    if re.match(r"^\(?[a-zđ]\d?\s*[.)]", marker):
        return "alpha"
    if marker in ("+",):
        return "plus"
    return "dash"


_RANK = {"part": 0, "mục": 1, "article": 2, "roman": 2, "num1": 3, "num2": 4, "num3": 5, "num4": 6,
         "alpha": 7, "paren_num": 8, "dash": 9, "plus": 10}


def marker_rank(marker: str) -> int:
    """Nesting level of a marker's kind: smaller encloses larger (I. > 1. > a) > -)."""
    return _RANK.get(marker_class(marker), 9)


def _push(path: list[tuple[str, str]], marker: str) -> list[tuple[str, str]]:
    cls = marker_class(marker)
    rank = marker_rank(marker)
    kept = [p for p in path if _RANK.get(p[0], 9) < rank and p[0] != cls]
    return kept + [(cls, marker)]


def _label(marker: str) -> str:
    m = re.search(r"(\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])", marker)
    if m and "." in m.group(1):
        return m.group(1).rsplit(".", 1)[1]
    if not m or marker in ("-", "+", "•", "–", "—", "*"):
        return ""
    return m.group(1)
