"""The aspects of a procedure a citizen may ask about, and recognising them in a text.

Recognition is a set of rules over the normalised, accent-folded text (what the NLU model
sees), so "bao lâu" and "bao lau" read alike. The rules follow how citizens ask: "cần mang
giấy tờ gì", "nộp ở đâu", "mất mấy ngày", "có mất phí không", "làm online được không",
"theo luật nào", "nếu quá hạn thì sao". Ambiguous words only count in company: "bao nhiêu"
alone is neither time nor fee, "phí" only as a word of its own, "tiền" only with a verb
of paying.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from nlu.normalize import normalize, strip_diacritics


class Aspect(StrEnum):
    """One part of a procedure's answer (an answer section, or online filing)."""

    DOCUMENTS = "documents"
    WHERE = "where"
    TIME = "time"
    FEE = "fee"
    ONLINE = "online"
    LEGAL = "legal"
    NOTES = "notes"


def _rule(*alternatives: str) -> re.Pattern[str]:
    """One aspect's rule: any of `alternatives`, each matched as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# Units of time after "bao nhiêu"/"mất"/"mấy": then the question is about time, not money.
_TIME_UNITS = r"(?:ngay|hom|tuan|thang|nam|lau|thoi gian|buoi)"
# A span asked after these is how long a paper stays valid (the notes), not a wait.
_NOT_VALIDITY = r"(?<!dung duoc )(?<!gia tri )(?<!tri trong )(?<!hieu luc )(?<!luc trong )"
# Offices a citizen may name when asking which one to file with.
_OFFICES = r"(?:cong an|ubnd|uy ban|phuong|xa|trung tam|mot cua|huyen|tinh|thanh pho)"

# In order of specificity: the first aspect found leads the reply. Legal basis and money are
# asked in words that mean nothing else; "nếu …", "trường hợp …" (notes) are the vaguest.
RULES: tuple[tuple[Aspect, re.Pattern[str]], ...] = (
    (
        Aspect.LEGAL,
        _rule(
            r"can cu",
            r"co so phap ly",
            r"phap ly",
            r"luat (?:nao|gi)",
            r"theo luat",
            r"dieu (?:may|nao|bao nhieu)",
            r"quy dinh (?:nao|gi|o dau|tai dau)",
            r"(?:nghi dinh|thong tu|van ban) (?:nao|gi|so may)",
        ),
    ),
    (
        Aspect.FEE,
        _rule(
            r"le phi",
            # not in a benefit's name: "mai táng phí", "viện phí", "học phí"
            r"(?<!tang )(?<!vien )(?<!hoc )phi(?! nong nghiep| mai tang)",
            r"chi phi(?! mai tang)",
            r"mien phi",
            r"(?:mat|het|ton|dong|nop|tra|bao nhieu|may) tien",
            # asked, not told ("đóng thuế đất đầy đủ" says it was paid); "thuê" is a rent
            r"(?:phai|co) (?:dong|nop) thue",
            r"(?:mat|chiu) thue",
            r"(?:dong|nop) thue (?:bao nhieu|khong|ko|k|gi|nao|(?:nhu )?the nao|ra sao)",
            r"tien (?:le phi|phi|nong)",
            r"(?:mat|het|ton) bao nhieu(?! " + _TIME_UNITS + r")",
            r"ton(?: kem)?(?! (?:thoi gian|tai|giao|trong))",
            r"bao nhieu (?:tien|dong|nghin|ngan|k)",
            r"gia (?:bao nhieu|the nao)",
            r"\d+ ?(?:k|d|dong|nghin|ngan)",
        ),
    ),
    (
        Aspect.TIME,
        _rule(
            # Not how long a paper stays valid: "dùng được bao lâu", "giá trị mấy tháng".
            _NOT_VALIDITY + r"bao lau",
            _NOT_VALIDITY + r"lau (?:khong|chua|the|qua|nhat|hon)",
            # Not "mất" + a day: "bố mất hôm qua" is a death, not a wait.
            # Not a span told: "mấy ngày qua", "mấy năm nay rồi", "mấy hôm trước".
            _NOT_VALIDITY
            + r"(?:bao nhieu|may) "
            + _TIME_UNITS
            + r"(?! (?:nay|qua|truoc|roi|gan day))",
            r"thoi gian (?:giai quyet|xu ly|lam(?! viec)|cho|tra|nhan|bao lau)",
            r"thoi han (?:giai quyet|xu ly|tra)",
            r"(?:khi nao|bao gio|hom nao|ngay nao|luc nao) (?:thi )?(?:co|xong|nhan|lay|tra|duoc)",
            r"(?:co|xong|nhan|lay|tra) (?:ket qua )?(?:khi nao|bao gio|hom nao|ngay nao)",
            r"nhanh (?:khong|nhat|duoc khong)",
            r"cho (?:lau|bao lau|may)",
            r"ton thoi gian",
        ),
    ),
    (
        Aspect.DOCUMENTS,
        _rule(
            r"giay to",
            r"giay (?:gi|nao)",
            r"(?:can|mang|chuan bi|nop) (?:nhung )?(?:gi|cai gi|giay)",
            r"mang theo",
            r"(?:can|phai) (?:mang|dem|xuat trinh)",
            r"ho so (?:gom|can|co|la|nhung|the nao)",
            r"thanh phan ho so",
            r"(?:ban sao|ban chinh|anh the|to khai|mau don|don) (?:gi|nao|(?:nhu )?the nao|ra sao)",
            r"(?:phai|can) (?:ky|viet|dien) (?:nhung )?(?:gi|vao dau)",
            r"can (?:nhung )?(?:thu|cai|loai) (?:gi|nao)",
        ),
    ),
    (
        Aspect.ONLINE,
        _rule(
            r"online",
            r"onl",
            r"truc tuyen",
            r"qua mang",
            r"tren mang",
            r"qua (?:app|ung dung|dien thoai|internet|zalo|may)",
            r"tren (?:app|ung dung|dien thoai|internet|may)",
            r"vneid",
            r"vn eid",
            r"dinh danh dien tu",
            r"dich vu cong",
            r"cong dich vu",
            r"(?:lam|nop|dang ky) (?:o|tai|tu) nha",
            r"khong (?:can|phai) (?:den|len|ra|toi)",
        ),
    ),
    (
        Aspect.WHERE,
        _rule(
            r"o dau",
            r"tai dau",
            r"dau (?:a|vay|nhi)",
            r"(?:nop|lam|den|ra|len|toi|di) dau",
            r"cho nao",
            r"noi nao",
            r"noi nop",
            r"(?:phuong|xa|co quan|don vi|ben|bo phan|cua|phong) nao",
            r"dia chi",
            r"(?:lam|nop) (?:o|tai) (?:phuong|xa|noi|cho)",
            r"phuong khac",
            r"noi khac",
            # one office or another: "nộp ở công an phường hay lên UBND"
            r"hay (?:la )?(?:len|ra|den|o|tai|(?:nop|lam) (?:o|tai)) " + _OFFICES,
        ),
    ),
    (
        Aspect.NOTES,
        _rule(
            r"luu y",
            r"chu y",
            r"(?:qua|tre|muon|het|lo) han",
            r"truong hop",
            r"neu .*thi sao",
            r"bi phat",
            r"phat (?:khong|bao nhieu|the nao)",
            r"dieu kien",
            # how long a paper stays valid
            r"(?:dung|su dung) duoc (?:trong )?(?:bao lau|lau|may|bao nhieu)",
            r"gia tri (?:trong )?(?:bao lau|may|bao nhieu)",
            r"hieu luc",
            r"han (?:dung|su dung)",
        ),
    ),
)

# Who has to file: on someone's behalf ("nhờ mẹ làm hộ", "nộp thay được không", "có ủy
# quyền được không"), alone or together ("đi một mình được không", "phải cả bố cả mẹ à"),
# in person ("hai bên phải có mặt không", "có bắt buộc chính chủ không"). Being unable
# to come ("mẹ không đi lại được thì sao") is a circumstance, for the notes. A case of the
# procedure: the section that speaks of it answers (bot/answering/who_files.py).
WHO_FILES = _rule(
    r"(?<!giay )(?<!ban )(?<!dong )uy quyen",
    r"(?:lam|nop|di|ky|len|ra|den|nhan|lay|dang ky|xin) thay(?! doi| the| ten| ho)",
    r"thay (?:duoc|minh|bo|me|vo|chong|con|ong|ba)",
    r"(?:lam|nop|di|ky|nhan|lay|xin) ho"
    r"(?! so| khau| tich| ngheo| kinh| gia| chieu| tro| dan| ten| chua| can| gi| ca| co"
    r"| me| bo| cha| theo)",  # typed without marks: "lấy họ mẹ" is a surname
    r"nho (?:nguoi|bo|me|vo|chong|con|anh|chi|em|ong|ba|co|chu|bac|ban|hang xom|ai)",
    r"mot minh",
    # "phải cả bố cả mẹ", "cần cả hai vợ chồng" (not "mồ côi cả bố lẫn mẹ")
    r"(?:phai|can|deu|cung|bat buoc) (?:co )?ca (?:bo|me|vo|chong|hai)",
    r"hai (?:ben|vo chong|bo me) (?:deu |cung )?(?:phai|can|co mat)",
    # typed without marks, "có mất" (a cost, a wait) reads alike
    r"co mat(?! (?:phi|tien|bao|gi|may|nhieu|le|thoi|ngay|lau|giay|cong|viec))",
    r"chinh chu",
    r"(?:phai|can|bat buoc) (?:truc tiep|tu minh)",
    r"nguoi (?:nha|than|khac) (?:lam|nop|di|den|len|ky|dang ky|xin|nhan)",
)


def spellings(words: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """For each folded word, the spellings (space-separated) in which it counts."""
    return {folded: frozenset(spelled.split()) for folded, spelled in words.items()}


# Words the rules read folded that mean something else with other marks ("mái tôn" is no
# cost, "người già" no price, "qua Hàn" no deadline): typed with marks, a match on them
# counts only in these spellings. Typed without marks, they count as before.
SPELLINGS = spellings(
    {
        "ton": "tốn",
        "gia": "giá",
        "tien": "tiền",
        "phi": "phí",
        "han": "hạn",
        "mat": "mất",
        "het": "hết",
        "lau": "lâu",
        "thang": "tháng",
        "tuan": "tuần",
        "don": "đơn",
        "thue": "thuế",
    }
)


# Typed with marks, these count only in these spellings ("nhỏ", "nhớ" are not "nhờ",
# "mất" is no "mặt", "họ" is no "hộ").
_WHO_SPELLINGS = spellings({"nho": "nhờ", "mot": "một", "mat": "mặt", "ho": "hộ"})


def aspects_in(text: str) -> list[Aspect]:
    """The aspects `text` asks about, the most specific first (none: a general question);
    who has to file is a case, as vague as the notes' ("nếu …", "trường hợp …")."""
    written = normalize(text)
    folded = masked(written)
    found = [aspect for aspect, rule in RULES if rule.search(folded)]
    if Aspect.NOTES not in found and _asks_who_files(written):
        found.append(Aspect.NOTES)
    return found


