"""Texts of the console's inbox (Vietnamese): filters, notices, column headings."""

from __future__ import annotations

TITLE = "Hộp thư đơn"
SEARCH_PLACEHOLDER = "Tìm theo mã, nội dung, địa chỉ (có dấu hoặc không dấu)"
SEARCH_BUTTON = "Lọc"
CLEAR_FILTERS = "Bỏ lọc"
ANY = "Tất cả"

LABEL_Q = "Tìm kiếm"
LABEL_KIND = "Loại đơn"
LABEL_STATUS = "Tình trạng"
LABEL_UNIT = "Đơn vị"
LABEL_ASSIGNEE = "Người xử lý"
LABEL_DUE = "Thời hạn"
LABEL_FROM = "Nhận từ ngày"
LABEL_TO = "Đến ngày"
LABEL_SORT = "Sắp xếp"

STATUS_OPEN = "Đang mở (mặc định)"
STATUS_ALL = "Mọi tình trạng"
ASSIGNEE_ME = "Tôi xử lý"
ASSIGNEE_NONE = "Chưa giao"
DUE_LABELS = {
    "overdue": "Quá hạn",
    "soon": "Sắp đến hạn (2 ngày làm việc)",
}
SORT_LABELS = {
    "due": "Hạn xử lý gần nhất",
    "received": "Nhận sớm nhất",
    "-received": "Nhận mới nhất",
}
DATE_HINT = "dd/mm/yyyy"

# --- The list ---
COLUMNS = ("Mã", "Loại", "Tình trạng", "Đơn vị", "Ngày nhận", "Hạn", "Người xử lý", "Nội dung")
TOTAL = "{total} đơn"
NO_CASES = "Không có đơn nào khớp với bộ lọc."
UNASSIGNED = "Chưa giao"
BADGE_OVERDUE = "Quá hạn"
BADGE_DUE_SOON = "Sắp đến hạn"
PAGE = "Trang {page}/{pages}"
PREVIOUS = "« Trang trước"
NEXT = "Trang sau »"
COUNTS_TITLE = "Số đơn theo tình trạng"
AUTO_REFRESH = "Danh sách tự cập nhật mỗi 5 giây."

# --- Bad filter values: shown politely, the value is ignored ---
BAD_VALUE = "Giá trị “{value}” của mục “{field}” không hợp lệ nên đã được bỏ qua."
BAD_RANGE = "Ngày “đến” trước ngày “từ” nên khoảng ngày đã được bỏ qua."
