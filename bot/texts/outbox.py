"""The admin's page of messages the bot could not deliver (the outbox)."""

from __future__ import annotations

TITLE = "Tin nhắn chưa gửi được"
INTRO = (
    "Tin nhắn gửi công dân và nhóm cán bộ đã thất bại, hoặc đang chờ gửi lại sau lỗi. "
    "Lỗi tạm thời (mất mạng, Telegram quá tải) được thử lại tự động trong {hours} giờ; "
    "người dùng chặn bot hoặc tin nhắn sai định dạng thì thất bại ngay. "
    "Tin nhắn «có thể đã gửi» là tin mà Telegram không kịp xác nhận: công dân có thể đã "
    "nhận được, nên hệ thống không tự gửi lại để tránh gửi trùng; vui lòng kiểm tra "
    "trước khi bấm «Gửi lại»."
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
CONFIRM_RETRY_UNCERTAIN = "Công dân có thể đã nhận tin nhắn này. Vẫn gửi lại?"
RETRIED = "Đã xếp tin nhắn số {id} vào hàng đợi để gửi lại."
NOT_RETRIED = "Tin nhắn số {id} đã được gửi hoặc không còn tồn tại."
STATUS_LABELS = {
    "pending": "Đang chờ gửi lại",
    "failed": "Thất bại",
    "uncertain": "Có thể đã gửi (chưa xác nhận)",
}
PURPOSE_LABELS = {
    "citizen": "Gửi công dân",
    "staff_alert": "Cảnh báo cho cán bộ",
    "staff_digest": "Bản tin hằng ngày",
}