def asks_who_files(text: str) -> bool:
    """True when `text` asks who has to file or come (`WHO_FILES`)."""
    return _asks_who_files(normalize(text))


def _asks_who_files(written: str) -> bool:
    return WHO_FILES.search(masked(written, _WHO_SPELLINGS)) is not None


def masked(written: str, allowed_spellings: Mapping[str, frozenset[str]] = SPELLINGS) -> str:
    """`written` folded, each word typed with marks other than its allowed spellings
    replaced by "_" (matched by no rule, yet a word for those spanning any words)."""
    words = []
    for word in written.split():
        folded = strip_diacritics(word)
        allowed = allowed_spellings.get(folded)
        keep = allowed is None or word == folded or word in allowed
        words.append(folded if keep else "_")
    return " ".join(words)


# Answer section labels (folded) and the aspect each one answers.
_LABELS: tuple[tuple[re.Pattern[str], Aspect], ...] = (
    (_rule(r"giay to", r"ho so"), Aspect.DOCUMENTS),
    (_rule(r"noi nop", r"nop o dau"), Aspect.WHERE),
    (_rule(r"thoi gian", r"thoi han"), Aspect.TIME),
    (_rule(r"le phi", r"phi"), Aspect.FEE),
    (_rule(r"can cu"), Aspect.LEGAL),
    (_rule(r"luu y"), Aspect.NOTES),
)
# Lines about filing online, in any section.
_ONLINE_LINE = _rule(r"truc tuyen", r"vneid", r"dich vu cong", r"dichvucong")


def aspect_of_label(label: str) -> Aspect | None:
    """The aspect an answer section labelled `label` answers, if any."""
    folded = strip_diacritics(label).lower()
    for rule, aspect in _LABELS:
        if rule.search(folded):
            return aspect
    return None


def is_online_line(line: str) -> bool:
    """True when a line of an answer speaks of filing online."""
    return _ONLINE_LINE.search(strip_diacritics(line).lower()) is not None
