"""Texts of following a case up: refusals staff read, and notices the citizen receives.

Citizen notices here are plain text: `bot.cases.notify` escapes them and adds the
case's code, status and footer around them.
"""

from __future__ import annotations

# --- Refusals shown to staff (keys are WorkflowError.code) ---
ERRORS = {
    "stale": (
        "Đơn vừa được người khác cập nhật trong lúc ông/bà đang thao tác. Vui lòng tải lại "
        "trang, xem thay đổi mới nhất rồi thực hiện lại."
    ),
    "invalid_transition": "Không thể chuyển đơn từ tình trạng hiện tại sang tình trạng đã chọn.",
    "reason_required": "Vui lòng ghi rõ lý do không thụ lý; lý do sẽ được gửi cho công dân.",
    "routed_to_required": "Vui lòng ghi rõ cơ quan, đơn vị nhận đơn hoặc nơi hướng dẫn công dân đến.",
    "kind_only_when_classifying": "Chỉ đổi loại đơn được khi phân loại đơn.",
    "identity_required": (
        "Đơn khiếu nại phải có đủ họ tên, số điện thoại, số định danh và địa chỉ của người "
        "khiếu nại; đơn này thiếu nên không thể xếp là khiếu nại."
    ),
    "extend_with_deadline_form": "Để gia hạn, vui lòng dùng chức năng «Gia hạn giải quyết».",
    "not_extendable": "Chỉ gia hạn được đơn đã thụ lý và đang trong thời hạn giải quyết.",
    "extension_reason_short": "Vui lòng ghi lý do gia hạn cụ thể (ít nhất 10 ký tự).",
    "extension_days": "Số ngày gia hạn không hợp lệ: tối đa {max_days} ngày cho loại đơn này.",
    "extension_limit": "Đơn này đã gia hạn đủ số lần pháp luật cho phép.",
    "extension_not_very_complex": (
        "Tố cáo chỉ được gia hạn lần thứ hai khi vụ việc đặc biệt phức tạp; vui lòng xác nhận "
        "và nêu rõ lý do."
    ),
    "not_assignable": "Chỉ giao đơn được cho cán bộ, lãnh đạo đang làm việc của đơn vị có đơn.",
    "already_assigned": "Đơn đã được giao cho cán bộ này.",
    "empty_text": "Vui lòng nhập nội dung.",
    "original_not_found": "Không tìm thấy đơn gốc có mã này trong các đơn ông/bà được xem.",
    "same_case": "Đơn không thể trùng với chính nó.",
    "original_is_duplicate": "Đơn gốc đã được đánh dấu trùng với một đơn khác; hãy chọn đơn đó.",
    "case_not_open": "Đơn đã kết thúc nên không thể thực hiện thao tác này.",
    "canned_not_found": "Không tìm thấy câu trả lời mẫu này.",
    "canned_invalid": "Câu trả lời mẫu cần có tiêu đề (tối đa 100 ký tự) và nội dung.",
}

# --- Notes sent to the citizen with a status change (plain text, escaped later) ---
NOTE_GUIDED = "Ông/bà vui lòng liên hệ, gửi đơn đến: {where}."
NOTE_TRANSFERRED = "Đơn đã được chuyển đến {where} để xem xét, giải quyết theo thẩm quyền."
NOTE_NOT_ACCEPTED = "Lý do: {reason}"
NOTE_EXTENDED = "Thời hạn giải quyết được gia hạn đến hết ngày {due:%d/%m/%Y}."
NOTE_DUPLICATE_OWN = (
    "Nội dung đơn này trùng với đơn {original} ông/bà đã gửi trước đó, nên được gộp vào "
    "đơn {original} để giải quyết chung. Ông/bà theo dõi kết quả theo mã {original}."
)
NOTE_DUPLICATE = (
    "Nội dung đơn này trùng với một vụ việc đã được tiếp nhận và đang được xem xét, giải "
    "quyết, nên được gộp vào hồ sơ chung. Ông/bà không cần gửi lại; cảm ơn ông/bà đã "
    "phản ánh."
)
NOTE_SPLIT = (
    "Đơn {original} của ông/bà có một phần nội dung là {kind}, nên phần đó được tách thành "
    "đơn riêng này để giải quyết đúng quy định. Ông/bà tra cứu đơn mới bằng mã trên."
)
