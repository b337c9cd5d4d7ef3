"""Every text a citizen reads in the case flows (lodging, tracking, privacy), Telegram HTML.

Values typed by citizens are escaped by the handlers before they are put into these.
"""

from __future__ import annotations

# Commands added to the client's command list (command, description).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("phananh", "Gửi phản ánh, kiến nghị, khiếu nại, tố cáo"),
    ("tracuu", "Tra cứu đơn đã gửi"),
    ("quyenriengtu", "Dữ liệu cá nhân của ông/bà"),
    ("huy", "Huỷ thao tác đang làm"),
)

# --- In a group chat: cases are personal, handled only in a private chat ---
PRIVATE_ONLY = (
    "Vì đơn và thông tin cá nhân của mỗi người cần được giữ riêng, việc gửi đơn, tra cứu "
    "đơn và xem, xoá dữ liệu cá nhân chỉ làm được trong <b>tin nhắn riêng</b> với trợ lý. "
    "Ông/bà vui lòng bấm vào tên trợ lý và nhắn riêng ạ."
)

# --- Offered when the NLU recognises a complaint (wired in by the question handler) ---
OFFER_START = (
    "Có vẻ ông/bà muốn gửi phản ánh, kiến nghị, khiếu nại hoặc tố cáo. "
    "Ông/bà có muốn gửi ngay qua trợ lý không? Tôi sẽ hỏi từng bước."
)
BUTTON_START = "📝 Bắt đầu gửi phản ánh"

# --- 1. Kind ---
ASK_KIND = (
    "<b>Ông/bà muốn gửi loại đơn nào?</b>\n\n"
    "📣 <b>Kiến nghị, phản ánh</b> — báo cho chính quyền một việc chưa ổn hoặc góp ý, "
    "đề xuất. <i>Ví dụ: đèn đường hỏng, ngập nước, rác thải, nổ mìn khai thác than làm "
    "nứt nhà.</i>\n\n"
    "⚖️ <b>Khiếu nại</b> — đề nghị xem xét lại một quyết định hoặc việc làm của cơ quan, "
    "cán bộ nhà nước mà ông/bà cho là sai và ảnh hưởng đến quyền lợi của mình. "
    "<i>Ví dụ: không đồng ý với quyết định thu hồi đất hay mức bồi thường.</i>\n\n"
    "🚨 <b>Tố cáo</b> — báo hành vi vi phạm pháp luật của cán bộ hoặc bất kỳ ai. "
    "<i>Ví dụ: cán bộ đòi tiền khi làm thủ tục, lấn chiếm đất công.</i>\n\n"
    "Có thể bấm /huy bất cứ lúc nào để thôi."
)
KIND_LABELS = {
    "phan_anh": "Kiến nghị, phản ánh",
    "khieu_nai": "Khiếu nại",
    "to_cao": "Tố cáo",
}
KIND_BUTTONS = {
    "phan_anh": "📣 Kiến nghị, phản ánh",
    "khieu_nai": "⚖️ Khiếu nại",
    "to_cao": "🚨 Tố cáo",
}

# --- 2. Consent, per purpose ---
ASK_CONSENT_HANDLING = (
    "<b>Đồng ý xử lý dữ liệu cá nhân — mục đích 1: tiếp nhận và giải quyết đơn</b>\n\n"
    "• <b>Thu thập:</b> loại đơn, nơi xảy ra sự việc, nội dung, ảnh và tệp ông/bà gửi, "
    "vị trí (nếu gửi); họ tên, số điện thoại; với khiếu nại, tố cáo thêm số định danh cá "
    "nhân và địa chỉ nơi ở.\n"
    "• <b>Để làm gì:</b> tiếp nhận, phân loại, xác minh, giải quyết và trả lời đơn.\n"
    "• <b>Ai giữ:</b> bộ phận tiếp công dân của UBND phường/xã ông/bà chọn; chỉ cán bộ "
    "được giao mới xem. Danh tính người tố cáo được giữ bí mật.\n"
    "• <b>Giữ bao lâu:</b> trong thời gian giải quyết, sau đó theo thời hạn lưu trữ hồ sơ "
    "tiếp công dân do pháp luật quy định.\n"
    "• <b>Quyền của ông/bà:</b> xem, sửa, yêu cầu xoá, rút lại đồng ý — dùng /quyenriengtu.\n\n"
    "Ông/bà có đồng ý không?"
)
ASK_CONSENT_NOTIFY = (
    "<b>Mục đích 2: gửi tin báo về đơn</b>\n"
    "Ông/bà có đồng ý để chúng tôi nhắn tin qua Telegram này khi đơn có tiến triển hoặc "
    "khi cán bộ trả lời không? Nếu không đồng ý, ông/bà vẫn xem được tình hình bằng /tracuu."
)
BUTTON_AGREE = "✅ Tôi đồng ý"
BUTTON_DISAGREE = "❌ Không đồng ý"
CONSENT_REFUSED = (
    "Chúng tôi tôn trọng quyết định của ông/bà. Đơn không được tạo và không thông tin cá "
    "nhân nào được lưu lại.\n"
    "Ông/bà vẫn có thể gửi đơn trực tiếp tại nơi tiếp công dân của UBND phường/xã, qua "
    "đường bưu chính hoặc trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."
)

