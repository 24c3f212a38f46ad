"""The reader: prose blocks, titles, what is skipped, offsets, line numbers, decoding."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from argmap.errors import InputError
from argmap.reader import (
    BlockKind,
    SourceDocument,
    decode_bytes,
    parse_markdown,
    parse_plain,
    parse_text,
    read_path,
)


def block_texts(doc: SourceDocument) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks]


def skipped_texts(doc: SourceDocument) -> list[tuple[str, str]]:
    return [(s.reason, doc.text[s.start : s.end]) for s in doc.skipped]


def assert_clean_keeps_offsets(doc: SourceDocument) -> None:
    assert len(doc.clean) == len(doc.text)
    for a, b in zip(doc.text, doc.clean, strict=True):
        assert b == a or (b == " " and a not in "\r\n")


# --- plain text -----------------------------------------------------------------------


def test_plain_blank_line_paragraphs() -> None:
    text = "Parks make towns calmer.\n\nThe council should fund two more.\n"
    doc = parse_plain(text)
    assert block_texts(doc) == ["Parks make towns calmer.", "The council should fund two more."]
    assert doc.title is None
    assert doc.skipped == ()
    assert all(b.kind is BlockKind.PARAGRAPH and not b.quoted for b in doc.blocks)


def test_plain_one_paragraph_per_line() -> None:
    text = "Buses are cheap to run.\nTrams cost far more to build.\nThe city should buy buses.\n"
    assert block_texts(parse_plain(text)) == [
        "Buses are cheap to run.",
        "Trams cost far more to build.",
        "The city should buy buses.",
    ]


def test_plain_hard_wrapped_lines_are_joined() -> None:
    text = (
        "Small gardens on school roofs teach children where\n"
        "food comes from and they cost very little to\n"
        "keep going.\n"
        "\n"
        "Every school should try one.\n"
    )
    doc = parse_plain(text)
    assert block_texts(doc) == [
        "Small gardens on school roofs teach children where\n"
        "food comes from and they cost very little to\n"
        "keep going.",
        "Every school should try one.",
    ]
    assert doc.title is None


def test_plain_hard_wrapped_first_line_is_not_a_headline() -> None:
    text = (
        "Our town should light its bike paths at\n"
        "night because riders feel unsafe.\n\nLamps are cheap.\n"
    )
    doc = parse_plain(text)
    assert doc.title is None
    assert block_texts(doc)[0] == (
        "Our town should light its bike paths at\nnight because riders feel unsafe."
    )


def test_plain_headline_then_paragraphs() -> None:
    text = "Light the Bike Paths\n\nRiders feel unsafe at night.\n\nLamps are cheap.\n"
    doc = parse_plain(text)
    assert doc.title == (0, 20)
    assert doc.title_text == "Light the Bike Paths"
    assert skipped_texts(doc) == [("title", "Light the Bike Paths")]
    assert block_texts(doc) == ["Riders feel unsafe at night.", "Lamps are cheap."]


def test_plain_headline_directly_above_the_first_line() -> None:
    text = "Light the Bike Paths\nRiders feel unsafe at night.\nLamps are cheap.\n"
    doc = parse_plain(text)
    assert doc.title_text == "Light the Bike Paths"
    assert block_texts(doc) == ["Riders feel unsafe at night.", "Lamps are cheap."]


def test_plain_single_short_line_is_prose_not_a_title() -> None:
    doc = parse_plain("Tax sugary drinks")
    assert doc.title is None
    assert block_texts(doc) == ["Tax sugary drinks"]


def test_plain_headline_with_final_period_is_prose() -> None:
    doc = parse_plain("Ban leaf blowers now.\n\nThey are loud.\n")
    assert doc.title is None
    assert block_texts(doc) == ["Ban leaf blowers now.", "They are loud."]


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("By Mara Quill", "byline"),
        ("By Mara Quill and Tobias Fenn", "byline"),
        ("Opinion | Transport", "byline"),
        ("March 3, 2024", "dateline"),
        ("Published 9:00 a.m. ET", "dateline"),
        ("Photo: A cyclist on an unlit path.", "photo credit"),
        ("Subscribe to our newsletter for weekly columns.", "boilerplate"),
        ("Sign up for alerts.", "boilerplate"),
        ("The views expressed are the author's own.", "boilerplate"),
    ],
)
def test_plain_furniture_is_skipped(paragraph: str, reason: str) -> None:
    text = f"Riders feel unsafe at night.\n\n{paragraph}\n\nLamps are cheap.\n"
    doc = parse_plain(text)
    assert block_texts(doc) == ["Riders feel unsafe at night.", "Lamps are cheap."]
    assert skipped_texts(doc) == [(reason, paragraph)]


@pytest.mark.parametrize(
    "bio",
    [
        "Mara Quill is a nurse in Leeds.",
        "Mara Quill teaches geography in Leeds.",
        "Mara Quill is a nurse in Leeds. She writes about cycling.",
        "The author is a retired bus driver.",
        "— Mara Quill chairs the residents' association.",
    ],
)
def test_plain_closing_author_bio_is_skipped(bio: str) -> None:
    doc = parse_plain(f"Riders feel unsafe at night.\n\nLamps are cheap.\n\n{bio}\n")
    assert block_texts(doc) == ["Riders feel unsafe at night.", "Lamps are cheap."]
    assert skipped_texts(doc) == [("author bio", bio)]


def test_plain_bio_like_sentence_in_the_middle_is_kept() -> None:
    middle = "Mara Quill is a nurse in Leeds."
    doc = parse_plain(f"Riders feel unsafe.\n\n{middle}\n\nLamps are cheap.\n")
    assert middle in block_texts(doc)


def test_plain_closing_argument_is_not_a_bio() -> None:
    doc = parse_plain("Riders feel unsafe.\n\nShe is right: the paths need lamps.\n")
    assert block_texts(doc) == ["Riders feel unsafe.", "She is right: the paths need lamps."]


def test_plain_dateline_prefix_is_skipped_but_the_sentence_kept() -> None:
    text = "LEEDS — The council met on Tuesday to discuss lamps."
    doc = parse_plain(text)
    assert skipped_texts(doc) == [("dateline", "LEEDS — ")]
    assert block_texts(doc) == ["The council met on Tuesday to discuss lamps."]


def test_plain_whole_page_of_furniture() -> None:
    text = (
        "Light the Bike Paths\n\nBy Mara Quill\n\nMay 2, 2023\n\n"
        "Riders feel unsafe at night.\n\nPhoto: A dark path.\n\n"
        "Subscribe for more.\n\nMara Quill is a nurse in Leeds.\n"
    )
    doc = parse_plain(text)
    assert block_texts(doc) == ["Riders feel unsafe at night."]
    assert [reason for reason, _ in skipped_texts(doc)] == [
        "title",
        "byline",
        "dateline",
        "photo credit",
        "boilerplate",
        "author bio",
    ]
    assert_clean_keeps_offsets(doc)
    assert doc.clean.strip() == "Riders feel unsafe at night."


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_plain_offsets_and_lines_with_any_line_ending(newline: str) -> None:
    lines = ["Light the Bike Paths", "", "Riders feel unsafe at night.", "", "Lamps are cheap."]
    text = newline.join(lines) + newline
    doc = parse_plain(text)
    assert block_texts(doc) == ["Riders feel unsafe at night.", "Lamps are cheap."]
    assert [doc.line_of(b.start) for b in doc.blocks] == [3, 5]
    assert doc.title_text == "Light the Bike Paths"


def test_line_of_counts_from_one() -> None:
    doc = parse_plain("One line.\nTwo line.\n\nFour line.")
    assert doc.line_of(0) == 1
    assert doc.line_of(doc.text.index("Two")) == 2
    assert doc.line_of(doc.text.index("Four")) == 4


def test_parse_text_dispatches_on_markdown_flag() -> None:
    text = "> Lamps are cheap, a rider said.\n"
    assert [b.quoted for b in parse_text(text).blocks] == [False]
    assert [b.quoted for b in parse_text(text, markdown=True).blocks] == [True]


# --- Markdown -------------------------------------------------------------------------

MD = """---
title: lamps
# a yaml comment, not a heading
---

