"""Texts staff read in their unit's Telegram group: new-case alerts and the morning digest.

Telegram HTML. A group is outside the console's access control, so these texts carry
no personal data: never a citizen's ID number, and for a tố cáo nothing but its code
(its content could identify the denouncer, Luật Tố cáo art. 9, 47).
"""

from __future__ import annotations

DATE = "%d/%m/%Y"
DATETIME = "%H:%M %d/%m/%Y"

# --- A new case ---
NEW_CASE = (
    "🔔 <b>Đơn mới: {kind}</b> — mã <code>{code}</code>\n"
    "Đơn vị: {unit}\n"
    "Tiếp nhận lúc: {received}\n"
    "Hạn thông báo kết quả cho công dân: {due}\n"
    "Nội dung: {excerpt}\n"
    "🔗 Xem và xử lý: {url}"
)
NEW_DENUNCIATION = "🔔 Tố cáo mới, mã <code>{code}</code>, xem trên hệ thống: {url}"
NO_EXCERPT = "(xem trên hệ thống)"

# --- The morning digest ---
DIGEST_HEADING = (
    "📋 <b>Đơn cần chú ý — {unit}</b> (ngày {day})\n"
    "Quá hạn: <b>{overdue}</b> · Đến hạn trong {days} ngày làm việc tới: <b>{due_soon}</b>"
)
DIGEST_OVERDUE = "⛔ <b>Đã quá hạn</b>"
DIGEST_DUE_SOON = "⏳ <b>Sắp đến hạn</b>"
DIGEST_ROW = "• <code>{code}</code> — {kind} — hạn {due}\n  {url}"
DIGEST_MORE = "… và {count} đơn khác (xem danh sách trên hệ thống: {url})"
