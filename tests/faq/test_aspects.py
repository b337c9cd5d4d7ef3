"""Recognising what a question asks about: our own examples of how citizens ask."""

from __future__ import annotations

import pytest

from bot.faq.aspects import Aspect, asks_who_files, aspect_of_label, aspects_in, is_online_line

A = Aspect

LEADING = [
    # documents
    ("làm khai sinh cho con cần giấy tờ gì", A.DOCUMENTS),
    ("can mang theo nhung gi khi di dang ky ket hon", A.DOCUMENTS),
    ("hồ sơ gồm những gì ạ", A.DOCUMENTS),
    ("chuan bi gi de lam tam tru", A.DOCUMENTS),
    ("xin trích lục cần giấy j", A.DOCUMENTS),
    ("có cần mang sổ hộ khẩu không", A.DOCUMENTS),
    ("phai dem ban chinh khong", A.DOCUMENTS),
    ("muốn nhờ phường hòa giải thì làm đơn thế nào", A.DOCUMENTS),
    ("chủ nhà có phải ký gì không", A.DOCUMENTS),
    # where
    ("đăng ký thường trú nộp ở đâu", A.WHERE),
    ("lam so do thi nop cho nao", A.WHERE),
    ("tôi ở Mông Dương thì lên phường nào làm", A.WHERE),
    ("địa chỉ nơi nộp hồ sơ chứng thực", A.WHERE),
    ("nop o cong an phuong hay len ubnd", A.WHERE),
    # time
    ("làm căn cước mất bao lâu", A.TIME),
    ("bao nhieu ngay thi co giay phep xay dung", A.TIME),
    ("khai tử mấy hôm thì xong", A.TIME),
    ("khi nào nhận được kết quả lý lịch tư pháp", A.TIME),
    ("làm sổ đỏ có lâu không", A.TIME),
    ("mất bao nhiêu ngày", A.TIME),
    ("mấy ngày sau thì có kết quả", A.TIME),
    ("truoc e o Nhat 3 nam thi co lau hon ko", A.TIME),
    # fee
    ("lệ phí đăng ký kết hôn là bao nhiêu", A.FEE),
    ("chứng thực bản sao có mất phí không", A.FEE),
    ("làm căn cước mất bao nhiêu tiền", A.FEE),
    ("doi can cuoc het bao nhieu", A.FEE),
    ("đăng ký tạm trú tốn bao nhiêu", A.FEE),
    ("có miễn phí không ạ", A.FEE),
    ("nộp 50k có đủ không", A.FEE),
    ("bo me cho con thi co phai dong thue ko", A.FEE),
    # online
    ("có làm online được không", A.ONLINE),
    ("khai sinh trực tuyến thế nào", A.ONLINE),
    ("dang ky tam tru qua mang duoc ko", A.ONLINE),
    ("nộp trên VNeID được không", A.ONLINE),
    ("làm trên dịch vụ công có được không", A.ONLINE),
    # legal
    ("căn cứ pháp lý của thủ tục ly lịch tư pháp", A.LEGAL),
    ("theo luật nào mà phải đổi căn cước", A.LEGAL),
    ("quy định nào bắt phải có mặt hai bên", A.LEGAL),
    ("nghị định nào hướng dẫn việc này", A.LEGAL),
    # notes
    ("cần lưu ý gì khi làm khai tử", A.NOTES),
    ("nếu quá hạn đăng ký khai sinh thì sao", A.NOTES),
    ("trường hợp con sinh ở nước ngoài", A.NOTES),
    ("nhờ người làm hộ được không", A.NOTES),
    ("có phải ủy quyền không", A.NOTES),
    # notes: how long a paper stays valid
    ("giấy đấy dùng được bao lâu", A.NOTES),
    ("giay xac nhan co gia tri may thang", A.NOTES),
    ("phiếu lý lịch có hiệu lực bao lâu", A.NOTES),
    # notes: who has to file (answered from the section that says so)
    ("em đi một mình được không", A.NOTES),
    ("phieu so 2 nho bo me lam ho duoc ko", A.NOTES),
    ("tôi cầm giấy của mẹ lên thay được không", A.NOTES),
    ("bố đưa đi được không hay phải cả bố cả mẹ", A.NOTES),
    ("hai bên phải có mặt không", A.NOTES),
    ("co bat buoc chinh chu khong", A.NOTES),
]


