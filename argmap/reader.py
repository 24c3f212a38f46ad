"""Read a piece of writing into a SourceDocument: blocks of prose with offsets.

Offsets always point into the original text, so every unit can be traced to
its line and column. Markdown markup is not deleted but *masked* (replaced by
spaces in a same-length copy, ``clean``), which lets the NLP stage read prose
while offsets stay those of the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from argmap.lexicon import load_lexicon
from argmap.model import Skipped
from argmap.readlimits import break_long_runs
from argmap.textfile import decode_bytes, read_path

__all__ = [
    "Block",
    "BlockKind",
    "SourceDocument",
    "decode_bytes",
    "parse_markdown",
    "parse_plain",
    "parse_text",
    "read_path",
]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n)){2,}")
_FINAL_PUNCT = re.compile(r"[.!?:;…][\"'”’)\]]*\s*$")
_SENTENCE_GAP = re.compile(r"(?<=[a-z0-9)][a-z0-9)][a-z0-9)][.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])")
_MD_CONTAINER_PREFIX = re.compile(r"[ \t]*(?:(?:>[ \t]?)|(?:[-*+][ \t]+)|(?:\d{1,9}[.)][ \t]+))*")
_MD_INLINE_MARKUP = re.compile(  # bounded: an unclosed "<" or "](" must not rescan its line
    r"!\[[^\]]{0,500}\]\([^)]{0,500}\)"  # images
    r"|\]\([^)]{0,500}\)"  # the target of a link
    r"|<[^>\n]{1,500}>"  # inline HTML and autolinks
    r"|\*+|`+|(?<!\w)_+|_+(?!\w)|\[|#+(?=[ \t]|$)"
)
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|\([A-Z][\w'’.]*\)|de|van|von|der|la|le|di|da|bin|al-\w+)"
_SETEXT_UNDERLINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:=+|-+)[ \t]*$")
_PRONOUN = r"(?:He|She|They)"
_MAX_HEADLINE_WORDS = 16
_MAX_SENTENCE_HEADLINE_WORDS = 20
_MIN_PARAGRAPHS_UNDER_HEADLINE = 3
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+[A-Z\"“]")
_SKIPPED_BLOCKS = {
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "rule",
    "table_open": "table",
}


class BlockKind(StrEnum):
    """Where a block of prose sits in the document's structure."""

    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"


@dataclass(frozen=True)
class Block:
    """A stretch of prose that sentences never cross (a paragraph or list item)."""

    start: int
    end: int
    kind: BlockKind = BlockKind.PARAGRAPH
    quoted: bool = False


@dataclass(frozen=True)
class SourceDocument:
    """The original text, its prose blocks, its title, and what was skipped."""

    text: str
    clean: str
    blocks: tuple[Block, ...]
    title: tuple[int, int] | None = None
    skipped: tuple[Skipped, ...] = ()
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    @property
    def title_text(self) -> str | None:
        """The title's words (markup masked), or None."""
        if self.title is None:
            return None
        heading = _SETEXT_UNDERLINE.sub("", self.text[self.title[0] : self.title[1]])
        words = _MD_INLINE_MARKUP.sub(" ", heading)
        return " ".join(words.split()) or None


def parse_text(text: str, *, markdown: bool = False) -> SourceDocument:
    """Split a text into prose blocks, as Markdown or as plain text."""
    return parse_markdown(text) if markdown else parse_plain(text)


def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


@cache
def _patterns(category: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in load_lexicon("boilerplate")[category])


@cache
def _bio_sentence() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in load_lexicon("boilerplate")["bio_verbs"])
    return re.compile(rf"^{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,7}},?\s+(?:{verbs})\b")


@cache
def _bio_continuation() -> re.Pattern[str]:
    """A later bio sentence, which usually says "She teaches ..." rather than the name."""
    verbs = "|".join(re.escape(v) for v in load_lexicon("boilerplate")["bio_verbs"])
    return re.compile(rf"^{_PRONOUN}\s+(?:also\s+)?(?:{verbs})\b")


def _boilerplate_reason(paragraph: str, *, is_last: bool) -> str | None:
    """Why a paragraph is not argument (byline, credit, ...), or None if it may be."""
    text = paragraph.strip()
    for reason in ("byline", "dateline", "photo credit", "boilerplate"):
        if any(p.search(text) for p in _patterns(reason)):
            return reason
    if is_last or any(p.search(text) for p in _patterns("bio_openers")):
        sentences = [s for s in _SENTENCE_GAP.split(text) if s.strip()]
        if any(p.search(text) for p in _patterns("bio_openers")):
            return "author bio"
        if (
            0 < len(sentences) <= 3
            and _bio_sentence().search(sentences[0])
            and all(
                _bio_sentence().search(s) or _bio_continuation().search(s) for s in sentences[1:]
            )
        ):
            return "author bio"
    return None


