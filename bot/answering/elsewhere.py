"""Opening hours, an address or a reception schedule asked of another place ("ngân hàng
thứ 7 có làm việc không", "bưu điện mấy giờ mở cửa", "phòng khám nha khoa chủ nhật có
làm không"): not the ward's office, however sure the classifier is of its office-hours
answer, so the question is declined rather than answered with the ward's hours."""

from __future__ import annotations

import re

from bot.faq.aspects import masked, spellings
from nlu.normalize import normalize

# The answers about the ward's own office.
OFFICE_INTENTS = frozenset({"gio_lam_viec", "dia_chi_mot_cua", "lich_tiep_cong_dan"})

# Places citizens ask the hours or address of (folded, whole words). Words that fold
# into common ones are left out ("chợ" / "cho", "quán" / "quan", "tiệm" / "tiêm").
_ELSEWHERE = re.compile(
    r"\b(?:ngan hang|buu dien|benh vien|phong kham|nha khoa|nha thuoc|hieu thuoc"
    r"|tram y te|sieu thi|trung tam thuong mai|cong ty|cua hang|nha hang|khach san"
    r"|cay xang|ben xe|nha ga|san bay|thu vien|spa|shop|dien luc|cap nuoc|viettel|vnpt"
    r"|mobifone|nha tre|mam non|nha truong|truong (?:hoc|tieu hoc|thcs|thpt|dai hoc|cap))\b"
)
# The ward's office named as what is asked about: then the question is ours after all.
_WARD_OFFICE = re.compile(
    r"\b(?:ubnd|uy ban|mot cua|hanh chinh cong|tiep cong dan|bo phan"
    r"|phuong (?:thu|chu nhat|ngay|sang|chieu|may gio|co|lam|mo|nghi|tiep|minh|nay))\b"
)
# Typed with marks, these count only in these spellings ("nhà trẻ" but not "nhà tre").
_SPELLINGS = spellings({"tre": "trẻ"})


def asks_about_elsewhere(intent: str | None, text: str) -> bool:
    """True when `intent` is an answer about the ward's office and `text` asks about
    another place, naming no office of the ward."""
    if intent not in OFFICE_INTENTS:
        return False
    folded = masked(normalize(text), _SPELLINGS)
    return bool(_ELSEWHERE.search(folded)) and not _WARD_OFFICE.search(folded)
