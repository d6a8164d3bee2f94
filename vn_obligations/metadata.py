"""Read the letter's frame: issuer, number, date, place, subject, type, signer.

The frame sits in the header, recipient, distribution and signature zones that
:mod:`vn_obligations.segment` found; this module only reads those lines.
"""
from __future__ import annotations

import re
from datetime import date as _date

from .letter import DistributionEntry, Metadata
from .lexicon import expand_abbreviations, proper_case
from .normalize import fold_tones
from .segment import DOC_TYPE_RE, Segment

_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+[Pp]húc|CỘNG\s+HÒA\s+XÃ\s+HỘI|CHỦ\s+NGHĨA\s+VIỆT\s+NAM",
    re.IGNORECASE)
_DATE = re.compile(
    r"(?P<place>[^\n,|]{0,60}?),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})",
    re.IGNORECASE)
_NUMBER = re.compile(r"(?<![/\w])S[ốo]\s*(?:hiệu)?\s*:?\s*(?P<n>(?:\d[\d\s.]*)?\s*[/-]\s*[\w.&Đđ]+(?:\s?[-/]\s?[\w.&Đđ]+)*)")
_VV = re.compile(r"^\W*(?:V/[vV]|v/v)\.?\s*:?\s*|^\W*Về\s+việc\s+", re.IGNORECASE)
_AUTH = re.compile(r"(?<![\w/])(KT|TM|TL|TUQ|Q|T/M|T/L|K/T)(?:\s*[./]\s*|\s+)(?=[A-ZÀ-ỸĐ]{2})")
_URGENCY = re.compile(r"\b(H[ỎO]A\s*T[ỐO]C|HOẢ\s*TỐC|Hỏa tốc|Hoả tốc|TH[ƯỢ]NG\s+KH[ẨA]N|Thượng khẩn|KH[ẨA]N|Khẩn)\b")
_SECRECY = re.compile(r"^\W*(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT|Tuyệt mật|Tối mật|Mật)\W*$")
_UNIT_KINDS = re.compile(
    r"^(?:SỞ|VĂN PHÒNG|CỤC|CHI CỤC|TỔNG CỤC|BAN|PHÒNG|TRUNG TÂM|VỤ|THANH TRA|ĐOÀN|BỆNH VIỆN|"
    r"TRƯỜNG|ĐÀI|BÁO|HỘI|CÔNG AN|BỘ CHỈ HUY|KHO BẠC|THUẾ|BẢO HIỂM|ỦY BAN KIỂM TRA|UỶ BAN KIỂM TRA|"
    r"BCĐ|BCH|BAN CHỈ ĐẠO|BAN QUẢN LÝ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|ĐẢNG ỦY|ĐẢNG UỶ|HUYỆN ỦY|HUYỆN UỶ|"
    r"THÀNH ỦY|THÀNH UỶ|QUẬN ỦY|QUẬN UỶ|THỊ ỦY|THỊ UỶ)\b")
_PARENT_UNIT = re.compile(
    r"^(?P<parent>(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ)\s+\S+\s+.*?"
    r"|QUÂN KHU\s+\d+|BỘ\s+\S+(?:\s+\S+){0,5}?)"
    r"\s+(?P<unit>(?:SỞ|VĂN PHÒNG|BAN QUẢN LÝ|BAN QLDA|BAN|CHI CỤC|CỤC|TỔNG CỤC|PHÒNG|TRUNG TÂM|THANH TRA|"
    r"BỘ CHỈ HUY|CÔNG AN|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\b.*)$")
_PLACE_START = re.compile(r"^(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|VIỆT NAM)\b")
_SIGN_WORDS = re.compile(r"\(?\s*(?:Đã ký|đã ký|Ký tên|ký tên|Đã ký và đóng dấu)[^)]*\)?")
_PURPOSE = re.compile(r"\((?:để\s+)?(b/c|báo cáo|t/h|thực hiện|p/h|phối hợp|biết|theo dõi|chỉ đạo|c/đ|"
                      r"để biết|để thực hiện|để báo cáo|để b/c|để phối hợp|để chỉ đạo|để t/h|để p/h|"
                      r"th/h|để theo dõi|đăng tải|đưa tin|[^)]{1,40})\)\s*[;.,]?\s*$", re.IGNORECASE)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", fold_tones(text).replace("*", " ").replace("#", " ")).strip()


