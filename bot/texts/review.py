"""Texts of the pages "Câu hỏi chưa trả lời được" and "Thử câu hỏi", in Vietnamese."""

from __future__ import annotations

# --- Names of the intents that have no FAQ answer (the conversation intents) ---
CONVERSATION_LABELS = {
    "greet": "Chào hỏi",
    "complaint": "Gửi đơn khiếu nại, tố cáo, kiến nghị",
    "case_status": "Hỏi tình trạng đơn",
    "out_of_scope": "Ngoài phạm vi hỗ trợ",
    "thanks": "Cảm ơn",
    "goodbye": "Chào tạm biệt",
    "bot_challenge": "Hỏi có phải máy trả lời không",
}

# --- Câu hỏi chưa trả lời được ---
UNANSWERED_TITLE = "Câu hỏi chưa trả lời được"
UNANSWERED_INTRO = (
    "Câu hỏi của người dân mà hệ thống chưa trả lời được, và câu trả lời bị đánh giá "
    "“Chưa đúng”, mới nhất trước; các câu giống nhau (kể cả viết không dấu) được gộp "
    "lại. Gán câu hỏi cho đúng ý định để dùng làm câu mẫu (đánh dấu “từ người dân”), "
    "hoặc bỏ qua. Đây là nội dung người dân tự nhập, chỉ dùng cho việc cải thiện hệ thống."
)
UNANSWERED_EMPTY = "Không còn câu hỏi nào cần xem xét."
UNANSWERED_CAPPED = "Đang hiển thị {shown} nhóm mới nhất trên tổng số {total} nhóm."
UNANSWERED_COUNT = "{count} lần"
UNANSWERED_LAST = "Lần gần nhất: {at}"
UNANSWERED_TYPED = "Cách người dân đã viết"
UNANSWERED_RANKED = "Hệ thống đoán"
UNANSWERED_NO_RANKING = "Không có kết quả phân loại."
REASON_FALLBACK = "Chưa trả lời được"
REASON_NOT_RIGHT = "Bị đánh giá “Chưa đúng” cho: {title}"
ASSIGN_LABEL = "Gán cho ý định"
ASSIGN_PLACEHOLDER = "— Chọn ý định —"
ASSIGN_GROUP_FAQ = "Thủ tục, câu hỏi thường gặp"
ASSIGN_GROUP_CONVERSATION = "Ý định hội thoại"
ASSIGN_ONE = "Gán câu này"
ASSIGN_GROUP = "Gán cả nhóm ({count})"
DISMISS_ONE = "Bỏ qua câu này"
DISMISS_GROUP = "Bỏ qua cả nhóm"
DISMISS_CONFIRM = "Bỏ qua các câu hỏi này? Chúng sẽ không hiện ở đây nữa."
DONE_ASSIGNED = "Đã gán {count} câu hỏi cho ý định “{title}”; câu mẫu mới có hiệu lực từ lần huấn luyện tiếp theo."
DONE_DISMISSED = "Đã bỏ qua {count} câu hỏi."
PROBLEM_NO_ITEMS = "Vui lòng chọn ít nhất một câu hỏi."
PROBLEM_NO_INTENT = "Vui lòng chọn ý định để gán."
PROBLEM_UNKNOWN_INTENT = "Ý định đã chọn không tồn tại hoặc đang tạm ngừng."
PROBLEM_ALREADY_REVIEWED = "Các câu hỏi này đã được người khác xử lý."

# --- Thử câu hỏi ---
TRY_TITLE = "Thử câu hỏi"
TRY_INTRO = (
    "Nhập một câu như người dân sẽ hỏi để xem mô hình xếp hạng ý định thế nào, hệ thống "
    "quyết định ra sao và trả lời đúng như trên Telegram."
)
TRY_FIELD = "Câu hỏi"
TRY_SUBMIT = "Thử"
TRY_TOO_LONG = "Câu hỏi dài quá {limit} ký tự, vui lòng rút gọn."
TRY_EMPTY = "Vui lòng nhập câu hỏi."
TRY_ACTIVE = "Mô hình đang dùng"
TRY_CANDIDATE = "Mô hình mới (chưa kích hoạt)"
TRY_VERSION = "Phiên bản: {version}"
TRY_NO_CANDIDATE = "Hiện không có mô hình mới nào chờ kích hoạt."
TRY_RANKING = "Xếp hạng ý định"
TRY_DECISION = "Quyết định"
TRY_REPLY = "Câu trả lời hệ thống sẽ gửi"
TRY_BUTTONS = "Các nút kèm theo"
TRY_CONFIDENCE = "Độ tin cậy"
TRY_OFF_TOPIC = (
    "Câu này có vẻ không thuộc các thủ tục (bộ kiểm tra câu ngoài phạm vi), nên hệ thống "
    "chỉ gợi ý thủ tục để người dân chọn, không trả lời ngay."
)
TRY_GATE = (
    "Hệ thống chưa đủ chắc đây là câu trả lời đúng (bộ kiểm tra câu trả lời ước tính "
    "{probability} khả năng đúng, dưới ngưỡng {threshold}), nên chỉ gợi ý thủ tục để người "
    "dân chọn, không trả lời ngay."
)
TRY_STATUS_NOTE = (
    "Với câu hỏi về tình trạng đơn, hệ thống gửi danh sách đơn của chính người hỏi "
    "(nếu có), nên không hiển thị ở đây."
)
TRY_NLU_DOWN = (
    "Máy chủ hiểu ngôn ngữ (NLU) hiện không phản hồi, nên chưa thử được với mô hình đang "
    "dùng. Người dân lúc này nhận câu trả lời dự phòng bên dưới. Vui lòng thử lại sau ít phút."
)
TRY_CANDIDATE_PENDING = (
    "Đang chạy mô hình mới cho câu này (mất khoảng 10–20 giây vì mô hình phải được nạp "
    "riêng); kết quả sẽ tự hiện ra."
)
TRY_CANDIDATE_FAILED = "Không chạy được mô hình mới cho câu này: {error}"
TRY_CANDIDATE_TIMEOUT = "Mô hình mới không trả lời trong {seconds} giây."
TRY_CANDIDATE_MISSING = "Không tìm thấy tệp của mô hình mới trên máy chủ."
TRY_DIFFERENT = "Khác với mô hình đang dùng"
DECISION_LABELS = {
    "faq": "Trả lời thủ tục",
    "complaint": "Mời gửi đơn",
    "status": "Tra cứu tình trạng đơn",
    "greet": "Chào hỏi",
    "smalltalk": "Trò chuyện",
    "fallback": "Chưa trả lời được / gợi ý",
}
