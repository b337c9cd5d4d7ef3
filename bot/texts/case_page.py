"""Texts of the console's case page, its action forms and the canned-replies admin page."""

from __future__ import annotations

# --- Sections and field labels ---
SECTION_FIELDS = "Thông tin đơn"
SECTION_IDENTITY = "Người gửi đơn"
SECTION_CONTENT = "Nội dung đơn"
SECTION_CONVERSATION = "Trao đổi với công dân"
SECTION_EVENTS = "Nhật ký xử lý"
SECTION_ATTACHMENTS = "Tệp đính kèm"
SECTION_ACTIONS = "Xử lý đơn"

LABEL_KIND = "Loại đơn"
LABEL_STATUS = "Trạng thái"
LABEL_UNIT = "Đơn vị"
LABEL_DUE = "Hạn xử lý"
LABEL_EXTENSIONS = "Số lần gia hạn"
LABEL_ASSIGNEE = "Cán bộ xử lý"
LABEL_RECEIVED = "Thời điểm tiếp nhận"
LABEL_ADDRESS = "Nơi xảy ra sự việc"
LABEL_LOCATION = "Vị trí"
LABEL_CONSENTS = "Đồng ý của công dân"
LABEL_ROUTED_TO = "Đã hướng dẫn / chuyển đến"
LABEL_STATUS_REASON = "Lý do"
LABEL_DUPLICATE_OF = "Trùng với đơn"
LABEL_SPLIT_FROM = "Tách từ đơn"
LABEL_CAPTIONS = "Chú thích ảnh, tệp"
LABEL_NAME = "Họ tên"
LABEL_PHONE = "Số điện thoại"
LABEL_ID_NUMBER = "Số định danh cá nhân"
LABEL_HOME_ADDRESS = "Địa chỉ nơi ở"

UNASSIGNED = "Chưa giao"
NOT_GIVEN = "Không có"
OPEN_MAP = "Xem trên bản đồ"
CONSENT_HANDLING = "Đồng ý xử lý dữ liệu để giải quyết đơn"
CONSENT_NOTIFY = "Đồng ý nhận tin báo qua Telegram"
CONSENT_NO_NOTIFY = "Không nhận tin báo qua Telegram"
ANONYMOUS = "Đơn không nêu danh tính."
AS_INFORMATION = "Tố cáo nặc danh: xử lý như thông tin về vi phạm (tin báo)."
CONFIDENTIAL = "Danh tính người tố cáo được giữ bí mật (Luật Tố cáo, điều 9, 47)."
PERSONAL_DATA_ERASED = "Dữ liệu cá nhân đã được xoá lúc {at}."
REVEAL_BUTTON = "Hiện danh tính (được ghi nhật ký)"
REVEAL_CONFIRM = (
    "Việc xem danh tính người tố cáo sẽ được ghi vào nhật ký. Ông/bà chắc chắn muốn xem?"
)
REVEALED_NOTE = "Danh tính chỉ hiện trong lần xem này và đã được ghi nhật ký."
DUE_OVERDUE = "Quá hạn"
DUE_SOON = "Sắp đến hạn"
COL_AT = "Thời gian"
COL_WHO = "Người thực hiện"
COL_WHAT = "Việc"
COL_DETAILS = "Chi tiết"
NO_EVENTS = "Chưa có trao đổi nào."
NO_ATTACHMENTS = "Không có tệp đính kèm."
DOWNLOAD = "Tải về"
ATTACHMENT_SIZE = "{kb} KB"

# --- Who wrote an entry of the conversation / the log ---
ACTOR_CITIZEN = "Công dân"
ACTOR_SYSTEM = "Hệ thống"
SIDE_INTERNAL = "Ghi chú nội bộ"

EVENT_LABELS = {
    "created": "Tiếp nhận đơn",
    "message_in": "Công dân nhắn",
    "message_out": "Trợ lý trả lời",
    "status_changed": "Đổi trạng thái",
    "staff_reply": "Cán bộ trả lời công dân",
    "notification_queued": "Tin báo chờ gửi",
    "notification_sent": "Đã gửi tin báo",
    "notification_failed": "Gửi tin báo lỗi",
    "supplement": "Công dân bổ sung",
    "rating": "Công dân đánh giá",
    "personal_data_erased": "Xoá dữ liệu cá nhân",
    "note": "Ghi chú nội bộ",
    "internal_note": "Ghi chú nội bộ",
    "assigned": "Giao xử lý",
    "taken": "Nhận xử lý",
    "deadline_extended": "Gia hạn",
    "extended": "Gia hạn",
    "duplicate": "Đánh dấu trùng đơn",
    "marked_duplicate": "Đánh dấu trùng đơn",
    "split": "Tách đơn",
    "identity_revealed": "Xem danh tính (được ghi nhật ký)",
    "reclassified": "Phân loại lại",
}

DELIVERY = {
    "queued": "Đang chờ gửi",
    "sent": "Đã gửi",
    "failed": "Gửi lỗi: {error}",
    "declined": "Công dân không nhận tin báo",
}

