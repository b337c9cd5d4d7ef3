"""A state put as the condition of a question: "bố mẹ chưa đăng ký kết hôn thì có làm được
không", "đang hưởng lương hưu rồi thì có được nữa không". Within a conversation, what is
named there is a circumstance of the procedure discussed, not a new subject; what is asked
comes after "thì"."""

from __future__ import annotations

import re
from itertools import pairwise

from bot.faq.aspects import masked, spellings
from nlu.normalize import normalize, strip_diacritics

# Words stating a state (folded, whole words) before "thì". Typed with marks, only these
# spellings count ("đăng ký" states nothing); typed without, "dang ky" is still a
# registration. "đã" is left out: typed without marks it is "dạ", the polite "yes".
_STATE = re.compile(r"\b(chua|khong|mat|het han|dang(?! ky)|bi|roi)\b")
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
    if not _STATE.search(" ".join(words[:cut])):
        return None
    folded = strip_diacritics(written).split()
    stated, asked = folded[:cut], folded[cut + 1 :]
    return None if set(pairwise(stated)) & set(pairwise(asked)) else " ".join(asked)