def _cells(text: str) -> list[str]:
    """Split a two-column line into its cells (runs of 3+ spaces, tabs or ``|``)."""
    return [c.strip() for c in re.split(r"\s{3,}|\t+|\|", fold_tones(text).replace("*", "")) if c.strip()]


def parse_metadata(segments: list[Segment]) -> tuple[Metadata, list[str], list[DistributionEntry]]:
    """Metadata, recipients and distribution read from the frame zones."""
    header = [s for s in segments if s.zone == "header"]
    body_first = next((k for k, s in enumerate(segments) if s.zone == "body"), len(segments))
    early = segments[:body_first] if header else []
    issuer = _issuer(header)
    number = _number(early)
    place, iso = _place_date(early)
    subject = _subject(header, segments)
    doc_type = _doc_type(header, subject_from_vv=_has_vv(early), number=number)
    signer, title, authority = _signature(segments)
    urgency = secrecy = None
    for s in header[:12]:
        t = _plain(s.text)
        m = _URGENCY.search(t)
        if m and len(t) < 40:
            u = fold_tones(m.group(1)).lower()
            urgency = u[:1].upper() + u[1:]
        m = _SECRECY.match(t)
        if m:
            secrecy = m.group(1).capitalize()
    meta = Metadata(issuer, number, iso, place, subject, doc_type, signer, title, authority,
                    urgency, secrecy)
    return meta, _recipients(segments), _distribution(segments)