# --- 3. Where ---
ASK_UNIT = (
    "Sự việc thuộc <b>phường/xã nào</b>? Chọn bên dưới, hoặc gõ tên — tên phường cũ "
    "như <i>Cẩm Trung</i>, <i>Cẩm Thủy</i> cũng được."
)
UNIT_NOT_FOUND = (
    "Tôi chưa nhận ra đơn vị «{text}». Khu vực Cẩm Phả hiện gồm phường Cẩm Phả, Cửa Ông, "
    "Quang Hanh, Mông Dương và xã Hải Hòa; ông/bà vui lòng chọn một nút bên dưới."
)
UNIT_MATCHED = "Tôi hiểu «{old}» thuộc <b>{unit}</b>."
ASK_ADDRESS = (
    "<b>Địa chỉ cụ thể</b> nơi xảy ra sự việc: số nhà, đường, tổ, khu hoặc thôn? "
    "<i>Ví dụ: tổ 7, khu 2, đường Trần Phú.</i>"
)
ASK_LOCATION = (
    "Nếu có thể, ông/bà gửi <b>vị trí</b> nơi xảy ra sự việc (bấm 📎 → Vị trí) để cán bộ "
    "tìm đến dễ hơn. Việc này không bắt buộc."
)
BUTTON_SKIP = "Bỏ qua"
LOCATION_SAVED = "📍 Đã nhận vị trí."

# --- 4. Who ---
ASK_IDENTITY = {
    "phan_anh": (
        "Ông/bà muốn <b>để lại họ tên và số điện thoại</b> hay <b>gửi ẩn danh</b>?\n"
        "Phản ánh ẩn danh vẫn được tiếp nhận, nhưng cán bộ không liên hệ lại được để hỏi thêm."
    ),
    "to_cao": (
        "Theo Luật Tố cáo, người tố cáo cần cho biết họ tên, địa chỉ và cách liên lạc; "
        "<b>danh tính người tố cáo được giữ bí mật</b>.\n"
        "Nếu gửi ẩn danh, nội dung chỉ được xử lý như <b>tin báo</b> về vi phạm, "
        "<b>không giải quyết theo Luật Tố cáo</b>, và ông/bà sẽ không nhận được kết luận "
        "giải quyết tố cáo."
    ),
}
BUTTON_NAMED = "👤 Để lại thông tin"
BUTTON_ANONYMOUS = "🕶 Gửi ẩn danh"
ANONYMOUS_DENUNCIATION = (
    "Ông/bà đã chọn gửi ẩn danh: nội dung sẽ được tiếp nhận như <b>tin báo</b>, "
    "không giải quyết theo Luật Tố cáo."
)
BUTTON_SHARE_PHONE = "📱 Gửi số điện thoại của tôi"

