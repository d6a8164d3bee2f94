"""Actor/role rules (ANNOTATION.md section 3): one sentence at a time, then inheritance."""
from __future__ import annotations

import pytest

from vn_obligations import extract
from vn_obligations.letter import Metadata
from vn_obligations.roles import assign_roles
from vn_obligations.segment import MARKER_RE, Segment, segment
from vn_obligations.tokenize import tokenize

META = Metadata(issuer="Ủy ban nhân dân tỉnh Bình Phước")
L, S = "lead", "support"

# (sentence, [(name, role), ...], report_to)
CASES = [
    # guideline examples
    ("Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát danh mục thuốc.",
     [("Sở Y tế", L), ("Sở Tài chính", S)], []),
    ("Đề nghị Sở Giáo dục và Đào tạo khẩn trương triển khai kế hoạch tiêm chủng.",
     [("Sở Giáo dục và Đào tạo", L)], []),
    ("Yêu cầu các địa phương có tỉ lệ tiêm thấp nghiêm túc rà soát nguyên nhân.",
     [("các địa phương có tỉ lệ tiêm thấp", L)], []),
    ("Sở Y tế chỉ đạo, hướng dẫn các cơ sở y tế bảo đảm đủ thuốc.", [("Sở Y tế", L)], []),
    ("Sở Y tế, Sở Tài chính, Sở Kế hoạch và Đầu tư và các cơ quan, đơn vị, địa phương theo chức năng, "
     "nhiệm vụ tăng cường phối hợp.",
     [("Sở Y tế", L), ("Sở Tài chính", L), ("Sở Kế hoạch và Đầu tư", L), ("các cơ quan, đơn vị, địa phương", L)], []),
    ("Sở Tài chính, Sở Kế hoạch và Đầu tư bố trí kinh phí thực hiện.",
     [("Sở Tài chính", L), ("Sở Kế hoạch và Đầu tư", L)], []),
    ("UBND các huyện, thị xã, thành phố tiếp tục rà soát đối tượng tiêm vắc xin.",
     [("UBND các huyện, thị xã, thành phố", L)], []),
    ("Ủy ban nhân dân tỉnh yêu cầu các Sở, ban, ngành và Ủy ban nhân dân các huyện khẩn trương triển khai thực hiện./.",
     [("các Sở, ban, ngành", L), ("Ủy ban nhân dân các huyện", L)], []),
    ("Đề nghị các Bộ, ngành và Ủy ban nhân dân các tỉnh chủ động bố trí nguồn lực.",
     [("các Bộ, ngành", L), ("Ủy ban nhân dân các tỉnh", L)], []),
    ("Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức lễ hội.",
     [("Sở Văn hóa, Thể thao và Du lịch", L)], []),
    ("- Chủ trì, phối hợp với UBND các huyện, thị xã, thành phố và các sở, ngành liên quan rà soát thuốc tồn đọng.",
     [("UBND các huyện, thị xã, thành phố", S), ("các sở, ngành liên quan", S)], []),
    ("Sở Y tế rà soát, đôn đốc các địa phương đẩy nhanh tiêm chủng; cùng với các cơ quan truyền thông đẩy mạnh "
     "tuyên truyền.", [("Sở Y tế", L), ("các cơ quan truyền thông", S)], []),
    ("Công an tỉnh chủ trì, Sở Giao thông vận tải phối hợp kiểm tra các bến thủy nội địa.",
     [("Công an tỉnh", L), ("Sở Giao thông vận tải", S)], []),
    ("Sở Công Thương làm việc trực tiếp với các doanh nghiệp xăng dầu để nắm tình hình.",
     [("Sở Công Thương", L), ("các doanh nghiệp xăng dầu", S)], []),
    ("3. Sở Giáo dục và Đào tạo: Phối hợp chặt chẽ với Sở Y tế triển khai tiêm vắc xin tại trường học.",
     [("Sở Giáo dục và Đào tạo", L), ("Sở Y tế", S)], []),
    ("Bộ Y tế sẽ phối hợp với Ủy ban nhân dân tỉnh tổ chức kiểm tra.",
     [("Bộ Y tế", L), ("Ủy ban nhân dân tỉnh", S)], []),
    ("Bảo hiểm xã hội tỉnh chủ trì giải quyết vướng mắc về thanh toán bảo hiểm y tế.",
     [("Bảo hiểm xã hội tỉnh", L)], []),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội, các đoàn thể tích cực vận động "
     "Nhân dân.", [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", L), ("các tổ chức chính trị - xã hội", L),
                   ("các đoàn thể", L)], []),
    ("Giám đốc Sở Y tế bảo đảm đủ nguồn vắc xin cho các điểm tiêm.", [("Giám đốc Sở Y tế", L)], []),
    ("Người đứng đầu các cơ quan, đơn vị trực tiếp chỉ đạo công tác phòng, chống dịch.",
     [("Người đứng đầu các cơ quan, đơn vị", L)], []),
    ("Các Sở, ban, ngành, địa phương cần quan tâm đầu tư cho ngành y tế.", [("Các Sở, ban, ngành, địa phương", L)], []),
    ("Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Xây dựng, Công an tỉnh và các cơ quan liên quan kiểm tra "
     "hoạt động khai thác cát.",
     [("Sở Tài nguyên và Môi trường", L), ("Sở Xây dựng", S), ("Công an tỉnh", S), ("các cơ quan liên quan", S)], []),
    ("Văn phòng Ủy ban nhân dân tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
     [("các cơ quan, đơn vị", L)], []),
    ("Sở Nội vụ phối hợp chặt chẽ với Sở Tài chính thẩm định đề án.",
     [("Sở Nội vụ", L), ("Sở Tài chính", S)], []),
    ("Ban Quản lý các khu công nghiệp chủ động cùng với Công an tỉnh kiểm tra các doanh nghiệp.",
     [("Ban Quản lý các khu công nghiệp", L), ("Công an tỉnh", S)], []),
    ("Phòng Tài chính - Kế hoạch theo dõi, đôn đốc tiến độ giải ngân của các chủ đầu tư.",
     [("Phòng Tài chính - Kế hoạch", L)], []),
    ("Chi cục Quản lý thị trường tăng cường kiểm tra, kiểm soát thị trường.",
     [("Chi cục Quản lý thị trường", L)], []),
    ("Đài Phát thanh và Truyền hình tỉnh, Báo Bình Phước tuyên truyền rộng rãi nội dung Kế hoạch.",
     [("Đài Phát thanh và Truyền hình tỉnh", L), ("Báo Bình Phước", L)], []),
    ("Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh sẵn sàng lực lượng ứng cứu.",
     [("Bộ Chỉ huy Quân sự tỉnh", L), ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", L)], []),
    ("Kho bạc Nhà nước tỉnh kiểm soát chi chặt chẽ.", [("Kho bạc Nhà nước tỉnh", L)], []),
    ("Trường Cao đẳng Y tế phối hợp với Bệnh viện Đa khoa tỉnh đào tạo nhân lực.",
     [("Trường Cao đẳng Y tế", L), ("Bệnh viện Đa khoa tỉnh", S)], []),
    ("Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh vận động đoàn viên, hội viên tham gia.",
     [("Tỉnh đoàn", L), ("Hội Liên hiệp Phụ nữ tỉnh", L)], []),
    ("Sở KH&ĐT chủ trì, phối hợp với Sở TT&TT xây dựng cơ sở dữ liệu.",
     [("Sở KH&ĐT", L), ("Sở TT&TT", S)], []),
    ("Sở Y tế uỷ quyền cho các trung tâm y tế cấp giấy phép.", [("Sở Y tế", L)], []),
    # report targets: an addressee is not an actor
    ("Sở Y tế báo cáo kết quả về UBND tỉnh trước ngày 02/01/2023.", [("Sở Y tế", L)], ["UBND tỉnh"]),
    ("Báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 30/6/2024.", [], ["Ủy ban nhân dân tỉnh"]),
    ("Sở Công Thương tổng hợp, báo cáo Bộ Công Thương trước ngày 15 hằng tháng.",
     [("Sở Công Thương", L)], ["Bộ Công Thương"]),
    ("Các đơn vị gửi hồ sơ về Sở Công Thương trước ngày 10/3/2025.", [("Các đơn vị", L)], ["Sở Công Thương"]),
    ("Trong quá trình thực hiện, nếu có vướng mắc, phản ánh về Ủy ban nhân dân tỉnh (qua Sở Y tế) để xem xét.",
     [], ["Ủy ban nhân dân tỉnh"]),
    ("Sở Tư pháp thẩm định, trình Ủy ban nhân dân tỉnh ban hành quyết định.",
     [("Sở Tư pháp", L)], ["Ủy ban nhân dân tỉnh"]),
    ("Sở Y tế chủ động báo cáo, kiến nghị cấp có thẩm quyền tháo gỡ khó khăn.", [("Sở Y tế", L)], ["cấp có thẩm quyền"]),
    ("Các huyện gửi báo cáo về Sở Nội vụ để tổng hợp, báo cáo Bộ Nội vụ.", [("Các huyện", L)], ["Sở Nội vụ"]),
    # objects and speakers are not actors
    ("Tổ chức tuyên truyền rộng rãi trên các phương tiện thông tin đại chúng.", [], []),
    ("Phòng bệnh hơn chữa bệnh, phòng dịch từ sớm, từ xa.", [], []),
    ("Tăng cường hướng dẫn các doanh nghiệp thực hiện nghiêm quy định.", [], []),
    ("Hoàn thành mục tiêu 100% trẻ em được tiêm ít nhất 01 mũi vắc xin trước ngày 25/8/2022.", [], []),
    ("Tiếp tục thực hiện các chỉ đạo của Ủy ban nhân dân tỉnh tại Văn bản số 5220/UBND-VX.", [], []),
    ("Uỷ ban nhân dân huyện yêu cầu Phòng Y tế hoà giải dứt điểm vụ việc.", [("Phòng Y tế", L)], []),
    # a determiner covers the bare collectives listed after it
    ("Các tổ chức, doanh nghiệp kinh doanh xăng dầu phải niêm yết giá bán.",
     [("Các tổ chức, doanh nghiệp kinh doanh xăng dầu", L)], []),
    ("Yêu cầu các tổ chức, cá nhân, doanh nghiệp nghiêm túc thực hiện./.",
     [("các tổ chức, cá nhân, doanh nghiệp", L)], []),
    ("UBND các quận, huyện, doanh nghiệp chủ động rà soát.",
     [("UBND các quận, huyện", L), ("doanh nghiệp", L)], []),
    # subjects of guidance and legal letters
    ("Trường hợp nộp hồ sơ giấy, người nộp thuế phải nộp bản chính tại cơ quan thuế.",
     [("người nộp thuế", L)], []),
    ("Đối với hồ sơ phức tạp thì Thủ trưởng cơ quan thuế quyết định gia hạn thời gian kiểm tra.",
     [("Thủ trưởng cơ quan thuế", L)], []),
    ("Cơ quan hải quan chủ trì, phối hợp với cơ quan liên quan xử lý hàng tồn đọng.",
     [("Cơ quan hải quan", L), ("cơ quan liên quan", S)], []),
    ("Đề nghị đơn vị hoàn thiện hồ sơ theo quy định.", [("đơn vị", L)], []),
    # resource lines and person headings
    ("- Kinh phí thực hiện: do Công ty TNHH An Phát tự cân đối.", [("Công ty TNHH An Phát", L)], []),
    ("Mọi chi phí phát sinh do chủ đầu tư tự chịu.", [("chủ đầu tư", L)], []),
    ("2.1. Ông. Trần Văn Bình - Trưởng đoàn: Phụ trách chung; ký các văn bản của Đoàn.",
     [("Trần Văn Bình - Trưởng đoàn", L)], []),
    ("Bà Lê Thị Hoa - Thư ký: Lập biên bản kiểm tra.", [("Lê Thị Hoa - Thư ký", L)], []),
]


def _run(text: str, label: str = "requirement"):
    m = MARKER_RE.match(text)
    seg = Segment(0, len(text), text, "body", m.group("m").strip() if m else None)
    return assign_roles([seg], [label], META, ["Các Sở, ban, ngành"], [tokenize(text)])[0]


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


@pytest.mark.parametrize("text,expected,report_to", CASES, ids=[c[0][:40] for c in CASES])
def test_actor_roles(text, expected, report_to):
    a = _run(text)
    got = sorted((_norm(x.name), x.role) for x in a.actors if x.source == "explicit")
    assert got == sorted((_norm(n), r) for n, r in expected)
    assert sorted(_norm(x) for x in a.report_to) == sorted(_norm(x) for x in report_to)


def test_explicit_offsets_point_at_the_name():
    text = "- Đề nghị Sở Y tế chủ trì, phối hợp với Sở Tài chính thực hiện."
    a = _run(text)
    for actor in a.actors:
        assert text[actor.start:actor.end] == actor.name


def test_canonical_expands_and_places_a_bare_province():
    a = _run("UBND tỉnh chủ trì, phối hợp với Sở TT&TT tổ chức hội nghị.")
    can = {x.name: x.canonical for x in a.actors}
    assert can["UBND tỉnh"] == "Ủy ban nhân dân tỉnh Bình Phước"
    assert can["Sở TT&TT"] == "Sở Thông tin và Truyền thông"


def test_no_actor_means_implicit_with_recipients_offered():
    a = _run("Tiếp tục rà soát, cập nhật kế hoạch.")
    assert a.implicit
    assert [(x.name, x.source) for x in a.actors] == [("Các Sở, ban, ngành", "recipients")]


def test_implicit_requirement_keeps_named_partners():
    a = _run("Phối hợp với Công an tỉnh kiểm tra các cơ sở kinh doanh.")
    assert a.implicit
    assert [(x.name, x.role) for x in a.actors if x.source == "explicit"] == [("Công an tỉnh", "support")]


def test_non_requirements_get_nothing():
    assert _run("Sở Y tế chủ trì thực hiện.", label="rationale") is None


def test_table_rows_take_lead_and_support_cells():
    segs = [Segment(0, 60, "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian", "body", kind="table_row"),
            Segment(61, 130, "1 | Rà soát danh mục | Sở Y tế | Sở Tài chính; Công an tỉnh | Quý III/2022",
                    "body", kind="table_row")]
    toks = [tokenize(s.text) for s in segs]
    out = assign_roles(segs, ["other", "requirement"], META, [], toks)
    assert out[0] is None
    assert [(a.name, a.role) for a in out[1].actors] == [
        ("Sở Y tế", "lead"), ("Sở Tài chính", "support"), ("Công an tỉnh", "support")]


# --------------------------------------------------------------------------- inheritance through extract()
LETTER = """ỦY BAN NHÂN DÂN
TỈNH BÌNH PHƯỚC
Số: 100/UBND-KGVX
Bình Phước, ngày 05 tháng 3 năm 2024
V/v tăng cường phòng, chống dịch

Kính gửi:
- Các Sở, ban, ngành tỉnh;
- UBND các huyện, thị xã, thành phố.

Thực hiện chỉ đạo của Bộ Y tế, Ủy ban nhân dân tỉnh yêu cầu Sở Y tế và UBND các huyện, thị xã, thành phố thực hiện các nội dung sau:

1. Tăng cường giám sát dịch bệnh tại cộng đồng.

2. Sở Giáo dục và Đào tạo:

- Phối hợp với Sở Y tế kiểm tra công tác y tế trường học.

- Tuyên truyền cho học sinh về phòng bệnh.

3. Công an tỉnh chủ trì, cùng các cơ quan, địa phương liên quan:

- Kiểm soát chặt chẽ người nhập cảnh trái phép.

4. Sở Tài chính bố trí kinh phí phòng, chống dịch. Báo cáo kết quả về UBND tỉnh trước ngày 30/6/2024.

5. Sở Tư pháp thẩm định hồ sơ.
Thời gian thực hiện: Quý II/2024.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def _letter_labels(text: str) -> list[str]:
    out = []
    for s in segment(text):
        t = s.text.strip()
        if s.zone in ("recipients", "distribution"):
            out.append("recipient_list")
        elif s.zone != "body":
            out.append("other")
        elif t.startswith("Thực hiện") or t.endswith(":"):
            out.append("other" if not t.startswith("Thực hiện") else "rationale")
        elif t.startswith("Thời gian"):
            out.append("other")
        else:
            out.append("requirement")
    return out


@pytest.fixture(scope="module")
def letter():
    return extract(LETTER, labels=_letter_labels(LETTER))


def _by_text(letter, start: str):
    for ob in letter.obligations:
        if ob.text.strip().startswith(start):
            return ob
    raise AssertionError(f"no obligation starting {start!r}: {[o.text for o in letter.obligations]}")


def _pairs(ob):
    return sorted((a.name, a.role, a.source) for a in ob.actors if a.source != "recipients")


def test_lead_in_passes_its_actors_to_items(letter):
    ob = _by_text(letter, "1. Tăng cường giám sát")
    assert _pairs(ob) == [("Sở Y tế", "lead", "inherited"),
                          ("UBND các huyện, thị xã, thành phố", "lead", "inherited")]
    assert not ob.implicit


def test_actor_heading_scopes_its_items(letter):
    ob = _by_text(letter, "- Phối hợp với Sở Y tế")
    assert _pairs(ob) == [("Sở Giáo dục và Đào tạo", "lead", "inherited"), ("Sở Y tế", "support", "explicit")]
    ob = _by_text(letter, "- Tuyên truyền cho học sinh")
    assert _pairs(ob) == [("Sở Giáo dục và Đào tạo", "lead", "inherited")]


def test_heading_with_partners_passes_supports_too(letter):
    ob = _by_text(letter, "- Kiểm soát chặt chẽ")
    assert _pairs(ob) == [("Công an tỉnh", "lead", "inherited"),
                          ("các cơ quan, địa phương liên quan", "support", "inherited")]


def test_previous_sentence_lead_carries_over_with_report_target(letter):
    ob = _by_text(letter, "Báo cáo kết quả")
    assert _pairs(ob) == [("Sở Tài chính", "lead", "inherited")]
    assert list(ob.report_to) == ["UBND tỉnh"]


def test_explicit_actor_overrides_the_lead_in(letter):
    ob = _by_text(letter, "5. Sở Tư pháp")
    assert _pairs(ob) == [("Sở Tư pháp", "lead", "explicit")]


PLAN = """ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 12/KH-UBND
Gia Lai, ngày 10 tháng 4 năm 2023

KẾ HOẠCH
Phòng, chống buôn lậu năm 2023

II. NHIỆM VỤ

1. Tổ chức tuyên truyền pháp luật về phòng, chống buôn lậu cho thương nhân.

- Cơ quan chủ trì: Phòng Quản lý thương mại.

- Cơ quan phối hợp: Chi cục Quản lý thị trường, Văn phòng Sở.

2. Kiểm tra việc kinh doanh xăng dầu tại các huyện biên giới.

- Cơ quan chủ trì: Thanh tra Sở.

Nơi nhận:
- Lưu: VT.
"""


def test_plan_attribute_lines_cover_their_task():
    labels = []
    for s in segment(PLAN):
        t = s.text.strip()
        labels.append("requirement" if s.zone == "body" and t[:2] in ("1.", "2.") else
                      "recipient_list" if s.zone in ("recipients", "distribution") else "other")
    letter = extract(PLAN, labels=labels)
    one = _by_text(letter, "1. Tổ chức tuyên truyền")
    assert _pairs(one) == [("Chi cục Quản lý thị trường", "support", "inherited"),
                           ("Phòng Quản lý thương mại", "lead", "inherited"),
                           ("Văn phòng Sở", "support", "inherited")]
    two = _by_text(letter, "2. Kiểm tra")
    assert _pairs(two) == [("Thanh tra Sở", "lead", "inherited")]


# --------------------------------------------------------------------------- tables flattened one cell per line
def _rows(texts, labels):
    segs, pos = [], 0
    for t, kind in texts:
        zone = "furniture" if kind == "furniture" else "body"
        segs.append(Segment(pos, pos + len(t), t, zone, kind=kind))
        pos += len(t) + 2
    toks = [tokenize(s.text) for s in segs]
    return assign_roles(segs, labels, META, [], toks)


def _named(a):
    return [(x.name, x.role) for x in a.actors if x.source == "explicit"]


LINE_TABLE_CASES = [
    # header with lead and support columns; rows led by their number
    ([("STT\nNhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\nGhi chú", "table_row"),
      ("1\nRà soát quy hoạch bến bãi.\nSở Xây dựng\nCác Sở, ban, ngành và các tổ chức vận tải liên quan\nQuý IV/2025",
       "table_row")],
     ["other", "requirement"],
     {1: [("Sở Xây dựng", L), ("Các Sở, ban, ngành", S), ("các tổ chức vận tải liên quan", S)]}),
    # a person column; rows without a number, one person per line
    ([("TT\nCông việc\nNgười thực hiện\nGhi chú", "table_row"),
      ("Chuẩn bị tài liệu\nNguyễn Văn An\nPhạm Thị Mai", "table_row")],
     ["other", "requirement"],
     {1: [("Nguyễn Văn An", L), ("Phạm Thị Mai", L)]}),
    # a row cut apart: its number read as a page number, its cells as sentences
    ([("STT\nNhiệm vụ\nĐơn vị chủ trì\nĐơn vị phối hợp\nThời gian", "table_row"),
      ("2", "furniture"),
      ("Kiểm tra các cơ sở kinh doanh.", "sentence"), ("Xử lý nghiêm vi phạm.", "sentence"),
      ("Công an tỉnh", "sentence"), ("Sở Công Thương, UBND các huyện", "sentence"), ("Hằng quý", "sentence")],
     ["other", "other", "requirement", "requirement", "requirement", "requirement", "requirement"],
     {2: [("Công an tỉnh", L), ("Sở Công Thương", S), ("UBND các huyện", S)], 3: [], 4: [], 5: [], 6: []}),
]


@pytest.mark.parametrize("rows,labels,expected", LINE_TABLE_CASES, ids=["lead-support", "persons", "cut-row"])
def test_tables_flattened_one_cell_per_line(rows, labels, expected):
    out = _rows(rows, labels)
    for i, want in expected.items():
        assert _named(out[i]) == want
        if not want:  # the other pieces of a cut row inherit nothing
            assert not [a for a in out[i].actors if a.source == "inherited"]


# --------------------------------------------------------------------------- headings that name whose tasks follow
GUIDE = """SỞ CÔNG THƯƠNG
Số: 15/KH-SCT
Gia Lai, ngày 10 tháng 4 năm 2025

KẾ HOẠCH
Kiểm tra an toàn hóa chất

Trưởng đoàn kiểm tra lập kế hoạch kiểm tra như sau:

1. Yêu cầu

- Kiểm tra đúng trình tự, thủ tục.

2. Trách nhiệm của các tổ chức, doanh nghiệp hoạt động trong lĩnh vực hóa chất

a) Lưu trữ đầy đủ hồ sơ an toàn.