def _is_question_headline(line: str, after: str) -> bool:
    """A short question set apart by a blank line ("Should cities ban cars?") titles a piece."""
    words = line.split()
    return (
        0 < len(words) <= _MAX_HEADLINE_WORDS
        and line.rstrip().endswith("?")
        and _BLANK_LINE.match(after) is not None
    )


def _is_sentence_headline(line: str, after: str, body: list[str]) -> bool:
    """One short sentence set apart above a piece of several paragraphs is its headline.

    Headlines in plain text often end with a full stop (pasted from a page or
    converted from a corpus), so punctuation cannot tell them; their place
    can: a lone line of at most ``_MAX_SENTENCE_HEADLINE_WORDS`` words, one
    sentence, a blank line after it, and below it at least three paragraphs
    of which one is longer than any headline (a piece of one-line
    paragraphs has no headline by this rule). A line that says what must be
    done ("The town should …") is left to the map: an op-ed often opens by
    stating its thesis alone, and a headline that demands is the thesis anyway.
    """
    words = line.split()
    demands = {w.lower().strip(".,;:!?\"'“”’") for w in words} & _deontic_words()
    return (
        0 < len(words) <= _MAX_SENTENCE_HEADLINE_WORDS
        and not demands
        and len(body) >= _MIN_PARAGRAPHS_UNDER_HEADLINE
        and any(len(p.split()) > _MAX_SENTENCE_HEADLINE_WORDS for p in body)
        and _BLANK_LINE.match(after) is not None
        and not _SENTENCE_BREAK.search(line.rstrip())
    )


def _deontic_words() -> frozenset[str]:
    return frozenset(w for w in load_lexicon("roles")["deontic_modals"] if " " not in w)


def _is_headline(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _MAX_HEADLINE_WORDS and not _FINAL_PUNCT.search(line)


def _plain_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated, and a line ending a sentence ends one.

    Hard-wrapped lines (ending mid-sentence) are joined; one-paragraph-per-line
    files (common when pasting from the web) give one paragraph per line. An
    opening short line is a headline unless the next line continues it in
    lower case (then it is the first line of a hard-wrapped paragraph).
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    lines = list(re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text))
    for index, match in enumerate(lines):
        line = match.group().rstrip("\r\n")
        if not line.strip():
            if start is not None:
                spans.append((start, match.start()))
                start = None
            if match.end() >= len(text):
                break
            continue
        if start is None:
            start = match.start()
        headline = (
            not spans
            and start == match.start()
            and _is_headline(line)
            and not _continues(lines[index + 1].group() if index + 1 < len(lines) else "")
        )
        if _FINAL_PUNCT.search(line) or headline:
            spans.append((start, match.start() + len(line)))
            start = None
        if match.end() >= len(text):
            break
    if start is not None:
        spans.append((start, len(text)))
    return [_strip_span(text, a, b) for a, b in spans if text[a:b].strip()]


def _continues(line: str) -> bool:
    """Whether a line carries on the sentence of the line before it."""
    stripped = line.lstrip()
    return bool(stripped) and (stripped[0].islower() or stripped[0] in ",;:)")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def parse_plain(text: str) -> SourceDocument:
    """Plain text: paragraphs, an optional headline, boilerplate set aside."""
    paragraphs = _plain_paragraphs(text)
    title: tuple[int, int] | None = None
    skipped: list[Skipped] = []
    blocks: list[Block] = []
    for index, (start, end) in enumerate(paragraphs):
        chunk = text[start:end]
        if (
            index == 0
            and len(paragraphs) > 1
            and not _LINE_BREAK.search(chunk)
            and (
                _is_headline(chunk)
                or _is_question_headline(chunk, text[end:])
                or _is_sentence_headline(chunk, text[end:], [text[a:b] for a, b in paragraphs[1:]])
            )
        ):
            title = (start, end)
            skipped.append(Skipped(start=start, end=end, reason="title"))
            continue
        reason = _boilerplate_reason(chunk, is_last=index == len(paragraphs) - 1)
        if reason is not None:
            skipped.append(Skipped(start=start, end=end, reason=reason))
            continue
        start = _skip_dateline_prefix(text, start, end, skipped)
        blocks.append(Block(start, end))
    clean = break_long_runs(_mask(text, [(s.start, s.end) for s in skipped]))
    return SourceDocument(text, clean, tuple(blocks), title, tuple(skipped), _line_starts(text))