# --- 4–5. Typed answers ---
ASK_FIELD = {
    "name": "Xin ông/bà cho biết <b>họ và tên</b> đầy đủ.",
    "phone": (
        "Xin ông/bà cho biết <b>số điện thoại</b> để cán bộ liên hệ khi cần: bấm nút "
        "«📱 Gửi số điện thoại của tôi» bên dưới, hoặc gõ số (ví dụ 0912 345 678)."
    ),
    "id_number": (
        "Xin ông/bà cho biết <b>số định danh cá nhân</b> (12 chữ số trên thẻ căn cước). "
        "Vui lòng gõ số, <b>không gửi ảnh thẻ căn cước</b>."
    ),
    "home_address": (
        "<b>Địa chỉ nơi ở</b> hiện nay của ông/bà (số nhà, tổ, khu hoặc thôn, phường/xã)?"
    ),
    "content": (
        "Ông/bà hãy mô tả <b>việc cần phản ánh, kiến nghị</b>: việc gì chưa ổn, từ khi nào, "
        "ảnh hưởng thế nào, ông/bà đề xuất gì. Có thể gửi nhiều tin nhắn."
    ),
    "act": (
        "Ông/bà khiếu nại <b>quyết định hoặc việc làm nào</b>? Ghi số, ngày của quyết định "
        "(nếu có), nội dung và lý do ông/bà cho là không đúng. Có thể gửi nhiều tin nhắn."
    ),
    "issuer": "<b>Cơ quan hoặc người nào</b> đã ra quyết định hoặc làm việc đó?",
    "learnt_on": (
        "Ông/bà <b>biết được</b> quyết định hoặc việc làm đó từ ngày nào? "
        "Gõ ngày/tháng/năm, ví dụ 15/10/2026."
    ),
    "request": (
        "Ông/bà <b>đề nghị giải quyết</b> thế nào? "
        "<i>Ví dụ: huỷ quyết định, xem xét lại mức bồi thường.</i>"
    ),
    "accused": (
        "Ông/bà tố cáo <b>ai</b>? Ghi họ tên, chức vụ, nơi làm việc hoặc đặc điểm nhận "
        "biết (nếu biết)."
    ),
    "violation": (
        "Người đó đã có <b>hành vi vi phạm</b> gì? Mô tả cụ thể sự việc. Có thể gửi nhiều tin nhắn."
    ),
    "when": "Hành vi đó xảy ra <b>khi nào</b>? (ngày, tháng hoặc khoảng thời gian)",
}
FIELD_LABELS = {
    "name": "Họ tên",
    "phone": "Số điện thoại",
    "id_number": "Số định danh cá nhân",
    "home_address": "Địa chỉ nơi ở",
    "content": "Nội dung",
    "act": "Quyết định, việc làm bị khiếu nại",
    "issuer": "Cơ quan, người ban hành",
    "learnt_on": "Ngày biết được",
    "request": "Đề nghị",
    "accused": "Người bị tố cáo",
    "violation": "Hành vi vi phạm",
    "when": "Thời gian",
}
PART_SAVED = "Đã ghi lại. Ông/bà có thể gửi tiếp, hoặc bấm «✅ Xong» khi đã đủ."
BUTTON_DONE = "✅ Xong"
LATE_COMPLAINT = (
    "⚠️ Đã quá <b>90 ngày</b> kể từ ngày ông/bà biết quyết định, việc làm này. Thời hiệu "
    "khiếu nại là 90 ngày; đơn quá hạn có thể không được thụ lý, trừ khi có lý do chính "
    "đáng (ốm đau, thiên tai, đi công tác xa…). Ông/bà vẫn có thể gửi và nêu lý do trong đơn."
)

