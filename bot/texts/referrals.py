"""Texts of referrals to other bodies (bot/faq/referrals.py), in Vietnamese."""

from __future__ import annotations

# --- The labelled sections a referral is stored as (the console edits them) ---
BODY_LABEL = "Cơ quan giải quyết"
CONTACT_LABEL = "Cách liên hệ"
ONLINE_LABEL = "Nộp trực tuyến"
NOTE_LABEL = "Lưu ý"
SECTION_LABELS = (BODY_LABEL, CONTACT_LABEL, ONLINE_LABEL, NOTE_LABEL)

# A catalogue entry marked ⚠️ is seeded with this summary; a referral whose summary is set
# is told with care (the opening says "theo thông tin hiện có" and the summary ends it).
# An admin who has checked the facts clears it.
UNVERIFIED_SUMMARY = (
    "Thông tin trên là theo thông tin hiện có, chưa được xác nhận đầy đủ; "
    "ông/bà nên hỏi lại cơ quan này trước khi đến."
)

# --- The reply (HTML; every stored piece is escaped before it is put in) ---
OPENING = "Việc này do <b>{body}</b> giải quyết (không thuộc thẩm quyền của phường/xã)."
OPENING_UNSURE = (
    "Theo thông tin hiện có, việc này do <b>{body}</b> giải quyết "
    "(không thuộc thẩm quyền của phường/xã)."
)
OPENING_NO_BODY = "Việc này không thuộc thẩm quyền của phường/xã."
CONTACT = "Ông/bà liên hệ: {contact}"
ONLINE = "Có thể nộp trực tuyến qua {online}."
ONLINE_UNSURE = "Ông/bà có thể kiểm tra việc nộp trực tuyến trên {online}."
NOTE = "<b>Lưu ý:</b> {note}"
OTHER = "<b>{label}:</b> {text}"

# --- The console: an intent's kind (list label, filter, editor) and its validation ---
KIND_LABELS = {
    "procedure": "Thủ tục của phường/xã",
    "referral": "Chuyển cơ quan khác",
}
KIND_FIELD = "Loại câu hỏi"
KIND_FILTER = "Loại"
KIND_ALL = "Tất cả loại"
KIND_HINT = (
    "Câu hỏi «Chuyển cơ quan khác» không nằm trong menu: bot trả lời ngắn gọn cơ quan nào "
    "giải quyết, đọc từ các mục «Cơ quan giải quyết», «Cách liên hệ», «Nộp trực tuyến», "
    "«Lưu ý». Phần tóm tắt (nếu có) là lời dặn khi thông tin chưa được xác nhận; xóa trống "
    "khi đã kiểm chứng."
)
KIND_UNKNOWN = "Loại câu hỏi không hợp lệ."
REFERRAL_NO_TOPIC = (
    "Câu hỏi chuyển cơ quan khác không thuộc nhóm thủ tục nào trong menu; vui lòng để trống nhóm."
)