# --- Action forms ---
FORM_TAKE = "Nhận xử lý đơn này"
FORM_ASSIGN = "Giao cho cán bộ"
FORM_STATUS = "Đổi trạng thái"
FORM_EXTEND = "Gia hạn giải quyết"
FORM_NOTE = "Ghi chú nội bộ"
FORM_REPLY = "Trả lời công dân"
FORM_DUPLICATE = "Đánh dấu trùng đơn"
FORM_SPLIT = "Tách thành đơn mới"

FIELD_ASSIGNEE = "Cán bộ"
FIELD_STATUS = "Trạng thái mới"
FIELD_STATUS_NOTE = "Ghi chú gửi công dân (không bắt buộc)"
FIELD_REASON = "Lý do (khi không thụ lý, đình chỉ…)"
FIELD_ROUTED_TO = "Cơ quan đã hướng dẫn / chuyển đến"
FIELD_KIND = "Phân loại lại (không bắt buộc)"
FIELD_KIND_KEEP = "— giữ nguyên —"
FIELD_DAYS = "Số ngày gia hạn"
FIELD_EXTEND_REASON = "Lý do gia hạn"
FIELD_VERY_COMPLEX = "Vụ việc đặc biệt phức tạp"
FIELD_NOTE = "Ghi chú (chỉ cán bộ xem)"
FIELD_REPLY = "Nội dung trả lời (gửi cho công dân qua Telegram)"
FIELD_CANNED = "Chèn mẫu trả lời"
FIELD_CANNED_NONE = "— chọn mẫu —"
FIELD_ORIGINAL_CODE = "Mã đơn gốc"
FIELD_SPLIT_KIND = "Loại đơn mới"
FIELD_SPLIT_CONTENT = "Nội dung đơn mới"
FIELD_CHOOSE = "— chọn —"

BUTTON_TAKE = "Nhận xử lý"
BUTTON_ASSIGN = "Giao"
BUTTON_STATUS = "Cập nhật trạng thái"
BUTTON_EXTEND = "Gia hạn"
BUTTON_NOTE = "Lưu ghi chú"
BUTTON_REPLY = "Gửi trả lời"
BUTTON_DUPLICATE = "Đánh dấu trùng"
BUTTON_SPLIT = "Tách đơn"
CONFIRM_REPLY = "Gửi nội dung này cho công dân?"
CONFIRM_DUPLICATE = "Đánh dấu đơn này trùng với đơn gốc?"
NO_ACTIONS = "Ông/bà chỉ được xem đơn này."

# --- After an action: ?done=<key> ---
DONE = {
    "take": "Ông/bà đã nhận xử lý đơn.",
    "assign": "Đã giao đơn cho cán bộ.",
    "status": "Đã cập nhật trạng thái đơn.",
    "extend": "Đã gia hạn giải quyết đơn.",
    "note": "Đã lưu ghi chú nội bộ.",
    "reply": "Đã gửi trả lời; tin nhắn sẽ đến công dân trong giây lát.",
    "duplicate": "Đã đánh dấu đơn trùng.",
    "split": "Đã tách thành đơn mới.",
}
SPLIT_NEW = "Đơn mới:"

# --- Form problems ---
STALE = "Đơn vừa được người khác cập nhật. Vui lòng tải lại trang."
REQUIRED = "Vui lòng nhập {field}."
TOO_LONG = "{field} quá dài (tối đa {limit} ký tự, hiện có {length})."
BAD_NUMBER = "{field} phải là một số nguyên dương."
BAD_CHOICE = "Vui lòng chọn {field} trong danh sách."
BAD_FORM = "Biểu mẫu không hợp lệ. Vui lòng tải lại trang rồi thử lại."

# --- Admin: canned replies ---
CANNED_TITLE = "Mẫu trả lời"
CANNED_NEW = "Thêm mẫu trả lời"
CANNED_EDIT = "Sửa mẫu trả lời"
CANNED_FIELD_TITLE = "Tên mẫu"
CANNED_FIELD_TEXT = "Nội dung"
CANNED_FIELD_KIND = "Dùng cho loại đơn"
CANNED_FIELD_STATUS = "Dùng khi đơn ở trạng thái"
CANNED_FIELD_ACTIVE = "Đang dùng"
CANNED_ANY = "Mọi"
CANNED_SAVE = "Lưu mẫu"
CANNED_DEACTIVATE = "Ngừng dùng"
CANNED_CONFIRM_DEACTIVATE = "Ngừng dùng mẫu trả lời này?"
CANNED_EDIT_LINK = "Sửa"
CANNED_INACTIVE = "Ngừng dùng"
CANNED_ACTIVE = "Đang dùng"
CANNED_EMPTY = "Chưa có mẫu trả lời nào."
CANNED_UPDATED = "Cập nhật"
CANNED_SAVED = "Đã lưu mẫu trả lời."
CANNED_DEACTIVATED = "Đã ngừng dùng mẫu trả lời."