# --- Problems with an answer: the step stays the same ---
PROBLEMS = {
    "empty": "Tôi chưa nhận được nội dung. Ông/bà vui lòng trả lời bằng chữ.",
    "too_long": (
        "Nội dung dài quá {max_len} ký tự. Ông/bà vui lòng rút gọn, hoặc với phần mô tả thì "
        "chia thành nhiều tin nhắn."
    ),
    "no_words": "Tôi chỉ thấy biểu tượng hoặc ký hiệu. Ông/bà vui lòng trả lời bằng chữ.",
    "markup": "Họ tên không được chứa ký hiệu như &lt; &gt; * _ `. Vui lòng chỉ gõ chữ.",
    "name": "Họ tên chỉ gồm chữ cái và dấu cách, ví dụ: <i>Nguyễn Thị Lan</i>.",
    "phone": (
        "Số điện thoại chưa đúng. Vui lòng gõ số di động 10 chữ số (ví dụ 0912 345 678 hoặc "
        "+84 912 345 678), số máy bàn thì gõ cả mã vùng (ví dụ 0203 3862 123)."
    ),
    "id_number": (
        "Số định danh cá nhân gồm đúng <b>12 chữ số</b> in trên thẻ căn cước "
        "(ví dụ 022 188 001 234). Vui lòng gõ lại."
    ),
    "date": "Ngày chưa đúng. Vui lòng gõ ngày/tháng/năm, ví dụ 15/10/2026.",
    "date_future": "Ngày này chưa tới. Vui lòng kiểm tra lại.",
}
CONTACT_NOT_OWN = (
    "Vui lòng gửi số điện thoại của chính ông/bà (nút «📱 Gửi số điện thoại của tôi»)."
)
USE_BUTTONS = "Ông/bà vui lòng chọn một trong các nút bên dưới."
CHOOSE_AGAIN = (
    "Lựa chọn này đã cũ hoặc không còn hợp lệ. Ông/bà vui lòng chọn lại theo câu hỏi dưới đây."
)
NOT_HERE = (
    "Ở bước này tôi chưa dùng được nhãn dán, tin nhắn thoại hay loại tin này. "
    "Ông/bà vui lòng trả lời bằng chữ hoặc bấm nút."
)
NO_FILES_HERE = "Ảnh và tệp sẽ được nhận ở bước sau. Bây giờ ông/bà vui lòng trả lời câu hỏi:"

# --- 6. Attachments ---
ASK_ATTACHMENTS = (
    "Ông/bà có <b>ảnh hoặc giấy tờ</b> liên quan không (ảnh chụp, tệp PDF; cũng có thể gửi "
    "vị trí)? Gửi lần lượt, tối đa {max_count} tệp, mỗi tệp không quá {max_mb} MB; gửi xong "
    "bấm «✅ Xong». Không có thì bấm «Bỏ qua».\n"
    "<i>Xin đừng gửi ảnh thẻ căn cước.</i>"
)
ATTACHMENT_SAVED = "📎 Đã nhận «{name}» ({count}/{max_count}). Gửi thêm hoặc bấm «✅ Xong»."
ATTACHMENT_TOO_BIG = (
    "Tệp «{name}» lớn hơn {max_mb} MB nên không nhận được. Ông/bà vui lòng gửi tệp nhỏ "
    "hơn (ví dụ chụp từng trang)."
)
ATTACHMENT_TOO_MANY = "Đã đủ {max_count} tệp, không nhận thêm. Bấm «✅ Xong» để tiếp tục."
ATTACHMENT_BAD_TYPE = (
    "Chỉ nhận ảnh (JPG, PNG, WEBP, HEIC) và tệp PDF. Tệp «{name}» không thuộc các loại này."
)
ATTACHMENT_FAILED = "Xin lỗi, tôi chưa tải được tệp này. Ông/bà vui lòng gửi lại."
ATTACHMENT_NOT_SAVED = (
    "Xin lỗi, hệ thống tạm thời chưa lưu được tệp «{name}». Những gì ông/bà đã nhập vẫn "
    "được giữ nguyên; ông/bà vui lòng gửi lại tệp sau ít phút."
)
PHOTO_NAME = "ảnh {number}"

# --- Hostile or excessive input: edits, floods, too many cases ---
EDIT_NOT_READ = (
    "Tôi không đọc được nội dung tin nhắn đã sửa. Ông/bà vui lòng gửi lại thành một tin nhắn mới."
)
SLOW_DOWN = (
    "Ông/bà đang gửi tin nhắn hơi nhanh. Xin vui lòng chờ khoảng một phút rồi gửi tiếp; "
    "các tin gửi trong lúc này sẽ không được xử lý."
)
TOO_MANY_CASES = (
    "Hôm nay ông/bà đã gửi {count} đơn qua trợ lý này, là số đơn tối đa trong một ngày. "
    "Ông/bà vui lòng gửi tiếp vào ngày mai, hoặc liên hệ trực tiếp Ban Tiếp công dân "
    "nếu việc cần gấp."
)
SUPPLEMENT_TOO_LONG = (
    "Nội dung bổ sung lần này đã đạt giới hạn {max_len} ký tự. Ông/bà vui lòng bấm "
    "«✅ Xong» để gửi phần đã nhập, rồi bổ sung tiếp lần sau nếu cần."
)

