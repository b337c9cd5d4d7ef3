"""Citizen texts of answers shaped by the question: one aspect, the overview, the buttons."""

from __future__ import annotations

from bot.faq.aspects import Aspect

# How each aspect is named in a reply heading and in the overview's list.
ASPECT_NAMES: dict[Aspect, str] = {
    Aspect.DOCUMENTS: "Giấy tờ cần chuẩn bị",
    Aspect.WHERE: "Nơi nộp",
    Aspect.TIME: "Thời gian giải quyết",
    Aspect.FEE: "Lệ phí",
    Aspect.ONLINE: "Nộp trực tuyến",
    Aspect.LEGAL: "Căn cứ pháp lý",
    Aspect.NOTES: "Lưu ý",
}

# The buttons under an answer, one per aspect.
ASPECT_BUTTONS: dict[Aspect, str] = {
    Aspect.DOCUMENTS: "📋 Giấy tờ",
    Aspect.WHERE: "📍 Nơi nộp",
    Aspect.TIME: "⏱ Thời gian",
    Aspect.FEE: "💰 Lệ phí",
    Aspect.ONLINE: "🌐 Nộp trực tuyến",
    Aspect.LEGAL: "⚖️ Căn cứ pháp lý",
    Aspect.NOTES: "📌 Lưu ý",
}
FULL_BUTTON = "📄 Xem hướng dẫn đầy đủ"

# Under an overview: what the citizen may ask next ({items}: bullet lines).
OVERVIEW_NEXT = (
    "Ông/bà muốn biết thêm về:\n{items}\n"
    "Vui lòng bấm nút bên dưới hoặc hỏi trực tiếp, ví dụ: “lệ phí bao nhiêu?”."
)
# One line under an aspect reply pointing to the rest.
ASPECT_POINTER = "Các nội dung khác ({items}) và hướng dẫn đầy đủ: bấm nút bên dưới."
# The same, when every other part of the guide has been given already.
FULL_POINTER = "Hướng dẫn đầy đủ: bấm nút bên dưới."
# The answer has no section for the aspect asked about ({aspect}: its name).
ASPECT_MISSING = (
    "Hướng dẫn về thủ tục này chưa có mục “{aspect}”. "
    "Ông/bà vui lòng xem tóm tắt dưới đây hoặc hỏi cán bộ tiếp nhận."
)
# A button whose data the bot cannot use (forged, or an answer removed since).
PART_UNKNOWN = "Xin lỗi, lựa chọn này không còn hợp lệ. Ông/bà vui lòng chọn lại từ danh mục."
