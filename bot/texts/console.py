"""Every text staff read in the web console (Vietnamese), kept together.

Templates hold the page layout; labels, messages and refusals live here so a view never
carries a string literal of its own.
"""

from __future__ import annotations

TITLE = "Hệ thống tiếp công dân Cẩm Phả"

# --- Log-in, log-out, password ---
LOGIN_TITLE = "Đăng nhập"
LOGIN_BAD = "Tên đăng nhập hoặc mật khẩu không đúng."
LOGIN_LOCKED = (
    "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút "
    "hoặc liên hệ quản trị viên."
)
LOGIN_SLOW_DOWN = "Đăng nhập sai quá nhiều lần từ máy này. Vui lòng đợi {seconds} giây rồi thử lại."
LOGIN_MISSING = "Vui lòng nhập tên đăng nhập và mật khẩu."
LOGGED_OUT = "Đã đăng xuất."
SESSION_EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."
PASSWORD_TITLE = "Đổi mật khẩu"
PASSWORD_CHANGED = "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất."
PASSWORD_MISMATCH = "Mật khẩu mới nhập lại không khớp."
STAFF_ERRORS = {
    "wrong_current_password": "Mật khẩu hiện tại không đúng.",
    "password_too_short": "Mật khẩu mới cần ít nhất 10 ký tự.",
    "password_too_long": "Mật khẩu mới quá dài (tối đa 256 ký tự).",
    "password_contains_username": "Mật khẩu mới không được chứa tên đăng nhập.",
    "password_too_simple": "Mật khẩu mới quá đơn giản; hãy dùng nhiều ký tự khác nhau.",
    "bad_username": "Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (3–64 ký tự).",
    "username_taken": "Tên đăng nhập này đã có người dùng.",
    "unit_required": "Cán bộ tiếp dân phải thuộc một đơn vị.",
    "admin_has_no_unit": "Tài khoản quản trị không gắn với đơn vị.",
    "unknown_unit": "Không có đơn vị này.",
    "unknown_user": "Không có tài khoản này.",
}

# --- Errors ---
FORBIDDEN_TITLE = "Không có quyền truy cập"
FORBIDDEN = "Ông/bà không có quyền xem hoặc thực hiện thao tác này."
NOT_FOUND_TITLE = "Không tìm thấy"
NOT_FOUND = "Không tìm thấy trang hoặc đơn này."
CSRF_FAILED = (
    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thực hiện lại thao tác."
)
CROSS_SITE = "Yêu cầu đến từ một trang khác nên không được thực hiện."
TOO_LARGE = "Dữ liệu gửi lên quá lớn (tối đa {max_mb} MB)."
SERVER_ERROR = "Đã có lỗi xảy ra. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị viên."

# --- Navigation ---
NAV_INBOX = "Hộp thư đơn"
NAV_REPORTS = "Báo cáo"
NAV_PASSWORD = "Đổi mật khẩu"
NAV_LOGOUT = "Đăng xuất"
NAV_INTENTS = "Câu hỏi – trả lời"
NAV_UNITS = "Đơn vị"
NAV_UNANSWERED = "Câu hỏi chưa trả lời được"
NAV_TRY = "Thử câu hỏi"
NAV_MODELS = "Huấn luyện mô hình"
NAV_CANNED = "Mẫu trả lời"  # admins: canned replies (bot/texts/case_page.py has the page)
NAV_OUTBOX = "Tin chưa gửi được"  # admins: undelivered messages (bot/texts/outbox.py)

# --- Labels shared by pages ---
KIND_LABELS = {
    "phan_anh": "Kiến nghị, phản ánh",
    "khieu_nai": "Khiếu nại",
    "to_cao": "Tố cáo",
}
STATUS_LABELS = {
    "received": "Mới tiếp nhận",
    "classified": "Đã phân loại",
    "guided": "Đã hướng dẫn",
    "transferred": "Đã chuyển đơn",
    "not_accepted": "Không thụ lý",
    "accepted": "Đã thụ lý",
    "in_progress": "Đang giải quyết",
    "extended": "Đã gia hạn",
    "answered": "Đã trả lời",
    "closed": "Đã kết thúc",
    "withdrawn": "Đã rút đơn",
    "suspended": "Tạm đình chỉ",
}
ROLE_LABELS = {
    "officer": "Cán bộ tiếp dân",
    "leader": "Lãnh đạo",
    "admin": "Quản trị",
}
MASKED = "••• (được bảo mật)"
ALL_UNITS = "Tất cả đơn vị"