# --- 7. Summary, edit, confirm, cancel ---
SUMMARY_TITLE = "<b>Vui lòng kiểm tra lại đơn của ông/bà</b>"
SUMMARY_ROWS = {
    "kind": "Loại đơn",
    "unit": "Đơn vị",
    "address": "Địa chỉ sự việc",
    "location": "Vị trí",
    "identity": "Người gửi",
    "attachments": "Tệp đính kèm",
}
LOCATION_SENT = "đã gửi"
LOCATION_NONE = "không gửi"
ANONYMOUS = "ẩn danh"
NAMED = "có để lại thông tin"
ATTACHMENT_COUNT = "{count} tệp"
SUMMARY_SIGN = (
    "Bấm «✅ Xác nhận gửi» là ông/bà xác nhận những thông tin trên là đúng sự thật, "
    "thay cho chữ ký trên đơn."
)
SUMMARY_SIGN_DENUNCIATION = (
    "Người tố cáo phải chịu trách nhiệm về việc tố cáo sai sự thật. " + SUMMARY_SIGN
)
BUTTON_CONFIRM = "✅ Xác nhận gửi"
BUTTON_EDIT = "✏️ Sửa"
BUTTON_CANCEL = "❌ Huỷ đơn"
BUTTON_BACK = "⬅️ Quay lại"
ASK_EDIT = "Ông/bà muốn sửa mục nào?"
CANCELLED = "Đã huỷ. Đơn chưa được gửi và những gì ông/bà vừa nhập đã được xoá."
NOTHING_TO_CANCEL = "Hiện không có thao tác nào đang làm dở."
ASK_ABANDON = "Ông/bà đang soạn dở một đơn. Bỏ đơn này để bắt đầu lại từ đầu?"
BUTTON_ABANDON = "Bỏ đơn đang soạn"
BUTTON_CONTINUE = "Tiếp tục soạn"
CONTINUE = "Ta tiếp tục nhé."
DATABASE_DOWN = (
    "Xin lỗi ông/bà, hệ thống lưu trữ đang tạm gián đoạn nên đơn <b>chưa được gửi</b>. "
    "Nội dung đơn vẫn được giữ nguyên; ông/bà vui lòng bấm «✅ Xác nhận gửi» lại sau ít phút."
)
RECEIPT = (
    "✅ <b>Đã tiếp nhận đơn của ông/bà.</b>\n"
    "Mã tra cứu: <code>{code}</code>\n"
    "Đơn vị tiếp nhận: {unit}\n\n"
    "Chậm nhất ngày <b>{due}</b> ({days} ngày làm việc), cơ quan sẽ thông báo cho ông/bà "
    "đơn được thụ lý giải quyết, được chuyển đi hay không thụ lý (kèm lý do).\n"
    "Xem tình hình đơn: gõ <code>/tracuu {code}</code>."
)
RECEIPT_AS_INFORMATION = "\nNội dung được tiếp nhận như tin báo, không theo Luật Tố cáo."
RECEIPT_NO_NOTIFY = "\nÔng/bà đã không nhận tin báo tự động; hãy dùng /tracuu để xem."
RESUME_OFFER = (
    "Ông/bà còn một đơn đang soạn dở. Khi muốn gửi tiếp, ông/bà bấm «Tiếp tục soạn đơn» "
    "để trả lời tiếp từ câu hỏi đang dừng."
)
BUTTON_RESUME = "📝 Tiếp tục soạn đơn"
DRAFT_GONE = "Đơn này không còn đang soạn. Gõ /phananh để gửi đơn mới, /tracuu để xem đơn đã gửi."

