"""Texts of the admin's knowledge pages: intents (questions and answers) and units."""

from __future__ import annotations

# --- The intent list (/admin/intents) ---
INTENTS_TITLE = "Câu hỏi – trả lời"
INTENTS_NEW = "Thêm câu hỏi mới"
INTENTS_SEARCH = "Tìm theo tên hoặc mã"
INTENTS_SEARCH_HINT = "gõ có dấu hoặc không dấu"
INTENTS_TOPIC = "Nhóm thủ tục"
INTENTS_ALL_TOPICS = "Tất cả nhóm"
INTENTS_FILTER = "Lọc"
INTENTS_EMPTY = "Không có câu hỏi nào phù hợp."
INTENTS_COUNT = "{count} câu hỏi"
COL_TITLE = "Tên"
COL_TOPIC = "Nhóm"
COL_EXAMPLES = "Số câu mẫu"
COL_UPDATED = "Sửa lần cuối"
COL_QUESTIONS = "Câu hỏi của công dân (30 ngày)"
COL_NOT_RIGHT = "Tỷ lệ “Chưa đúng”"
STATE_ACTIVE = "Đang dùng"
STATE_INACTIVE = "Tạm ngừng"
NO_TOPIC = "(chưa xếp nhóm)"
NO_FIGURE = "—"
BY = "bởi {who}"

# --- The intent editor (/admin/intents/<intent>, /admin/intents/new) ---
INTENT_EDIT_TITLE = "Sửa câu hỏi: {title}"
INTENT_NEW_TITLE = "Thêm câu hỏi mới"
BACK_TO_LIST = "← Danh sách câu hỏi"
FIELD_INTENT = "Mã câu hỏi (chữ thường không dấu, số, dấu _)"
FIELD_TITLE = "Tên hiển thị"
FIELD_TOPIC = "Nhóm thủ tục trong menu"
FIELD_SUMMARY = "Tóm tắt"
FIELD_SECTIONS = "Các mục của câu trả lời"
SECTIONS_HINT = (
    "Mỗi mục gồm tiêu đề và nội dung; dòng bắt đầu bằng “- ” sẽ hiện thành gạch đầu dòng. "
    "Mục chưa có nội dung sẽ không hiện trong câu trả lời. Để xoá một mục, đánh dấu “Xoá mục "
    "này” hoặc để trống cả hai ô. Cần thêm mục thì bấm “Xem trước”, các ô trống mới sẽ hiện ra."
)
FIELD_SECTION_LABEL = "Tiêu đề mục {number}"
FIELD_SECTION_TEXT = "Nội dung mục {number}"
FIELD_SECTION_REMOVE = "Xoá mục này"
FIELD_SOURCE_URL = "Đường dẫn thủ tục (Cổng Dịch vụ công)"
FIELD_CHECKED_ON = "Ngày kiểm tra nội dung"
FIELD_ACTIVE = "Đang dùng (bot trả lời câu hỏi này)"
FIELD_EXAMPLES = "Câu hỏi mẫu (mỗi dòng một câu)"
EXAMPLES_HINT = (
    "Những cách công dân hay hỏi; mô hình học từ các câu này. Thêm, sửa hoặc xoá dòng rồi "
    "lưu. Câu mẫu mới chỉ có hiệu lực sau lần huấn luyện mô hình tiếp theo; câu trả lời thì "
    "có hiệu lực ngay."
)
EXAMPLES_COUNT = "{count} câu mẫu"
PREVIEW = "Xem trước"
SAVE = "Lưu"
DELETE = "Xoá câu hỏi"
CONFIRM_DELETE = "Xoá hẳn câu hỏi này cùng câu trả lời và các câu mẫu?"
PREVIEW_TITLE = "Xem trước trên Telegram"
PREVIEW_NOTE = "Bản xem trước theo nội dung đang nhập, chưa được lưu."
PREVIEW_LENGTH = "Độ dài: {length} / {limit} ký tự"
PREVIEW_TOO_LONG = (
    "Câu trả lời dài {length} ký tự, vượt giới hạn {limit} ký tự của một tin nhắn Telegram. "
    "Vui lòng rút gọn."
)
PREVIEW_BROKEN = "Câu trả lời không hiển thị được trên Telegram: {reason}"
PREVIEW_UNAVAILABLE = "Chưa xem trước được vì nội dung đang nhập còn lỗi."
PROBLEMS_INTRO = "Chưa lưu được. Vui lòng sửa các mục được đánh dấu bên dưới."
BAD_DATE = "Ngày kiểm tra không hợp lệ (định dạng ngày/tháng/năm)."
NOT_A_FORM = "Biểu mẫu không hợp lệ. Vui lòng tải lại trang."

