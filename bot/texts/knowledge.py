"""Texts of what the bot knows, as admins edit it (intents, examples, answers, units), in
Vietnamese: validation messages and what a deletion would touch."""

from __future__ import annotations

# --- The answer sections a new intent starts with (empty ones are dropped on save) ---
DEFAULT_SECTION_LABELS = (
    "Giấy tờ cần chuẩn bị",
    "Nơi nộp",
    "Thời gian giải quyết",
    "Lệ phí",
    "Căn cứ pháp lý",
    "Lưu ý",
)

# --- Intent validation ---
INTENT_ID_INVALID = (
    "Mã ý định chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (ví dụ: khai_sinh), "
    "bắt đầu bằng một chữ cái, tối đa {limit} ký tự."
)
INTENT_ID_TAKEN = "Mã ý định «{intent}» đã có; vui lòng chọn mã khác."
TITLE_REQUIRED = "Vui lòng nhập tên thủ tục."
TITLE_TOO_LONG = "Tên thủ tục dài quá {limit} ký tự."
TOPIC_REQUIRED = "Vui lòng chọn chủ đề trong danh mục."
TOPIC_UNKNOWN = "Chủ đề đã chọn không còn tồn tại; vui lòng chọn lại."
TOO_FEW_EXAMPLES = "Một ý định đang dùng cần ít nhất {minimum} câu mẫu khác nhau (hiện có {count})."
EXAMPLE_TOO_LONG = "Câu mẫu «{text}» dài quá {limit} ký tự."
EXAMPLE_CONTROL = "Câu mẫu «{text}» chứa ký tự điều khiển không hợp lệ."
EXAMPLE_CLASH = (
    "Câu mẫu «{text}» trùng hoặc gần trùng với câu «{other_text}» của ý định «{other_title}»."
)
SECTION_LABEL_REQUIRED = "Mục thứ {number} có nội dung nhưng chưa có tiêu đề."
SECTION_LABEL_TOO_LONG = "Tiêu đề mục thứ {number} dài quá {limit} ký tự."
SOURCE_URL_INVALID = (
    "Đường dẫn thủ tục phải bắt đầu bằng http:// hoặc https:// (tối đa {limit} ký tự)."
)
ANSWER_BAD_HTML = "Câu trả lời không hiển thị được trên Telegram: {error}."
ANSWER_TOO_LONG = (
    "Câu trả lời dài {length} ký tự khi hiển thị, vượt giới hạn {limit} ký tự của Telegram; "
    "vui lòng rút gọn."
)

# --- What deleting an intent touches (shown before the second confirmation) ---
REFERENCE_TOPIC = "Nằm trong chủ đề «{topic}» của danh mục"
REFERENCE_EXAMPLES = "{count} câu mẫu sẽ bị xoá"
REFERENCE_QUESTIONS = "{count} câu hỏi của người dân trong 30 ngày qua được nhận là ý định này"

# --- Unit validation ---
UNIT_NAME_REQUIRED = "Vui lòng nhập tên đơn vị."
UNIT_FIELD_TOO_LONG = "Nội dung dài quá {limit} ký tự."
UNIT_PHONE_INVALID = (
    "Số điện thoại chưa đúng định dạng (ví dụ: 0203 3862 123, 0912 345 678 hoặc "
    "+84 203 3862 123; nhiều số cách nhau bằng dấu phẩy)."
)
UNIT_OLD_NAME_TOO_LONG = "Tên cũ «{name}» dài quá {limit} ký tự."
UNIT_IN_PART_UNKNOWN = "«{name}» phải có trong danh sách tên cũ của đơn vị."