# --- Following up ---
STATUS_LABELS = {
    "received": "Đã tiếp nhận, đang chờ phân loại",
    "classified": "Đã phân loại, đang xem xét thẩm quyền",
    "guided": "Đã hướng dẫn gửi đến cơ quan có thẩm quyền",
    "transferred": "Đã chuyển đến cơ quan có thẩm quyền",
    "not_accepted": "Không thụ lý (xem lý do)",
    "accepted": "Đã thụ lý giải quyết",
    "in_progress": "Đang xác minh, giải quyết",
    "extended": "Đã gia hạn thời gian giải quyết",
    "answered": "Đã có kết quả trả lời",
    "closed": "Đã kết thúc",
    "withdrawn": "Ông/bà đã rút đơn",
    "suspended": "Tạm đình chỉ giải quyết",
}
CASE_DETAIL = (
    "<b>Đơn {code}</b>\n"
    "Loại: {kind}\n"
    "Đơn vị: {unit}\n"
    "Ngày nhận: {received}\n"
    "Tình trạng: <b>{status}</b>\n"
    "Hạn thông báo việc xử lý đơn: {due}"
)
CASE_LAST_UPDATE = "\nCập nhật mới nhất: {note}"
CASE_LIST_TITLE = "<b>Đơn ông/bà đã gửi</b> (mới nhất trước):"
CASE_LIST_ROW = "• <code>{code}</code> — {kind} — {status}"
CASE_LIST_HINT = "Gõ <code>/tracuu MÃ</code> để xem chi tiết một đơn."
NO_CASES = "Ông/bà chưa gửi đơn nào qua trợ lý này. Để gửi, gõ /phananh."
CASE_NOT_FOUND = (
    "Không tìm thấy đơn có mã <code>{code}</code>. Vui lòng kiểm tra lại mã "
    "(dạng QH-2611-0042) trong tin nhắn tiếp nhận đơn."
)
BAD_CODE = "Mã tra cứu có dạng <code>QH-2611-0042</code>. Vui lòng kiểm tra lại."
BUTTON_SUPPLEMENT = "📎 Bổ sung thông tin"

# --- Notifications (through the outbox) ---
NOTIFY_STATUS = "🔔 <b>Đơn {code}</b> có cập nhật.\nTình trạng: <b>{status}</b>"
NOTIFY_NOTE = "\n{note}"
NOTIFY_FOOTER = "\n\nXem chi tiết: /tracuu {code}"
NOTIFY_REPLY = "💬 <b>Trả lời về đơn {code}</b>\n{text}"
ASK_RATING = (
    "\n\nÔng/bà đánh giá thế nào về việc giải quyết đơn? Chọn từ 1 (rất không hài lòng) "
    "đến 5 (rất hài lòng)."
)

# --- Supplement ---
ASK_SUPPLEMENT = (
    "Ông/bà gửi thêm nội dung, ảnh hoặc tệp cho đơn <code>{code}</code>. Gửi xong bấm "
    "«✅ Xong»; gõ /huy để thôi."
)
SUPPLEMENT_PART_SAVED = "Đã nhận. Gửi thêm hoặc bấm «✅ Xong»."
SUPPLEMENT_DONE = "✅ Đã bổ sung vào đơn <code>{code}</code>. Cảm ơn ông/bà."
SUPPLEMENT_EMPTY = "Ông/bà chưa gửi thêm gì nên đơn giữ nguyên."
SUPPLEMENT_CLOSED = (
    "Đơn <code>{code}</code> đã kết thúc nên không bổ sung được. Nếu có việc mới, "
    "ông/bà gửi đơn mới bằng /phananh."
)

# --- Rating ---
RATING_THANKS = (
    "Cảm ơn ông/bà đã đánh giá {rating}/5. Ông/bà có muốn góp ý thêm không? "
    "Gõ góp ý, hoặc bấm «Bỏ qua»."
)
RATING_COMMENT_THANKS = "Cảm ơn góp ý của ông/bà."
RATING_ALREADY = "Ông/bà đã đánh giá đơn này rồi. Cảm ơn ông/bà."

