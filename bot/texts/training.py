"""Texts of the models page (training, evaluation, activation, rollback), in Vietnamese."""

from __future__ import annotations

# --- Progress of a training, stored on the model's row and shown while it runs ---
PROGRESS_QUEUED = "Đang chuẩn bị"
PROGRESS_EXPORT = "Đang xuất dữ liệu"
PROGRESS_TRAIN = "Đang huấn luyện"
PROGRESS_HELDOUT = "Đang đánh giá trên tập kiểm tra"
PROGRESS_ACTIVE_HELDOUT = "Đang đánh giá mô hình đang dùng trên tập kiểm tra"
PROGRESS_CROSSVAL = "Đang kiểm tra chéo ({folds} lượt)"
PROGRESS_DONE = "Xong"
PROGRESS_FAILED = "Thất bại"

# --- Why a training failed (stored in `error`) ---
FAILED_RASA = "Rasa báo lỗi khi huấn luyện (mã thoát {code}). Xem nhật ký bên dưới."
FAILED_NO_DATA = "Không có dữ liệu huấn luyện: chưa có ý định nào có câu mẫu."
FAILED_EXCEPTION = "Lỗi khi huấn luyện: {error}"
FAILED_STALE = (
    "Quá trình huấn luyện bị gián đoạn (chương trình đã dừng hoặc quá thời gian cho phép)."
)
EVALUATION_FAILED = "Không đánh giá được mô hình: {error}"

# --- Why an activation needs a second confirmation ---
REASON_WORSE = (
    "Độ chính xác trên tập kiểm tra giảm {drop} điểm phần trăm (từ {active} xuống "
    "{candidate}), nhiều hơn mức cho phép {margin} điểm."
)
REASON_NOT_EVALUATED = "Mô hình này chưa có kết quả đánh giá trên tập kiểm tra."

# --- The page ---
TITLE = "Mô hình hiểu câu hỏi"
INTRO = (
    "Huấn luyện mô hình mới từ các ý định và câu mẫu hiện có, so sánh với mô hình đang "
    "phục vụ công dân, rồi kích hoạt hoặc quay lại phiên bản cũ. Việc chuyển mô hình "
    "không làm gián đoạn việc trả lời công dân."
)
TRAIN = "Huấn luyện"
TRAIN_CONFIRM = "Bắt đầu huấn luyện mô hình mới? Việc này mất vài phút."
TRAIN_STARTED = "Đã bắt đầu huấn luyện phiên bản {version}."
TRAIN_BUSY = "Đang có một lần huấn luyện chạy (phiên bản {version}); vui lòng đợi xong."
RUNNING = "Đang huấn luyện phiên bản {version}"
STARTED_AT = "Bắt đầu lúc {at}"
LOG = "Nhật ký huấn luyện (phần cuối)"
LAST_FAILED = "Lần huấn luyện gần nhất ({version}) thất bại"

VERSIONS = "Các phiên bản"
COL_VERSION = "Phiên bản"
COL_STARTED = "Ngày huấn luyện"
COL_TRAINED_BY = "Người huấn luyện"
COL_FINGERPRINT = "Mã dữ liệu"
COL_STATUS = "Trạng thái"
COL_ACCURACY = "Độ chính xác (kiểm tra)"
COL_CROSSVAL = "Độ chính xác (kiểm tra chéo)"
COL_ACTIONS = ""
NO_MODELS = "Chưa có mô hình nào được huấn luyện từ bảng điều khiển."
ACTIVE_MARK = "Đang phục vụ"
FILE_MISSING = "đã xoá tệp"
STATUS_LABELS = {
    "training": "Đang huấn luyện",
    "failed": "Thất bại",
    "ready": "Sẵn sàng",
    "activating": "Đang kích hoạt",
    "active": "Đang dùng",
    "retired": "Đã lưu trữ",
}

ACTIVATE = "Kích hoạt"
ROLLBACK = "Quay lại phiên bản này"
ACTIVATE_CONFIRM = "Kích hoạt phiên bản {version} để trả lời công dân?"
ACTIVATION_REQUESTED = (
    "Đã yêu cầu kích hoạt phiên bản {version}. Bot đang khởi động mô hình mới; trang sẽ "
    "tự cập nhật khi xong."
)
ACTIVATING = "Đang kích hoạt phiên bản {version}…"
ACTIVATION_FAILED = "Kích hoạt phiên bản {version} không thành công: {error}"
CONFIRM_TITLE = "Xác nhận kích hoạt"
CONFIRM_INTRO = "Phiên bản {version} kém hơn mô hình đang dùng:"
CONFIRM_BUTTON = "Vẫn kích hoạt"
CONFIRM_CANCEL = "Huỷ"
NOT_ACTIVATABLE = {
    "already_active": "Phiên bản này đang được dùng.",
    "status": "Phiên bản này chưa sẵn sàng hoặc đã thất bại nên không kích hoạt được.",
    "missing_file": "Tệp mô hình của phiên bản này đã bị xoá nên không kích hoạt được.",
    "busy": "Đang có một phiên bản khác được kích hoạt; vui lòng đợi xong.",
}
MODEL_NOT_FOUND = "Không có phiên bản này."

COMPARE = "So sánh với mô hình đang dùng"
COMPARE_CANDIDATE = "Mô hình mới ({version})"
COMPARE_ACTIVE = "Đang dùng ({version})"
COMPARE_NO_ACTIVE = "Chưa có mô hình đang dùng để so sánh."
COMPARE_DELTA = "Chênh lệch"
HELDOUT = "Tập kiểm tra"
CROSSVAL = "Kiểm tra chéo"
METRIC_LABELS = {
    "accuracy": "Độ chính xác",
    "macro_f1": "F1 trung bình",
    "accuracy_no_diacritics": "Độ chính xác, câu không dấu",
    "oos_recall": "Nhận ra câu ngoài phạm vi",
    "false_fallback": "Từ chối nhầm câu trong phạm vi",
}
WORSE_INTENTS = "Các ý định kém đi"
NO_WORSE_INTENTS = "Không có ý định nào kém đi."
COL_INTENT = "Ý định"
NOT_MEASURED = "—"