def _skip_dateline_prefix(text: str, start: int, end: int, skipped: list[Skipped]) -> int:
    for pattern in _patterns("dateline_prefix"):
        match = pattern.match(text[start:end])
        if match and start + match.end() < end:
            skipped.append(Skipped(start=start, end=start + match.end(), reason="dateline"))
            return start + match.end()
    return start


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the given spans by spaces (newlines kept), preserving length."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def parse_markdown(text: str) -> SourceDocument:
    """Markdown via markdown-it-py: prose blocks, title, and skipped structures.

    The H1 title hints at the thesis but is not a unit; block quotes mark quoted
    material; list items are blocks of their own; code, HTML, tables, images and
    rules are skipped.
    """
    from markdown_it import MarkdownIt

    starts = _line_starts(text)
    normalised = _LINE_BREAK.sub("\n", text)
    front = re.match(r"---[ \t]*\r?\n.*?\r?\n---[ \t]*(\r?\n|$)", text, re.S)
    if front:  # blank it out, keeping line numbers, so YAML is never read as Markdown
        front_lines = len(_LINE_BREAK.findall(text[: front.end()]))
        normalised = "\n" * front_lines + _LINE_BREAK.sub("\n", text[front.end() :])
    tokens = MarkdownIt("commonmark").enable("table").parse(normalised)

    def span_of(lines: list[int]) -> tuple[int, int]:
        first, last = lines
        end = starts[last] if last < len(starts) else len(text)
        return _strip_span(text, starts[first], end)

    blocks: list[Block] = []
    skipped: list[Skipped] = []
    masked: list[tuple[int, int]] = []
    title: tuple[int, int] | None = None
    quote_depth = list_depth = 0
    skip_until = -1
    for index, tok in enumerate(tokens):
        if index <= skip_until:
            continue
        if tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type == "list_item_open":
            list_depth += 1
        elif tok.type == "list_item_close":
            list_depth -= 1
        elif tok.type in _SKIPPED_BLOCKS and tok.map:
            start, end = span_of(tok.map)
            skipped.append(Skipped(start=start, end=end, reason=_SKIPPED_BLOCKS[tok.type]))
            if tok.type == "table_open":
                skip_until = next(
                    (j for j in range(index, len(tokens)) if tokens[j].type == "table_close"),
                    len(tokens),
                )
        elif tok.type == "heading_open" and tok.map:
            start, end = span_of(tok.map)
            if tok.tag == "h1" and title is None and not blocks:
                title = (start, end)
                skipped.append(Skipped(start=start, end=end, reason="title"))
            else:
                skipped.append(Skipped(start=start, end=end, reason="heading"))
        elif tok.type == "paragraph_open" and tok.map:
            start, end = span_of(tok.map)
            inline = tokens[index + 1]
            children = inline.children or []
            if (
                children
                and all(c.type in {"image", "softbreak", "text"} for c in children)
                and (
                    any(c.type == "image" for c in children)
                    and not "".join(c.content for c in children if c.type == "text").strip()
                )
            ):
                skipped.append(Skipped(start=start, end=end, reason="image"))
                continue
            reason = (
                None
                if quote_depth or list_depth
                else _boilerplate_reason(inline.content, is_last=False)
            )
            if reason is not None:
                skipped.append(Skipped(start=start, end=end, reason=reason))
                continue
            masked.extend(_markup_spans(text, start, end))
            kind = BlockKind.LIST_ITEM if list_depth else BlockKind.PARAGRAPH
            blocks.append(Block(start, end, kind, quoted=quote_depth > 0))
    _drop_trailing_bio(text, blocks, skipped)
    if front:
        skipped.insert(0, Skipped(start=0, end=front.end(), reason="front matter"))
    clean = break_long_runs(_mask(text, [(s.start, s.end) for s in skipped] + masked))
    skipped.sort(key=lambda s: s.start)
    return SourceDocument(text, clean, tuple(blocks), title, tuple(skipped), starts)


def _drop_trailing_bio(text: str, blocks: list[Block], skipped: list[Skipped]) -> None:
    if blocks and not blocks[-1].quoted and blocks[-1].kind is BlockKind.PARAGRAPH:
        last = blocks[-1]
        if _boilerplate_reason(text[last.start : last.end], is_last=True) == "author bio":
            blocks.pop()
            skipped.append(Skipped(start=last.start, end=last.end, reason="author bio"))


def _markup_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of Markdown markup inside a prose block: container prefixes, emphasis, links."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text[start:end]):
        line_start = start + line.start()
        prefix = _MD_CONTAINER_PREFIX.match(line.group())
        if prefix and prefix.end():
            spans.append((line_start, line_start + prefix.end()))
        for markup in _MD_INLINE_MARKUP.finditer(line.group()):
            spans.append((line_start + markup.start(), line_start + markup.end()))
    return spans
