"""Builders for test data."""

from __future__ import annotations

from datetime import date

from bot.faq.service import AnswerData
from nlu.client import IntentScore, ParseResult


def answer_data(intent: str = "khai_sinh", title: str = "Đăng ký khai sinh") -> AnswerData:
    """A small but complete FAQ answer."""
    return AnswerData(
        intent=intent,
        title=title,
        summary="Cha mẹ đăng ký cho con trong 60 ngày kể từ ngày sinh.",
        sections=[
            {"label": "Giấy tờ cần chuẩn bị", "text": "- Tờ khai;\n- Giấy chứng sinh."},
            {"label": "Lệ phí", "text": "Miễn lệ phí nếu đăng ký đúng hạn <60 ngày> & đủ hồ sơ."},
        ],
        source_url="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html",
        checked_on=date(2026, 11, 29),
    )


def parse_result(*ranking: tuple[str, float], text: str = "câu hỏi") -> ParseResult:
    """A ParseResult whose top intent is the first of `ranking`."""
    scores = tuple(IntentScore(name, conf) for name, conf in ranking)
    top = scores[0] if scores else None
    return ParseResult(
        text=text,
        normalized_text=text,
        intent=top.name if top else None,
        confidence=top.confidence if top else 0.0,
        ranking=scores,
    )