def _issuer(header: list[Segment]) -> str | None:
    lines: list[str] = []
    for s in header[:10]:
        raw = fold_tones(s.text).replace("*", "")
        raw = re.split(r"\bS[ốo]\s+\d+-", raw)[0]  # party numbers print without a colon: "Số 05-CT/ĐU"
        if re.search(r"\bS[ốo]\s*:|,\s*ngày|V/[vV]", raw) and lines:
            break
        cell = _MOTTO.split(raw)[0]
        cs = _cells(cell)
        cell = cs[0] if cs else ""
        for extra in cs[1:]:  # "ỦY BAN NHÂN DÂN      TỈNH LÀO CAI"
            if _PLACE_START.match(extra.upper()):
                cell += " " + extra
        cell = re.sub(r"[-_–—=]{2,}", " ", cell).strip(" |-")
        parts = _PARENT_UNIT.match(re.sub(r"\s+", " ", cell))
        if parts and not lines:  # a crawled header: parent and unit on one line
            lines += [parts.group("parent"), parts.group("unit")]
            break
        if not cell:
            if lines and _MOTTO.search(raw) and not _cells(_MOTTO.split(raw)[0]):
                continue
            continue
        if DOC_TYPE_RE.match(cell) or re.search(r"\bS[ốo]\s*:", cell) or not _upperish(cell):
            if lines:
                break
            continue
        if _URGENCY.fullmatch(cell.strip()) or _SECRECY.match(cell):
            continue
        lines.append(cell)
        if len(lines) >= 4:
            break
    if not lines:
        return None
    # a parent over a unit: "UBND TỈNH LÀO CAI / SỞ CÔNG THƯƠNG"
    groups: list[str] = []
    for ln in lines:
        ln = re.sub(r"\s+", " ", ln).strip()
        if groups and not _UNIT_KINDS.match(ln.upper()) or (groups and _PLACE_START.match(ln.upper())):
            groups[-1] += " " + ln
        else:
            groups.append(ln)
    names = [expand_abbreviations(proper_case(g)) for g in groups]
    if len(names) == 1:
        return proper_case(names[0])
    parent, unit = names[0], names[-1]
    place = re.search(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\s+(.+)$", parent, re.IGNORECASE)
    if re.match(r"^văn phòng$", unit, re.IGNORECASE):
        return proper_case(f"Văn phòng {parent}")
    if place and not re.search(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\b", unit, re.IGNORECASE):
        return proper_case(f"{unit} {place.group(1).lower()} {place.group(2)}")
    return proper_case(unit)


def _upperish(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _number(early: list[Segment]) -> str | None:
    for s in early:
        m = _NUMBER.search(s.text.replace("*", ""))
        if m:
            n = re.sub(r"\s+", "", m.group("n"))
            n = re.sub(r"V/v.*$", "", n)
            return n.rstrip(".,;") or None
    return None


def _place_date(early: list[Segment]) -> tuple[str | None, str | None]:
    text = " \n".join(fold_tones(s.text).replace("*", "") for s in early)
    for m in _DATE.finditer(text):
        if "Kèm theo" in text[max(0, m.start() - 30):m.start()]:
            continue
        before = m.group("place")
        place = _place_of(before)
        iso = None
        if m.group("d") and m.group("m"):
            try:
                iso = _date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            except ValueError:
                iso = None
        return place, iso
    return None, None


def _place_of(before: str) -> str | None:
    before = before.strip(" ,.-|")
    before = re.split(r"\s{3,}|\||\n|\t", before)[-1]
    m = re.search(r"((?:(?:Thành phố|thành phố|TP\.|Tp\.|TP|Thị xã|thị xã)\s*)?"
                  r"(?:[A-ZÀ-ỸĐ][\wÀ-ỹđĐ'’.]*\s?){1,5})$", before.strip())
    if not m:
        return None
    place = m.group(1).strip()
    place = re.sub(r"^(?:Số|[A-Z]{2,}[-/]\S*)\s+", "", place)
    words = place.split()
    while words and (re.search(r"\d|/", words[0]) or words[0].isupper() and len(words[0]) >= 2 and len(words) > 1):
        words.pop(0)
    return " ".join(words) or None


def _has_vv(early: list[Segment]) -> bool:
    return any(re.search(r"(?:^|\s)(?:V/[vV]|v/v)\b|^\W*Về việc", _plain(s.text)) for s in early)


def _subject(header: list[Segment], segments: list[Segment]) -> str | None:
    parts: list[str] = []
    for k, s in enumerate(header):
        t = _plain(s.text)
        m = re.search(r"(?:^|\s)(V/[vV]|v/v)\b", t)
        if m:
            first = t[m.start():]
            first = _cells(first)[0] if "|" in first else first
            parts = [_VV.sub("", first)]
            for nxt in header[k + 1:]:
                nt = _plain(nxt.text)
                if not nt or _MOTTO.search(nt) or _DATE.search(nt) or re.match(r"^(?:S[ốo]\s*:|K[íi]nh gửi)", nt):
                    break
                parts.append(nt)
                s = nxt
            break
    if not parts:
        for k, s in enumerate(header):
            if DOC_TYPE_RE.match(_plain(s.text)) and not _MOTTO.search(s.text):
                for nxt in header[k + 1:]:
                    nt = _plain(nxt.text)
                    if re.fullmatch(r"[-_–—=.*\s]+", nt) or not nt:
                        if parts:
                            break
                        continue
                    if _MOTTO.search(nt) or re.match(r"^S[ốo]\s*:", nt):
                        break
                    if parts and _upperish(nt) and not _upperish(parts[-1]):
                        break
                    if parts and re.match(r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|ỦY BAN|UỶ BAN|CHÍNH PHỦ|BAN THƯỜNG VỤ|GIÁM ĐỐC)", nt) \
                            and len(nt) < 50:
                        break
                    if nt.startswith("(") and parts:
                        break
                    parts.append(nt)
                break
    if not parts:
        return None
    subj = " ".join(p for p in parts if p)
    subj = _VV.sub("", subj)
    subj = re.sub(r"\s+", " ", subj).strip(" .;:-|")
    return subj or None


def _doc_type(header: list[Segment], subject_from_vv: bool, number: str | None) -> str | None:
    for s in header:
        t = _plain(s.text)
        for cell in [t] + _cells(t):
            m = DOC_TYPE_RE.match(cell)
            if m and not _MOTTO.search(cell):
                return m.group(1).capitalize()
    if subject_from_vv:
        return "Công văn"
    return None


def _signature(segments: list[Segment]) -> tuple[str | None, str | None, str | None]:
    """Signer, title and authority mark from the signature block."""
    cand: list[str] = []
    started = False
    for s in segments:
        if s.zone in ("signature", "distribution"):
            started = True
            cells = _cells(s.text)
            if s.zone == "distribution":
                cells = cells[1:] if len(cells) > 1 else []
            cand.extend(_plain(c) for c in cells)
        elif started and s.zone == "body" and cand:
            break
    cand = [c for c in cand if c and not _SIGN_WORDS.fullmatch(c)]
    name = title = auth = None
    name_idx = None
    for k in range(len(cand) - 1, -1, -1):
        c = _SIGN_WORDS.sub("", cand[k]).strip()
        n = _name_in(c)
        if n:
            name, name_idx = n, k
            break
    upto = cand[:name_idx + 1] if name_idx is not None else cand
    for c in reversed(upto):
        c2 = c.replace(name, "") if name else c
        if _upperish(c2) and re.search(r"[A-ZĐ]{2,}", c2):
            marks = list(_AUTH.finditer(c2))
            if marks:
                auth = marks[-1].group(1).replace("/", "") + "."  # T/M → TM.
                if title is None:
                    rest = c2[marks[-1].end():].strip()
                    title = _title_after(rest) or title
                break
            if title is None and not DOC_TYPE_RE.match(c2.strip()):
                title = c2.strip(" .")
    if name is None and not any(_AUTH.search(c) for c in cand):
        return None, title, None
    return name, title, auth


def _title_after(text: str) -> str | None:
    """In 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH' the signer's own title is the last one."""
    m = re.search(r"(PHÓ\s+[A-ZÀ-ỸĐ ]+|THỨ TRƯỞNG)$", text)
    return m.group(1).strip() if m else None


def _name_in(text: str) -> str | None:
    t = text.strip(" .,;")
    m = re.search(r"((?:[A-ZÀ-ỸĐ][a-zà-ỹđ]+\s+){1,4}[A-ZÀ-ỸĐ][a-zà-ỹđ]+)$", t)
    if not m:
        return None
    name = m.group(1)
    first = name.split()[0]
    if first in _NOT_SURNAME:
        return None
    return name


_NOT_SURNAME = {"Như", "Lưu", "Nơi", "Kính", "Văn", "Phòng", "Sở", "Bộ", "Ban", "Tỉnh", "Thành", "Ủy", "Uỷ",
                "Trung", "Công", "Cục", "Hội", "Đoàn", "Chi", "Đảng", "Nhân", "Chính", "Thủ", "Chủ", "Phó",
                "Giám", "Trưởng", "Thường", "Thanh", "Trân", "Ngày", "Tổng", "Các", "Cơ", "Đài", "Báo",
                "Trường", "Bệnh", "Kho", "Hà", "Lào", "Quảng", "Thuế", "Sau", "Đã"}


def _recipients(segments: list[Segment]) -> list[str]:
    """The ``Kính gửi`` list split into bodies."""
    entries: list[str] = []
    for s in segments:
        if s.zone != "recipients":
            continue
        t = _plain(s.text)
        t = re.sub(r"^K[íi]nh\s+g[ửu]i\s*:?\s*", "", t)
        t = _cells(t)[0] if "|" in t and _cells(t) else t
        if not t:
            continue
        pieces = [p for p in re.split(r"\s*;\s*|\s+-\s+(?=[A-ZÀ-ỸĐ])", t) if p.strip(" -.")]
        for p in pieces:
            p = p.strip()
            cont = not re.match(r"^[-+•–]", p) and entries and not entries[-1].endswith((";", ".")) \
                and not p.startswith("(") and p[:1].islower()
            p = re.sub(r"^[-+•–]\s*", "", p).strip()
            if not p:
                continue
            if p.startswith("(") and entries:
                continue  # an address line under the entry
            if cont:
                entries[-1] = entries[-1] + " " + p
            else:
                entries.append(p)
    return [e.strip(" ;.,") for e in entries if e.strip(" ;.,")]


def _distribution(segments: list[Segment]) -> list[DistributionEntry]:
    """The ``Nơi nhận`` list with the purpose of each entry."""
    out: list[DistributionEntry] = []
    for s in segments:
        if s.zone != "distribution":
            continue
        t = s.text.replace("*", "")
        cells = _cells(t)
        t = cells[0] if cells else ""
        t = re.sub(r"^\s*N[ơo]i\s+nh[ậa]n\s*:?\s*", "", t)
        for piece in re.split(r";\s*(?=-)|;\s*$|(?<=;)\s+|\s+-\s+(?=\S)", t):
            p = re.sub(r"^[-+•–]\s*", "", piece.strip()).strip(" ;.")
            if not p:
                continue
            m = _PURPOSE.search(p)
            purpose = None
            if m:
                purpose = m.group(1).strip()
                p = p[:m.start()].strip(" ,;")
            out.append(DistributionEntry(p, purpose))
    return out
