"""A state put as the condition of a question: "bố mẹ chưa đăng ký kết hôn thì có làm được
không", "đang hưởng lương hưu rồi thì có được nữa không". Within a conversation, what is
named there is a circumstance of the procedure discussed, not a new subject; what is asked
comes after "thì"."""

from __future__ import annotations

import functools
import re
from itertools import pairwise

from bot.faq.aspects import masked, spellings
from nlu.normalize import normalize, strip_diacritics

# Words stating a state (folded, whole words) before "thì". Typed with marks, only these
# spellings count ("đăng ký" states nothing); typed without, "dang ky" is still a
# registration. "đã" is left out: typed without marks it is "dạ", the polite "yes".
_STATE = re.compile(r"\b(chua|khong|mat|het han|dang(?! ky)|bi|roi)\b")
# A person or household said to be of a category the procedures treat apart ("nhà tôi hộ
# nghèo thì …", "em là người khuyết tật thì …"); not one applied for ("muốn đăng ký hộ
# nghèo thì …": the category follows no person).
_STATUS = re.compile(
    r"\b(?:nha|gia dinh|toi|em|minh|bo|me|ong|ba|con|chau)"
    r"(?: (?:toi|em|minh|chau|nha))? (?:la |thuoc (?:dien )?|dang la )?(?:nguoi )?"
    r"(?:ho ngheo|ho can ngheo|can ngheo|nguoi co cong|khuyet tat|thuong binh|benh binh"
    r"|con liet si)\b"
)
_STATE_SPELLINGS = spellings(
    {
        "chua": "chưa",
        "khong": "không",
        "mat": "mất",
        "het": "hết",
        "han": "hạn",
        "dang": "đang",
        "bi": "bị",
        "roi": "rồi",
    }
)


@functools.lru_cache(maxsize=1024)  # asked of one message by several checks
def asked_after_condition(text: str) -> str | None:
    """What `text` asks after a stated condition ("… chưa … thì <question>"), folded; None
    when it states none, or when the question takes up words of the condition ("đang
    hưởng lương hưu thì báo cắt lương hưu ở đâu"): what the condition names is then
    what is asked about."""
    written = normalize(text)
    words = masked(written, _STATE_SPELLINGS).split()  # word for word with `written`
    if "thi" not in words[1:-1]:
        return None
    cut = words.index("thi", 1)
    stated = " ".join(words[:cut])
    if not (_STATE.search(stated) or _STATUS.search(stated)):
        return None
    folded = strip_diacritics(written).split()
    condition, asked = folded[:cut], folded[cut + 1 :]
    return None if set(pairwise(condition)) & set(pairwise(asked)) else " ".join(asked)