# Light *the* Bike Paths

By Mara Quill

Riders feel **unsafe** at night, as [a survey](https://example.org/s) found.

> Dark paths are empty paths, one rider told us.

- Lamps are cheap.
- Solar lamps need no cables.

1. Fit the lamps.
2. Count the riders.

```sh
echo not prose
```

<div class="ad">Buy things</div>

| year | riders |
|------|--------|
| 2022 | 400    |

![A dark path](path.jpg)

## Costs

    indented code block

***

The council should act this spring.
"""


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def md_doc(request: pytest.FixtureRequest) -> SourceDocument:
    return parse_markdown(MD.replace("\n", request.param))


def test_markdown_blocks(md_doc: SourceDocument) -> None:
    assert block_texts(md_doc) == [
        "Riders feel **unsafe** at night, as [a survey](https://example.org/s) found.",
        "> Dark paths are empty paths, one rider told us.",
        "- Lamps are cheap.",
        "- Solar lamps need no cables.",
        "1. Fit the lamps.",
        "2. Count the riders.",
        "The council should act this spring.",
    ]
    kinds = [(b.kind, b.quoted) for b in md_doc.blocks]
    assert kinds == [
        (BlockKind.PARAGRAPH, False),
        (BlockKind.PARAGRAPH, True),
        *[(BlockKind.LIST_ITEM, False)] * 4,
        (BlockKind.PARAGRAPH, False),
    ]


def test_markdown_skipped(md_doc: SourceDocument) -> None:
    nl = "\r\n" if "\r\n" in md_doc.text else "\n"
    assert skipped_texts(md_doc) == [
        ("front matter", nl.join(MD.split("\n")[:4]) + nl),
        ("title", "# Light *the* Bike Paths"),
        ("byline", "By Mara Quill"),
        ("code", nl.join(["```sh", "echo not prose", "```"])),
        ("html", '<div class="ad">Buy things</div>'),
        ("table", nl.join(["| year | riders |", "|------|--------|", "| 2022 | 400    |"])),
        ("image", "![A dark path](path.jpg)"),
        ("heading", "## Costs"),
        ("code", "indented code block"),
        ("rule", "***"),
    ]


def test_markdown_title_and_lines(md_doc: SourceDocument) -> None:
    assert md_doc.title_text == "Light the Bike Paths"
    assert md_doc.title is not None
    assert md_doc.line_of(md_doc.title[0]) == 6
    assert [md_doc.line_of(b.start) for b in md_doc.blocks] == [10, 12, 14, 15, 17, 18, 38]


def test_markdown_markup_is_masked_in_clean(md_doc: SourceDocument) -> None:
    assert_clean_keeps_offsets(md_doc)
    first, quote, item = md_doc.blocks[0], md_doc.blocks[1], md_doc.blocks[2]
    assert " ".join(md_doc.clean[first.start : first.end].split()) == (
        "Riders feel unsafe at night, as a survey found."
    )
    assert md_doc.clean[quote.start : quote.end].strip() == (
        "Dark paths are empty paths, one rider told us."
    )
    assert md_doc.clean[item.start : item.end].strip() == "Lamps are cheap."
    for s in md_doc.skipped:
        assert not md_doc.clean[s.start : s.end].strip()


def test_markdown_setext_title() -> None:
    doc = parse_markdown("Light the Paths\n===============\n\nRiders feel unsafe.\n")
    assert doc.title_text == "Light the Paths"
    assert skipped_texts(doc) == [("title", "Light the Paths\n===============")]
    assert block_texts(doc) == ["Riders feel unsafe."]


def test_markdown_h1_after_prose_is_a_heading_not_the_title() -> None:
    doc = parse_markdown("Riders feel unsafe.\n\n# Later\n\nLamps are cheap.\n")
    assert doc.title is None
    assert skipped_texts(doc) == [("heading", "# Later")]


def test_markdown_front_matter_with_blank_line_keeps_the_title() -> None:
    text = "---\nlayout: post\n\ntags: [x]\n---\n\n# Lamps Now\n\nRiders feel unsafe.\n"
    doc = parse_markdown(text)
    assert doc.title_text == "Lamps Now"
    assert block_texts(doc) == ["Riders feel unsafe."]
    assert skipped_texts(doc)[0] == ("front matter", "---\nlayout: post\n\ntags: [x]\n---\n")


def test_markdown_front_matter_only() -> None:
    doc = parse_markdown("---\nlayout: post\n---")
    assert doc.blocks == ()
    assert skipped_texts(doc) == [("front matter", "---\nlayout: post\n---")]


def test_markdown_nested_quote_list_and_multi_paragraph_item() -> None:
    text = "> - Quoted item here.\n\n- First part of item.\n\n  Second part of item.\n"
    doc = parse_markdown(text)
    assert block_texts(doc) == [
        "> - Quoted item here.",
        "- First part of item.",
        "Second part of item.",
    ]
    assert [(b.kind, b.quoted) for b in doc.blocks] == [
        (BlockKind.LIST_ITEM, True),
        (BlockKind.LIST_ITEM, False),
        (BlockKind.LIST_ITEM, False),
    ]


def test_markdown_inline_html_and_code_are_masked() -> None:
    text = "Lamps <em>save</em> lives and `cost` little."
    doc = parse_markdown(text)
    assert block_texts(doc) == [text]
    assert " ".join(doc.clean.split()) == "Lamps save lives and cost little."


def test_markdown_closing_bio_is_skipped_but_quoted_one_is_not() -> None:
    bio = "Mara Quill is a nurse in Leeds. She writes about cycling."
    doc = parse_markdown(f"Riders feel unsafe.\n\n{bio}\n")
    assert skipped_texts(doc) == [("author bio", bio)]
    quoted = parse_markdown(f"Riders feel unsafe.\n\n> {bio}\n")
    assert block_texts(quoted)[-1] == f"> {bio}"


# --- decoding and reading files -------------------------------------------------------


def test_decode_utf8() -> None:
    assert decode_bytes("Café lamps.".encode()) == "Café lamps."


def test_decode_utf8_bom_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "Café lamps.".encode()) == "Café lamps."


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_bom_declared_utf16_and_utf32(codec: str) -> None:
    text = "Café lamps.\nNew line."
    data = text.encode(codec)
    if codec.endswith(("-le", "-be")):
        bom = codecs.BOM_UTF16_LE if codec.endswith("-le") else codecs.BOM_UTF16_BE
        data = bom + data
    assert decode_bytes(data) == text


def test_decode_invalid_utf8_names_the_byte_and_line() -> None:
    data = b"Line one.\nLine two.\nCaf\xe9 three.\n"
    with pytest.raises(InputError) as info:
        decode_bytes(data, name="notes.txt")
    message = str(info.value)
    assert message.startswith("notes.txt: not valid utf-8")
    assert "byte 0xe9 at line 3" in message
    assert "--encoding" in message


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_decode_invalid_utf8_line_counts_crlf_and_cr(newline: bytes) -> None:
    data = newline.join([b"One.", b"Two.", b"Caf\xe9."])
    with pytest.raises(InputError, match="at line 3"):
        decode_bytes(data)


def test_decode_with_latin1_encoding() -> None:
    assert decode_bytes(b"Caf\xe9 lamps.", encoding="latin-1") == "Café lamps."


def test_decode_unknown_encoding() -> None:
    with pytest.raises(InputError, match=r"x\.txt: unknown encoding 'klingon'"):
        decode_bytes(b"abc", name="x.txt", encoding="klingon")


def test_decode_binary_is_rejected() -> None:
    with pytest.raises(InputError, match=r"img\.png: looks like a binary file"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="img.png")


def test_read_path_reads_and_decodes(tmp_path: Path) -> None:
    path = tmp_path / "piece.txt"
    path.write_bytes(b"Caf\xe9 lamps.")
    assert read_path(path, encoding="latin-1") == "Café lamps."
    with pytest.raises(InputError, match="not valid utf-8"):
        read_path(path)


def test_read_path_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)


def test_read_path_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    fake = io.TextIOWrapper(io.BytesIO(b"Caf\xe9"))
    monkeypatch.setattr(sys, "stdin", fake)
    with pytest.raises(InputError, match="<stdin>: not valid utf-8"):
        read_path("-")


def test_a_short_question_set_apart_is_a_title() -> None:
    doc = parse_plain("Should towns ban cars?\n\nCars are loud. Towns should ban them.")
    assert doc.title == (0, 22)
    assert [s.reason for s in doc.skipped] == ["title"]


def test_an_opening_question_that_runs_on_is_not_a_title() -> None:
    doc = parse_plain("Should towns ban cars?\nCars are loud. Towns should ban them.")
    assert doc.title is None


def test_a_short_sentence_above_several_paragraphs_is_the_headline() -> None:
    """Plain-text headlines may end with a full stop; their place tells them."""
    body = "\n\n".join(
        [
            "The council voted last night to close the pool for the winter, and the families "
            "who swim there every morning before work heard about it only from a notice.",
            "Families who swim every morning will have nowhere to go.",
            "The town should keep it open, because the cost is small.",
        ]
    )
    doc = parse_text("Keep the pool open all year.\n\n" + body)
    assert doc.title is not None
    assert doc.text[doc.title[0] : doc.title[1]] == "Keep the pool open all year."
    assert [s.reason for s in doc.skipped] == ["title"]


def test_a_short_opening_paragraph_of_a_short_piece_stays_a_unit() -> None:
    doc = parse_text("Keep the pool open all year.\n\nThe cost is small.\n\nFamilies need it.")
    assert doc.title is None
    assert len(doc.blocks) == 3
