"""Sentence labels: requirement / rationale / recipient_list / other.

Until the trained classifier lands (issue 4) this module labels by zone and a
few cue words, so that the frame and the CLI can be built and measured.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .segment import Segment

_RATIONALE = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:Thực hiện|Căn cứ|Xét|Theo đề nghị|Trên cơ sở|Sau khi|Nhằm|Vừa qua|Thời gian qua|"
    r"Hiện nay|Tuy nhiên|Qua\b|Trong thời gian qua|Ngày\s+\d|Dự họp|Tham dự|Nhận được)")
_DIRECTIVE = re.compile(
    r"\b(?:đề nghị|yêu cầu|giao|chủ trì|phối hợp|khẩn trương|tăng cường|chỉ đạo|triển khai|thực hiện|"
    r"báo cáo|rà soát|kiểm tra|tổ chức|chịu trách nhiệm|tuyệt đối không|nghiêm cấm|đẩy mạnh|tiếp tục|"
    r"bảo đảm|đảm bảo|chủ động|theo dõi|hướng dẫn|xây dựng|tham mưu|hoàn thành)\b", re.IGNORECASE)


def rule_labels(segments: Sequence[Segment]) -> list[tuple[str, float]]:
    """A label and a (low) confidence for each segment, from zone and cue words."""
    out: list[tuple[str, float]] = []
    for s in segments:
        t = s.text.replace("*", "").strip()
        if s.zone in ("recipients", "distribution"):
            out.append(("recipient_list", 0.9))
        elif s.zone != "body":
            out.append(("other", 0.9))
        elif _RATIONALE.match(t):
            out.append(("rationale", 0.6))
        elif t.endswith(":") or len(t) < 25:
            out.append(("other", 0.5))
        elif _DIRECTIVE.search(t):
            out.append(("requirement", 0.5))
        else:
            out.append(("other", 0.4))
    return out


def label_segments(segments: Sequence[Segment], tokens=None, model=None) -> list[tuple[str, float | None]]:
    """A label and a confidence for each segment."""
    return rule_labels(segments)
