"""What a hostile or careless citizen types, clicks and uploads."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.sandbox.tghtml import utf16_len

# A word that marks the input: wherever it shows in a reply, its markup must show too.
CANARY = "ZQXCANARY"
CANARY_TAGS = ("<b>ZQXCANARY</b>", '<a href="http://evil.example">ZQXCANARY</a>')

_PIECES = [
    # control characters, bidi and zero-width marks
    "\x00",
    "\x1b[31m",
    "\x07",
    "\x7f",
    "\r\n",
    "\t",
    "\u202e",
    "\u200f",
    "\u2066",
    "\u200d",
    "\u200b",
    "\ufeff",
    "\u2028",
    # fullwidth and other digits, phone and ID look-alikes
    "０７９１２３４５６７８９",
    "０９１２３４５６７８",
    "٠٧٩١٢٣٤٥٦٧٨٩",
    "²",
    "079123456789",
    "0912345678",
    "15/10/2026",
    "31/02/2026",
    "QH-2611-0042",
    "QH-2611-²",
    # emoji, combining marks, Vietnamese
    "😀",
    "👨‍👩‍👧",
    "🇻🇳",
    "a\u0301\u0302\u0323",
    "Nguyễn Thị Lan",
    "tổ 7, khu 2",
    "Quang Hanh",
    "Cửa Ông",
    # HTML and Telegram markup injection
    *CANARY_TAGS,
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "<b>",
    "</i>",
    "<script>alert(1)</script>",
    "<tg-spoiler>x</tg-spoiler>",
    '<a href="tg://user?id=1">x</a>',
    "*bold* _it_ `code` [x](http://evil.example)",
    "{code}",
    "{0}",
    "%s",
    "'; DROP TABLE cases; --",
    " ",
]


def _sendable(text: str) -> bool:
    """What a Telegram client can send as a text: not blank, not a command, not too long."""
    return bool(text.strip()) and not text.startswith("/") and utf16_len(text) <= 4096


_ANY_CHAR = st.characters(exclude_categories=["Cs"])  # Telegram text is valid Unicode

texts = st.one_of(
    st.lists(
        st.one_of(st.sampled_from(_PIECES), st.text(_ANY_CHAR, min_size=1, max_size=12)),
        min_size=1,
        max_size=8,
    ).map("".join),
    st.text(_ANY_CHAR, min_size=1, max_size=60),
    # At and over the length limits: 4,096 characters, a tag split by the cut.
    st.integers(min_value=3990, max_value=4096).map(lambda n: ("ầ<b>&" * 1100)[:n]),
).filter(_sendable)

# Callback data: Telegram carries 1-64 bytes; a modified client may send any of them.
_SUFFIXES = st.one_of(
    st.sampled_from(["", "²", "0", "-1", "6", "99999999999999999999", "x", ":", "::", "\x00"]),
    st.text(_ANY_CHAR, max_size=20),
)


def _fits(data: str) -> bool:
    return 1 <= len(data.encode("utf-8")) <= 64


def callback_data(prefixes: list[str]) -> st.SearchStrategy[str]:
    """Known prefixes with forged tails (and the odd entirely foreign datum)."""
    forged = st.builds(lambda p, s: p + s, st.sampled_from(prefixes), _SUFFIXES)
    return st.one_of(forged, st.text(_ANY_CHAR, min_size=1, max_size=30)).filter(_fits)


MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(40),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40),
    "pdf": b"%PDF-1.4\n" + bytes(40),
    "exe": b"MZ\x90\x00" + bytes(60),
    "zip": b"PK\x03\x04" + bytes(40),
    "html": b"<html><script>alert(1)</script></html>",
    "empty": b"",
}
file_contents = st.one_of(
    st.sampled_from(list(MAGIC.values())),
    st.builds(lambda head, tail: head + tail, st.sampled_from(list(MAGIC.values())), st.binary()),
    st.binary(max_size=64),
)
declared_types = st.one_of(
    st.none(),
    st.sampled_from(["image/png", "image/jpeg", "application/pdf", "text/html", "", "x-a/b.c+d"]),
)
file_names = st.one_of(
    st.sampled_from(
        [
            "scan.pdf",
            "ảnh.png",
            "../../etc/passwd",
            "a.pdf.exe",
            "<b>ZQXCANARY</b>.pdf",
            "\u202etxt.exe",
            "x" * 255,
            "y" * 300 + ".pdf",
            ".",
            "CON",
        ]
    ),
    st.text(_ANY_CHAR, min_size=1, max_size=40),
)
declared_sizes = st.one_of(
    st.none(), st.sampled_from([0, 1, 2**31 - 1, 2**53, 10 * 1024 * 1024 + 1])
)