3. Yêu cầu đối với chủ đầu tư

a) Vận hành công trình theo đúng thiết kế.

4. Sở Y tế

a) Thanh tra các cơ sở khám bệnh.

b) Phối hợp với các cơ quan liên quan thực hiện:

- Kiểm tra giá thuốc.

Nơi nhận:
- Lưu: VT.
"""


def test_headings_name_their_actors():
    letter = extract(GUIDE, labels=_letter_labels_heading(GUIDE))
    assert _pairs(_by_text(letter, "- Kiểm tra đúng trình tự")) == []
    assert _pairs(_by_text(letter, "a) Lưu trữ")) == [
        ("các tổ chức, doanh nghiệp hoạt động trong lĩnh vực hóa chất", "lead", "inherited")]
    assert _pairs(_by_text(letter, "a) Vận hành")) == [("chủ đầu tư", "lead", "inherited")]
    # a lead-in naming only partners keeps the lead of its section
    assert _pairs(_by_text(letter, "- Kiểm tra giá thuốc")) == [
        ("Sở Y tế", "lead", "inherited"), ("các cơ quan liên quan", "support", "inherited")]


def _letter_labels_heading(text):
    out = []
    for s in segment(text):
        t = s.text.strip()
        if s.zone in ("recipients", "distribution"):
            out.append("recipient_list")
        elif s.zone != "body" or t.endswith(":") or t[:2] in ("1.", "2.", "3.", "4."):
            out.append("other")
        else:
            out.append("requirement")
    return out


def test_letters_run_together_do_not_break_table_rows():
    """Twenty letters joined into one text once sent a table row past its last cell."""
    from pathlib import Path

    from vn_obligations.io import read_letter

    paths = sorted((Path(__file__).parent.parent / "corpora" / "letters").glob("*.txt"))[:20]
    letter = extract("\n".join(read_letter(p, None) for p in paths))
    assert letter.obligations
    assert all(a.role in ("lead", "support") for ob in letter.obligations for a in ob.actors)
