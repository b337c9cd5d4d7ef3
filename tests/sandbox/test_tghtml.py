"""Telegram HTML parsing: plain text, entities and Telegram's error wording."""

from __future__ import annotations

import pytest

from bot.sandbox.tghtml import MarkupError, parse_html, utf16_len


def test_parse_html_makes_entities_and_decodes_the_four_named_entities() -> None:
    text, entities = parse_html("<b>Xin chào</b> &lt;Lan&gt; &amp; &quot;bạn&quot;")
    assert text == 'Xin chào <Lan> & "bạn"'
    assert entities == [{"offset": 0, "length": 8, "type": "bold"}]


@pytest.mark.parametrize(
    ("tag", "entity_type"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
        ("tg-spoiler", "spoiler"),
    ],
)
def test_parse_html_knows_every_simple_tag(tag: str, entity_type: str) -> None:
    assert parse_html(f"a <{tag}>x</{tag}>") == (
        "a x",
        [{"offset": 2, "length": 1, "type": entity_type}],
    )


def test_parse_html_reads_links_spoiler_spans_and_code_languages() -> None:
    source = (
        '<a href="https://dichvucong.gov.vn/?a=1&amp;b=2">Cổng</a> '
        '<span class="tg-spoiler">bí mật</span> '
        '<pre><code class="language-python">x = 1</code></pre> '
        "<blockquote expandable>dài</blockquote>"
    )
    text, entities = parse_html(source)
    assert text == "Cổng bí mật x = 1 dài"
    assert entities == [
        {
            "offset": 0,
            "length": 4,
            "type": "text_link",
            "url": "https://dichvucong.gov.vn/?a=1&b=2",
        },
        {"offset": 5, "length": 6, "type": "spoiler"},
        {"offset": 12, "length": 5, "type": "pre", "language": "python"},
        {"offset": 18, "length": 3, "type": "expandable_blockquote"},
    ]


def test_parse_html_counts_offsets_in_utf16_units() -> None:
    text, entities = parse_html("😀 <i>x</i>")
    assert utf16_len("😀 ") == 3
    assert entities == [{"offset": 3, "length": 1, "type": "italic"}]
    assert text == "😀 x"


def test_parse_html_keeps_a_bare_ampersand_and_unknown_entities_literally() -> None:
    assert parse_html("A & B &nbsp; &#65;&#x42;") == ("A & B &nbsp; AB", [])


def test_parse_html_nests_entities() -> None:
    text, entities = parse_html("<b>đậm <i>nghiêng</i></b>")
    assert text == "đậm nghiêng"
    assert entities == [
        {"offset": 0, "length": 11, "type": "bold"},
        {"offset": 4, "length": 7, "type": "italic"},
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Hạn <br> nộp", 'Unsupported start tag "br" at byte offset 6'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Gửi <ông/bà>", 'Unsupported start tag "ông/bà" at byte offset 6'),
        ("<b>chưa đóng", 'Can\'t find end tag corresponding to start tag "b"'),
        ("thừa </b>", "Unexpected end tag at byte offset 7"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
    ],
)
def test_parse_html_rejects_what_telegram_rejects(source: str, message: str) -> None:
    with pytest.raises(MarkupError) as error:
        parse_html(source)
    assert str(error.value) == message


def test_parse_html_drops_links_telegram_cannot_use() -> None:
    assert parse_html('<a href="javascript:alert(1)">x</a>') == ("x", [])
    assert parse_html('<a href="camp ha.vn">x</a>') == ("x", [])
    assert parse_html('<a href="campha.gov.vn">x</a>')[1][0]["url"] == "http://campha.gov.vn"
