"""What a citizen reads when the bot cannot reach its database for a moment."""

from __future__ import annotations

DATABASE_BUSY = (
    "Xin lỗi ông/bà, hệ thống đang bận nên chưa ghi nhận được tin nhắn vừa rồi. "
    "Ông/bà vui lòng thử lại sau ít phút; những thông tin đã nhập trước đó vẫn được giữ nguyên."
)
