"""Every text a citizen reads from the bot, kept together (Telegram HTML)."""

from __future__ import annotations

BOT_NAME = "Trợ lý Tiếp công dân khu vực Cẩm Phả"

WELCOME = (
    "Kính chào ông/bà{name}! Tôi là <b>{bot}</b>, trợ lý tự động của bộ phận tiếp "
    "công dân các phường Cẩm Phả, Cửa Ông, Quang Hanh, Mông Dương và xã Hải Hòa.\n\n"
    "Tôi có thể:\n"
    "• hướng dẫn thủ tục hành chính (khai sinh, kết hôn, chứng thực, cư trú, đất đai…);\n"
    "• hướng dẫn cách gửi phản ánh, kiến nghị, khiếu nại, tố cáo.\n\n"
    "Ông/bà cứ nhắn câu hỏi bằng lời của mình, có dấu hay không dấu đều được, "
    "hoặc chọn một mục bên dưới."
)

HELP = (
    "<b>Cách dùng trợ lý</b>\n"
    "• Nhắn câu hỏi như khi nói chuyện, ví dụ: <i>làm giấy khai sinh cho con cần gì</i>.\n"
    "• /menu — danh sách thủ tục để chọn, không cần gõ.\n"
    "• /start — bắt đầu lại.\n\n"
    "Thông tin chỉ mang tính hướng dẫn; kết quả giải quyết do cơ quan có thẩm quyền quyết định."
)

MENU_TITLE = "Ông/bà muốn tìm hiểu lĩnh vực nào? Chọn một mục bên dưới:"
TOPIC_TITLE = "<b>{topic}</b>\nChọn thủ tục ông/bà cần tìm hiểu:"
MENU_BUTTON_COMPLAINT = "📝 Gửi phản ánh, kiến nghị"
MENU_BUTTON_HELP = "❓ Hướng dẫn sử dụng"
MENU_BUTTON_BACK = "⬅️ Về danh mục chính"
MENU_BUTTON_BACK_TOPIC = "⬅️ Quay lại: {topic}"
FEEDBACK_HELPFUL = "👍 Hữu ích"
FEEDBACK_WRONG = "👎 Chưa đúng"
FEEDBACK_THANKS = "Cảm ơn ông/bà đã đánh giá!"
FEEDBACK_WRONG_ALTERNATIVES = (
    "Xin lỗi ông/bà vì câu trả lời chưa đúng ý. Góp ý của ông/bà đã được ghi lại. "
    "Có phải ông/bà muốn hỏi về một trong các thủ tục sau? Nếu không, ông/bà có thể hỏi "
    "lại bằng cách diễn đạt khác, hoặc mở danh mục."
)
FEEDBACK_WRONG_REPLY = (
    "Xin lỗi ông/bà vì câu trả lời chưa đúng ý. Góp ý của ông/bà đã được ghi lại để cán bộ "
    "hoàn thiện trợ lý. Ông/bà có thể hỏi lại bằng cách diễn đạt khác, hoặc chọn trong "
    "danh mục bên dưới."
)

UNITS_HEADING = "<b>Các đơn vị hành chính khu vực Cẩm Phả</b>"
UNIT_MISSING = "đang cập nhật, ông/bà vui lòng liên hệ bộ phận một cửa của phường/xã"
UNIT_OLD_NAME = "📍 {old} (tên cũ) nay thuộc <b>{unit}</b>."
UNIT_OLD_NAME_IN_PART = (
    "📍 Một phần {old} (tên cũ) nay thuộc <b>{unit}</b>; ông/bà vui lòng hỏi lại phường/xã "
    "để biết thôn, khu của mình thuộc đơn vị nào."
)
UNIT_LABELS = {
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "hours": "Giờ làm việc",
    "reception_schedule": "Lịch tiếp công dân",
}

GREET_REPLY = (
    "Kính chào ông/bà! Ông/bà cần hỏi thủ tục gì ạ? Có thể nhắn câu hỏi "
    "hoặc chọn trong danh sách bên dưới."
)
THANKS_REPLY = "Dạ, không có gì ạ. Nếu cần hỏi thêm, ông/bà cứ nhắn cho tôi nhé."
GOODBYE_REPLY = "Chào tạm biệt ông/bà. Chúc ông/bà một ngày tốt lành!"
BOT_CHALLENGE_REPLY = (
    "Tôi là trợ lý tự động (chatbot), không phải cán bộ. Tôi trả lời theo thông tin thủ "
    "tục đã được cập nhật; những việc cần xem xét cụ thể sẽ do cán bộ tiếp công dân giải quyết."
)

STATUS_HOWTO = (
    "Để biết tình hình giải quyết đơn đã gửi, ông/bà vui lòng liên hệ nơi tiếp công "
    "dân của UBND phường/xã đã nhận đơn, mang theo giấy biên nhận (nếu có). Với hồ sơ "
    "thủ tục nộp trực tuyến, ông/bà tra cứu trên Cổng Dịch vụ công bằng mã hồ sơ."
)

OUT_OF_SCOPE = (
    "Xin lỗi ông/bà, câu hỏi này nằm ngoài phạm vi tôi hỗ trợ. Tôi chỉ hướng dẫn các thủ "
    "tục hành chính cấp phường/xã và việc gửi phản ánh, kiến nghị, khiếu nại, tố cáo. "
    "Ông/bà có thể chọn thủ tục trong danh sách bên dưới."
)

PICK_FIELD = (
    "Ông/bà muốn hỏi về lĩnh vực nào ạ? Mời ông/bà chọn bên dưới, hoặc gõ tên thủ tục "
    "(ví dụ: <i>đăng ký khai sinh</i>)."
)
TOPIC_CHOICE = "Về <b>{topic}</b>, ông/bà muốn hỏi thủ tục nào ạ? Mời ông/bà chọn bên dưới."
DID_YOU_MEAN = "Tôi chưa chắc đã hiểu đúng. Có phải ông/bà muốn hỏi về một trong các thủ tục sau?"
NOT_UNDERSTOOD = (
    "Xin lỗi, tôi chưa hiểu câu hỏi. Ông/bà có thể nói rõ hơn tên thủ tục "
    "(ví dụ: <i>đăng ký khai sinh</i>) hoặc chọn trong danh sách bên dưới."
)

NLU_DOWN = (
    "Xin lỗi ông/bà, trợ lý tạm thời chưa thể hiểu câu hỏi lúc này. Ông/bà vui lòng thử "
    "lại sau ít phút hoặc chọn thủ tục trong danh sách bên dưới (/menu)."
)

UNSUPPORTED_MESSAGE = (
    "Xin lỗi, hiện tôi chỉ đọc được tin nhắn chữ. Ông/bà vui lòng gõ câu hỏi "
    "hoặc dùng /menu để chọn thủ tục."
)

UNKNOWN_COMMAND = (
    "Xin lỗi, tôi không biết lệnh này. Ông/bà có thể dùng /menu để xem danh sách thủ tục "
    "hoặc /help để xem hướng dẫn."
)

ERROR = (
    "Xin lỗi ông/bà, hệ thống vừa gặp sự cố khi xử lý yêu cầu. Ông/bà vui lòng thử lại sau ít phút."
)

ANSWER_NOT_FOUND = (
    "Xin lỗi, nội dung thủ tục này đang được cập nhật. Ông/bà vui lòng chọn mục khác."
)

# Command list registered with setMyCommands (command, description).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Bắt đầu, giới thiệu trợ lý"),
    ("menu", "Danh sách thủ tục"),
    ("help", "Hướng dẫn sử dụng"),
)