@pytest.mark.parametrize(("text", "aspect"), LEADING)
def test_the_aspect_asked_about_leads(text: str, aspect: Aspect) -> None:
    found = aspects_in(text)
    assert found and found[0] is aspect, found


@pytest.mark.parametrize(
    "text",
    [
        "thủ tục đăng ký khai sinh",
        "cho hỏi về đăng ký kết hôn",
        "bao nhiêu",  # alone: neither time nor money
        "chuyển mục đích sang đất phi nông nghiệp",  # "phi" is not "phí"
        "xin hỗ trợ mai táng phí cho bố",  # a benefit's name, not a fee
        "xin chi phí mai táng",
        "con nằm viện, viện phí cao quá",
        "nộp hồ sơ khai sinh",  # "hồ sơ" is not "làm hộ"
        "đầu tiên tôi muốn hỏi về căn cước",  # "tiên" is not "tiền"
        "thời gian làm việc của phường",  # the office hours, not a processing time
        "bố tôi mất hôm qua, làm khai tử",  # "mất" + a day: a death, not a wait
        "làm sổ hộ khẩu",
        "cháu mồ côi cả bố lẫn mẹ",  # orphaned of both: not "both parents must come"
        "chứng thực chữ ký trên giấy ủy quyền",  # a paper's name
        "con nhỏ nhớ mẹ",  # "nhỏ", "nhớ" are not "nhờ"
        "đăng ký thay đổi hộ tịch",  # "thay đổi" is a change
        "nhà em đóng thuế đất đầy đủ",  # told, not asked
        "tôi có thuê nhà ở Cẩm Phả",  # "thuê" is a rent, not "thuế"
        "con lấy họ mẹ được không",  # a surname, not "lấy hộ"
        "con lay ho me duoc khong",
        "toi co thue nha o cam pha",
        "mấy ngày qua cả nhà lo tang lễ",  # a span told, not asked
        "tranh chấp lối đi chung mấy năm nay rồi",
        "",
    ],
)
def test_general_questions_and_lookalike_words_name_no_aspect(text: str) -> None:
    assert aspects_in(text) == []


def test_typed_with_or_without_diacritics_alike() -> None:
    pairs = [("lệ phí bao nhiêu", "le phi bao nhieu"), ("nộp ở đâu", "nop o dau")]
    for accented, bare in pairs:
        assert aspects_in(accented) == aspects_in(bare) != []


@pytest.mark.parametrize(
    "text",
    [
        "lợp lại mái tôn có phải xin phép không",  # "tôn" (iron sheets) is not "tốn"
        "người già thế nào",  # "già" is not "giá"
        "đi qua Hàn thì có được không",  # "Hàn" (Korea) is not "hạn"
    ],
)
def test_a_word_typed_with_other_marks_is_not_the_rule_s_word(text: str) -> None:
    assert aspects_in(text) == []
    # typed without marks, the same letters still count: "ton" may be "tốn"
    assert aspects_in("lop lai mai ton co phai xin phep khong") == [A.FEE]


def test_who_files_is_not_read_into_a_cost() -> None:
    assert asks_who_files("hai bên phải có mặt không")
    assert asks_who_files("hai ben phai co mat khong")
    # "có mất phí" typed either way is a cost, not a presence
    for text in ("nộp hồ sơ có mất phí không", "nop ho so co mat phi khong"):
        assert not asks_who_files(text)
        assert A.NOTES not in aspects_in(text)


def test_several_aspects_most_specific_first() -> None:
    assert aspects_in("nếu quá hạn thì lệ phí bao nhiêu") == [A.FEE, A.NOTES]
    assert aspects_in("làm online thì nộp giấy tờ gì") == [A.DOCUMENTS, A.ONLINE]
    assert aspects_in("tốn thời gian không") == [A.TIME]


def test_section_labels_and_online_lines() -> None:
    assert aspect_of_label("Giấy tờ cần chuẩn bị") is A.DOCUMENTS
    assert aspect_of_label("Nơi nộp") is A.WHERE
    assert aspect_of_label("Thời gian giải quyết") is A.TIME
    assert aspect_of_label("Lệ phí") is A.FEE
    assert aspect_of_label("Căn cứ pháp lý") is A.LEGAL
    assert aspect_of_label("Lưu ý") is A.NOTES
    assert aspect_of_label("Giờ làm việc") is None
    assert is_online_line("- Trực tuyến: ứng dụng VNeID")
    assert not is_online_line("- Trực tiếp: bộ phận một cửa")
