"""Texts of the reports page and of the exported files (Vietnamese), kept together."""

from __future__ import annotations

# --- The dashboard ---
TITLE = "Báo cáo, thống kê"
FILTER_UNIT = "Đơn vị"
FILTER_FROM = "Từ ngày"
FILTER_TO = "Đến ngày"
FILTER_KIND = "Loại đơn"
ALL_KINDS = "Tất cả các loại"
SHOW = "Xem báo cáo"
BAD_PERIOD = "Khoảng thời gian không hợp lệ; đang hiển thị tháng này."
PERIOD = "Đơn tiếp nhận từ {start} đến {end}"
TOTAL = "Tổng số đơn"
BY_KIND = "Số đơn theo loại"
BY_STATUS = "Số đơn theo tình trạng"
BY_UNIT = "Số đơn theo đơn vị"
OVERDUE = "Đơn đang quá hạn"
OVERDUE_NOTE = "tính đến hôm nay, gồm cả đơn tiếp nhận trước kỳ báo cáo"
FIRST_RESPONSE = "Thời gian đến lần phản hồi đầu tiên (trung vị)"
CLOSING = "Thời gian đến khi kết thúc đơn (trung vị)"
HOURS = "{value} giờ"
DAYS = "{value} ngày"
BASED_ON = "trên {count} đơn"
NO_DATA = "Chưa có số liệu"
RATINGS = "Đánh giá của công dân"
RATING_COUNT = "Số lượt đánh giá"
RATING_AVERAGE = "Điểm trung bình"
STARS = "{stars} sao"
COLUMN_ITEM = "Mục"
COLUMN_COUNT = "Số đơn"
COLUMN_RATINGS = "Số lượt"
CHART_DESC = "Biểu đồ cột; số liệu chi tiết ở bảng bên dưới."
EXPORTS = "Tải xuống"
EXPORT_REGISTER = "Sổ tiếp công dân"
EXPORT_CASES = "Danh sách đơn"
EXPORT_NOTE = (
    "Tệp tải xuống luôn ẩn thông tin nhân thân của người tố cáo. "
    "Mỗi lần tải xuống đều được ghi nhật ký."
)

# --- Cells of the exported files ---
MASKED = "(bảo mật)"
ANONYMOUS = "Ẩn danh"
ERASED = "(đã xoá theo yêu cầu hoặc hết thời hạn lưu giữ)"
WITHIN_COMPETENCE = "x"
KIND_CODES = {"khieu_nai": "KN", "to_cao": "TC", "phan_anh": "KN-PA"}
NOTE_CODE = "Mã đơn {code}"
NOTE_DUPLICATE = "trùng nội dung với đơn {code}"
NOTE_AS_INFORMATION = "tố cáo nặc danh, xử lý như tin báo"
DATE = "%d/%m/%Y"

# --- The official register (Sổ tiếp công dân, mẫu 03/TCD) ---
REGISTER_FILE = "Sổ tiếp công dân {start}–{end}"
REGISTER_SHEET = "Sổ tiếp công dân"
REGISTER_COLUMNS = (
    "STT",
    "Ngày tiếp nhận",
    "Họ tên, địa chỉ",
    "Số CCCD/định danh",
    "Nội dung vụ việc",
    "Phân loại đơn (KN / TC / KN-PA)",
    "Số người cùng nội dung",
    "Cơ quan đã giải quyết",
    "Thuộc thẩm quyền",
    "Hướng dẫn đến cơ quan",
    "Chuyển đến cơ quan",
    "Theo dõi kết quả",
    "Ghi chú",
)

# --- The case list ---
CASES_FILE = "Danh sách đơn {today}"
CASES_SHEET = "Danh sách đơn"
CASES_COLUMNS = (
    "Mã đơn",
    "Loại đơn",
    "Tình trạng",
    "Đơn vị",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Họ tên",
    "Số điện thoại",
    "Số CCCD/định danh",
    "Địa chỉ nơi ở",
    "Địa điểm sự việc",
    "Nội dung",
    "Cán bộ được giao",
    "Đánh giá",
)