# --- Privacy ---
PRIVACY = (
    "<b>Dữ liệu cá nhân của ông/bà</b>\n\n"
    "Chúng tôi lưu: mã tài khoản Telegram (để trả lời, gửi tin báo); câu hỏi ông/bà nhắn "
    "(để cải thiện trợ lý); với mỗi đơn: loại đơn, nơi xảy ra, nội dung, ảnh và tệp, vị trí "
    "(nếu gửi), họ tên, số điện thoại, số định danh cá nhân, địa chỉ (nếu ông/bà cung cấp), "
    "thông tin bổ sung, đánh giá và các lần ông/bà đồng ý.\n"
    "Mục đích: tiếp nhận, giải quyết đơn và gửi tin báo về đơn (khi ông/bà đồng ý). "
    "Bên giữ dữ liệu: bộ phận tiếp công dân của UBND phường/xã nhận đơn.\n\n"
    "<b>Thời hạn lưu:</b> câu hỏi được tự động xoá sau {question_days} ngày; đơn soạn dở bỏ "
    "quá {draft_days} ngày được xoá cùng ảnh, tệp của nó; dữ liệu cá nhân của đơn đã kết "
    "thúc được xoá sau {case_years} năm. Sổ tiếp công dân chỉ giữ lại mã đơn, loại đơn, đơn "
    "vị tiếp nhận, ngày nhận và kết quả, không kèm thông tin cá nhân.\n\n"
    "Ông/bà có quyền xem, yêu cầu sửa, xoá dữ liệu hoặc rút lại đồng ý. Yêu cầu được "
    "ghi lại để cán bộ trả lời trong 2 ngày làm việc."
)
BUTTON_PRIVACY_VIEW = "👁 Xem dữ liệu của tôi"
BUTTON_PRIVACY_DELETE = "🗑 Yêu cầu xoá dữ liệu"
PRIVACY_VIEW_TITLE = "<b>Dữ liệu chúng tôi đang lưu về ông/bà</b>"
PRIVACY_VIEW_CASE = "\n\n<b>Đơn {code}</b> ({kind})\n{rows}"
PRIVACY_VIEW_NOTHING = "\n\nChưa có đơn nào. Số câu hỏi đã lưu: {questions}."
PRIVACY_VIEW_QUESTIONS = "\n\nSố câu hỏi đã lưu: {questions}."
PRIVACY_VIEW_LOGGED = "\n\nYêu cầu xem dữ liệu đã được ghi lại (số {request})."
PRIVACY_CONFIRM_DELETE = (
    "Nếu ông/bà xác nhận, chúng tôi xoá ngay:\n"
    "• các câu hỏi ông/bà đã nhắn, đánh giá về câu trả lời và đơn đang soạn dở;\n"
    "• trong mọi đơn của ông/bà: họ tên, số điện thoại, số định danh cá nhân, địa chỉ, nơi "
    "xảy ra, vị trí, nội dung, ảnh và tệp, thông tin bổ sung, nhận xét khi đánh giá và các "
    "tin nhắn trao đổi về đơn;\n"
    "• các tin báo chưa gửi (sẽ không gửi nữa).\n\n"
    "<b>Đơn đang giải quyết sẽ được rút</b>: cơ quan dừng giải quyết vì không còn thông tin "
    "để xác minh và trả lời ông/bà; cán bộ sẽ thấy ghi chú «công dân rút đơn, xoá dữ liệu». "
    "Nếu ông/bà muốn đơn tiếp tục được giải quyết, xin chọn «Thôi, giữ nguyên».\n\n"
    "Theo quy định, sổ tiếp công dân vẫn giữ cho mỗi đơn một dòng không có thông tin cá "
    "nhân: mã đơn, loại đơn, đơn vị tiếp nhận, ngày nhận và kết quả.\n\n"
    "Ông/bà xác nhận xoá?"
)
BUTTON_PRIVACY_CONFIRM = "Xác nhận xoá"
BUTTON_PRIVACY_KEEP = "Thôi, giữ nguyên"
PRIVACY_DELETED = (
    "Đã ghi nhận yêu cầu xoá (số {request}). Đã xoá {questions} câu hỏi và dữ liệu cá nhân "
    "trong {cases} đơn.{withdrawn} Sổ tiếp công dân chỉ còn giữ mã đơn, loại đơn, đơn vị, "
    "ngày nhận và kết quả. Yêu cầu được ghi lại để cán bộ kiểm tra trong 2 ngày làm việc."
)
PRIVACY_WITHDRAWN = " {count} đơn đang giải quyết đã được rút."
# Staff-visible notes on a case's timeline (never sent to the citizen).
PRIVACY_CASE_NOTE = (
    "Công dân rút đơn, xoá dữ liệu: theo yêu cầu xoá dữ liệu cá nhân số {request}, "
    "thông tin cá nhân và nội dung đơn đã được xoá."
)
PRIVACY_RETENTION_NOTE = (
    "Hết thời hạn lưu giữ ({years} năm sau khi kết thúc): thông tin cá nhân và nội dung "
    "đơn đã được xoá."
)
PRIVACY_KEEP = "Dữ liệu được giữ nguyên."