# --- Deleting an intent ---
DELETE_TITLE = "Xác nhận xoá câu hỏi “{title}”"
DELETE_REFERENCES = (
    "Câu hỏi này đang được dùng ở những chỗ sau. Nếu xoá, các chỗ này sẽ không còn "
    "câu trả lời tương ứng:"
)
DELETE_CONFIRM = "Vẫn xoá"
DELETE_CANCEL = "Quay lại, không xoá"

# --- Notices after a change ---
INTENT_NOTICES = {
    "saved": "Đã lưu. Câu trả lời mới có hiệu lực ngay với công dân.",
    "created": "Đã thêm câu hỏi mới. Mô hình sẽ nhận ra câu hỏi này sau lần huấn luyện tới.",
    "deleted": "Đã xoá câu hỏi.",
    "imported": (
        "Đã nhập dữ liệu. Câu trả lời và đơn vị có hiệu lực ngay; câu mẫu mới cần huấn "
        "luyện lại mô hình."
    ),
}

# --- Export / import of everything the bot knows (a ZIP of the repository's YAML) ---
ARCHIVE_TITLE = "Xuất / nhập dữ liệu"
ARCHIVE_HELP = (
    "Tệp ZIP gồm câu trả lời, câu mẫu, nhóm thủ tục, đơn vị và mẫu trả lời, cùng định dạng "
    "YAML với kho mã nguồn (lệnh tiepdan faq export / import)."
)
ARCHIVE_EXPORT = "Tải về tệp ZIP"
ARCHIVE_FILE = "Tệp ZIP cần nhập"
ARCHIVE_OVERWRITE = "Ghi đè những mục đã có (nếu không chọn: chỉ thêm mục còn thiếu)"
ARCHIVE_IMPORT = "Nhập dữ liệu"
ARCHIVE_CONFIRM = "Nhập dữ liệu từ tệp này vào hệ thống?"
ARCHIVE_ERRORS = {
    "missing": "Vui lòng chọn một tệp ZIP.",
    "not_zip": "Tệp này không phải tệp ZIP.",
    "too_big": "Tệp ZIP quá lớn hoặc có quá nhiều tệp.",
    "no_yaml": "Trong tệp ZIP không có tệp YAML nào.",
    "bad_path": "Tệp ZIP có đường dẫn không hợp lệ.",
    "bad_yaml": "Nội dung tệp YAML không đúng định dạng; chưa có gì được thay đổi.",
}

# --- Units (/admin/units) ---
UNITS_TITLE = "Đơn vị"
UNITS_INTRO = (
    "Thông tin liên hệ của các phường, xã. Bot dùng ngay các thông tin này khi công dân hỏi "
    "địa chỉ, giờ làm việc, lịch tiếp công dân."
)
UNIT_EDIT_TITLE = "Sửa thông tin: {name}"
BACK_TO_UNITS = "← Danh sách đơn vị"
UNIT_COL_NAME = "Đơn vị"
UNIT_FIELD_ADDRESS = "Địa chỉ"
UNIT_FIELD_PHONE = "Điện thoại"
UNIT_FIELD_HOURS = "Giờ làm việc"
UNIT_FIELD_SCHEDULE = "Lịch tiếp công dân"
UNIT_FIELD_OLD_NAMES = "Tên phường, xã cũ (mỗi dòng một tên)"
UNIT_FIELD_IN_PART = "Trong đó, những nơi chỉ sáp nhập một phần (mỗi dòng một tên)"
UNIT_OLD_NAMES_HINT = (
    "Công dân vẫn hay gọi theo tên cũ; bot dùng danh sách này để chỉ đúng đơn vị hiện nay."
)
UNIT_EDIT = "Sửa"
UNIT_MISSING = "(chưa có)"
UNIT_SAVE = "Lưu"
UNIT_PROBLEMS = "Chưa lưu được. Vui lòng sửa các mục được đánh dấu bên dưới."
UNIT_SAVED = "Đã lưu thông tin {name}. Bot dùng thông tin mới ngay."
