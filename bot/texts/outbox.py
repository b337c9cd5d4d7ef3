"""The admin's page of messages the bot could not deliver (the outbox)."""

from __future__ import annotations

TITLE = "Tin nhắn chưa gửi được"
INTRO = (
    "Tin nhắn gửi công dân và nhóm cán bộ đã thất bại, hoặc đang chờ gửi lại sau lỗi. "
    "Lỗi tạm thời (mất mạng, Telegram quá tải) được thử lại tự động trong {hours} giờ; "
    "người dùng chặn bot hoặc tin nhắn sai định dạng thì thất bại ngay."
)
EMPTY = "Không có tin nhắn nào bị lỗi."
COL_CASE = "Đơn"
COL_PURPOSE = "Loại tin"
COL_STATUS = "Trạng thái"
COL_AGE = "Chờ từ"
COL_ATTEMPTS = "Số lần gửi"
COL_NEXT = "Lần thử tiếp"
COL_ERROR = "Lỗi gần nhất"
NO_CASE = "—"
RETRY = "Gửi lại"
CONFIRM_RETRY = "Gửi lại tin nhắn này ngay?"
RETRIED = "Đã xếp tin nhắn số {id} vào hàng đợi để gửi lại."
NOT_RETRIED = "Tin nhắn số {id} đã được gửi hoặc không còn tồn tại."
STATUS_LABELS = {"pending": "Đang chờ gửi lại", "failed": "Thất bại"}
PURPOSE_LABELS = {
    "citizen": "Gửi công dân",
    "staff_alert": "Cảnh báo cho cán bộ",
    "staff_digest": "Bản tin hằng ngày",
}
