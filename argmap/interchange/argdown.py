"""The map as an Argdown document, and pro/con Argdown trees read back as maps.

Argdown (argdown.org) is the plain-text argument-mapping language of the
DebateLab at KIT; its editor and CLI draw maps, so an argmap analysis can be
refined there and read back. The export is a pro/con tree:

* the thesis, premises and evidence are *statements* (``[1]: text``), claims,
  recommendations and objections are *arguments* (``<1.1>: text``), titled by
  their outline numbers, so "1.2" means the same unit in every render;
* ``+``/``-`` lines indented under a unit support/attack it;
* tags carry roles and evidence types (``#evidence #statistic``), and
  ``#call-to-action`` marks a thesis or claim that calls for action (a
  recommendation says so by its role); a data block ``{id: u3}`` gives the
  unit's place in the text (the tree is not in text order);
* a unit drawn under one target that also bears on another is repeated there
  as a reference (``+ <1.3>``), the Argdown way of sharing a node.

The reader accepts that subset and ordinary hand-written trees: titled or
untitled statements, arguments, references, the relation symbols ``+ - <+ <-
+> -> _ <_ _> ><``, tags, data, comments, headings, front matter, line
continuations and bold/italic marks. Undercuts and contradictions become
attacks. Premise-conclusion structures and lists are refused with the line
number (an InputError), not half-read.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import yaml

from argmap.errors import InputError
from argmap.interchange._build import ImportedRelation, ImportedUnit, build_map
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit
from argmap.render.numbering import MAX_PARTS, number_units, primary_relations
from argmap.render.outline import calls_out

__all__ = ["from_argdown", "to_argdown"]

_STATEMENT_ROLES = frozenset({Role.THESIS, Role.PREMISE, Role.EVIDENCE})
_SYMBOL = {RelationKind.SUPPORT: "+", RelationKind.ATTACK: "-"}
# Okabe-Ito borders, as in the diagram, so Argdown's own maps colour roles alike.
_TAG_COLOURS = {
    Role.THESIS: "#0072B2",
    Role.CLAIM: "#56B4E9",
    Role.PREMISE: "#B8A900",
    Role.EVIDENCE: "#009E73",
    Role.RECOMMENDATION: "#CC79A7",
    Role.OBJECTION: "#D55E00",
}
_ALWAYS_ESCAPED = frozenset("\\@#*_[]{}<>")
_IN_EQUALS_RUN = re.compile(r"===")
_SHORTCODE_END = re.compile(r"\S+?[.:]")
_MAX_NESTING = MAX_PARTS - 1
"""The deepest indentation written: a deeper subtree continues in a block of its own."""


def _escape(text: str) -> str:
    r"""Make unit text literal in Argdown.

    Every character Argdown reads as markup is backslash-escaped: ``\ @ # * _
    [ ] { } < >`` always; ``/`` where it would open a comment; ``.`` and ``:``
    where a later ``.``/``:`` in the same word could close a shortcode such as
    ``.A.`` (so "U.S." keeps its dots, "3.5" needs no escape); ``=`` in a run
    of three, which would open front matter. Line breaks and runs of spaces
    collapse to one space, as Argdown would.
    """
    flat = " ".join(text.split())
    out: list[str] = []
    for i, ch in enumerate(flat):
        if ch in _ALWAYS_ESCAPED:
            out.append("\\" + ch)
        elif ch == "/" and flat[i + 1 : i + 2] in ("/", "*"):
            out.append("\\/")
        elif ch in ".:" and _SHORTCODE_END.match(flat, i + 1):
            out.append("\\" + ch)
        elif ch == "=" and _IN_EQUALS_RUN.search(flat, max(0, i - 2), i + 3):
            out.append("\\=")
        else:
            out.append(ch)
    return "".join(out)


_CALL_TAG = "call-to-action"


def _tags(unit: Unit) -> str:
    tags = [unit.role.value]
    if unit.evidence_type is not None:
        tags.append(unit.evidence_type.value)
    if calls_out(unit):
        tags.append(_CALL_TAG)
    return " ".join(f"#{t}" for t in tags)


def _reference(unit: Unit, number: str) -> str:
    return f"[{number}]" if unit.role in _STATEMENT_ROLES else f"<{number}>"


def _definition(unit: Unit, number: str) -> str:
    text = _escape(unit.text)
    return f"{_reference(unit, number)}: {text} {_tags(unit)} {{id: {unit.id}}}"


def _front_matter() -> list[str]:
    lines = ["===", "title: Argument map", "color:", "  tagColors:"]
    lines += [f'    {role.value}: "{colour}"' for role, colour in _TAG_COLOURS.items()]
    return [*lines, "==="]


def to_argdown(m: ArgumentMap) -> str:
    """Write the map as an Argdown pro/con tree (see the module docstring).

    Args:
        m: The argument map.

    Returns:
        The document, ending with a newline. It parses with the reference
        ``@argdown/cli`` into one statement or argument per unit and one
        relation per map relation.
    """
    lines = [*_front_matter(), ""]
    if not m.units:
        return "\n".join([*lines, "// No argument found."]) + "\n"
    lines.append(
        "// Made with argmap: titles are the outline numbers, tags the roles, "
        "{id: ...} the order in the text."
    )
    numbers = number_units(m)
    titles = _titles(numbers)
    units = {u.id: u for u in m.units}
    primary = primary_relations(m)
    in_tree = {uid: rel for uid, rel in primary.items() if "." in numbers[uid]}
    shared: dict[str, list[Relation]] = {}
    for rel in m.relations:
        if in_tree.get(rel.source) is not rel:
            shared.setdefault(rel.target, []).append(rel)
    order = {u.id: i for i, u in enumerate(m.units)}
    children: dict[str, list[str]] = {uid: [] for uid in numbers}
    for uid in numbers:  # pre-order: children arrive in outline order
        if uid in in_tree:
            children[in_tree[uid].target].append(uid)

    # Depth-first, without recursion (a long chain must not hit Python's limit):
    # a unit, its subtree, then references to the units that also bear on it.
    # A unit at _MAX_NESTING levels continues later as a tree of its own, under
    # a reference to it, so the indentation (and the file) stays linear in the map.
    tops = deque((uid, True) for uid, number in numbers.items() if "." not in number)
    while tops:
        top, defined = tops.popleft()
        stack: list[tuple[bool, str, int]] = [(False, top, 0)]
        while stack:
            refs_only, uid, depth = stack.pop()
            indent = "  " * (depth + 1)
            if refs_only:
                for rel in sorted(
                    shared.get(uid, []), key=lambda r: (order[r.source], r.kind.value)
                ):
                    ref = _reference(units[rel.source], titles[rel.source])
                    lines.append(f"{indent}{_SYMBOL[rel.kind]} {ref}")
                continue
            definition = _definition(units[uid], titles[uid])
            if depth == 0:
                lines.extend(["", definition if defined else _reference(units[uid], titles[uid])])
            else:
                lines.append(f"{'  ' * depth}{_SYMBOL[in_tree[uid].kind]} {definition}")
            if depth == _MAX_NESTING and (children[uid] or uid in shared):
                tops.append((uid, False))
                continue
            stack.append((True, uid, depth))
            stack.extend((False, child, depth + 1) for child in reversed(children[uid]))
    return "\n".join(lines) + "\n"


def _titles(numbers: dict[str, str]) -> dict[str, str]:
    """Titles are outline numbers; a shortened number two units share gets the unit's id."""
    counts = Counter(numbers.values())
    return {uid: n if counts[n] == 1 else f"{n} {uid}" for uid, n in numbers.items()}


# --- reading -------------------------------------------------------------------------

_SENTINEL = "\ue000"
_FRONT_MATTER = re.compile(r"\A\s*===+.*?===+[^\n]*", re.DOTALL)
_COMMENT_START = re.compile(r"\\.|<!--|/\*|//[^\n]*", re.DOTALL)
_COMMENT_END = {"<!--": "-->", "/*": "*/"}
_RELATION = re.compile(r"^([ \t]*)(\+>|->|<\+|<-|<_|_>|><|\+|-|_(?=\s))\s*(.*)$")
_UNSUPPORTED = re.compile(r"^[ \t]*(?:\(\d+\)|--|\d+\.\s|\*\s)")
_HEADING = re.compile(r"^#+ ")
_DEFINITIONS = {
    "statement": re.compile(r"^\[((?:\\.|[^\]\\])+)\](:?)\s*(.*)$"),
    "argument": re.compile(r"^<((?:\\.|[^>\\])+)>(:?)\s*(.*)$"),
}
_DATA = re.compile(r"\{[^{}]*\}\s*$")
_MAX_SPAN = 1000
"""The longest tag, mention, link or emphasis read as markup (a longer one stays as written).

The bound keeps reading linear: an opener never closed would otherwise make
each later one re-read the rest of the line.
"""
_N, _M = f"{{1,{_MAX_SPAN}}}", f"{{0,{_MAX_SPAN - 2}}}"
_TAG = re.compile(rf"#(?:\(([^)]{_N})\)|([\w\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+))")
_MARKUP = [
    (re.compile(rf"@\[([^\]]{_N})\]|@<([^>]{_N})>"), lambda mt: mt.group(1) or mt.group(2)),
    (re.compile(rf"\[([^\]]{_N})\]\([^)]{_N}\)"), lambda mt: mt.group(1)),
    (re.compile(rf"\*\*(\S(?:.{_M}?\S)?)\*\*"), lambda mt: mt.group(1)),
    (re.compile(rf"(?<!\w)__(\S(?:.{_M}?\S)?)__(?!\w)"), lambda mt: mt.group(1)),
    (re.compile(rf"\*(\S(?:.{_M}?\S)?)\*"), lambda mt: mt.group(1)),
    (re.compile(rf"(?<!\w)_(\S(?:.{_M}?\S)?)_(?!\w)"), lambda mt: mt.group(1)),
]
# Relation symbol -> (kind, the child is the source, cue).
_RELATIONS: dict[str, tuple[RelationKind, bool, str]] = {
    "+": (RelationKind.SUPPORT, True, "Argdown '+': supports the unit above"),
    "<+": (RelationKind.SUPPORT, True, "Argdown '<+': supports the unit above"),
    "+>": (RelationKind.SUPPORT, False, "Argdown '+>': the unit above supports it"),
    "-": (RelationKind.ATTACK, True, "Argdown '-': attacks the unit above"),
    "<-": (RelationKind.ATTACK, True, "Argdown '<-': attacks the unit above"),
    "->": (RelationKind.ATTACK, False, "Argdown '->': the unit above attacks it"),
    "_": (RelationKind.ATTACK, True, "Argdown undercut '_', read as an attack"),
    "<_": (RelationKind.ATTACK, True, "Argdown undercut '<_', read as an attack"),
    "_>": (RelationKind.ATTACK, False, "Argdown undercut '_>', read as an attack"),
    "><": (RelationKind.ATTACK, True, "Argdown contradiction '><', read as an attack"),
}


@dataclass
class _Element:
    key: str
    title: str
    raws: list[list[str]] = field(default_factory=list)
    """Each mention's text, as its lines (joined once, at the end: a long run is linear)."""


def _strip_comments(text: str) -> str:
    """Remove comments (keeping their line breaks, so line numbers stay right).

    A scan, not one regular expression: ``<!--.*?-->`` re-reads the rest of
    the text from every opener that is never closed, which is quadratic.
    Here an opener with no closer after it is text, and so is every later one
    of its kind.
    """
    kept: list[str] = []
    done = at = 0
    unclosed: set[str] = set()
    while (found := _COMMENT_START.search(text, at)) is not None:
        opener = found.group(0)
        if opener.startswith("\\"):  # an escaped character is never a comment
            at = found.end()
            continue
        if opener.startswith("//"):
            kept.append(text[done : found.start()])
            done = at = found.end()
            continue
        closer = _COMMENT_END[opener]
        end = -1 if opener in unclosed else text.find(closer, found.end())
        if end < 0:
            unclosed.add(opener)
            at = found.start() + 1
            continue
        end += len(closer)
        kept += [text[done : found.start()], "\n" * text.count("\n", found.start(), end)]
        done = at = end
    kept.append(text[done:])
    return "".join(kept)


def _content(raw: str) -> tuple[str, list[str], dict[str, object]]:
    """Split an element's raw text into plain text, tags and data.

    Escaped characters are set aside first (as a private-use placeholder), so
    that no markup rule can touch them, and put back last.
    """
    escaped: list[str] = []

    def protect(mt: re.Match[str]) -> str:
        escaped.append(mt.group(1))
        return _SENTINEL

    text = re.sub(r"\\(.)", protect, raw.replace(_SENTINEL, "\\" + _SENTINEL))
    data: dict[str, object] = {}
    found = _DATA.search(text)
    if found is not None:
        try:
            loaded = yaml.safe_load(found.group(0))
        except (yaml.YAMLError, ValueError, RecursionError):  # ValueError: a 5,000-digit int
            loaded = None  # not a data block after all: the text keeps it
        if isinstance(loaded, dict):
            data = {str(k): v for k, v in loaded.items()}
            text = text[: found.start()]
    tags = [(mt.group(1) or mt.group(2)).strip() for mt in _TAG.finditer(text)]
    text = _TAG.sub(" ", text)
    for pattern, keep in _MARKUP:
        text = pattern.sub(keep, text)
    restored = iter(escaped)
    text = re.sub(_SENTINEL, lambda _: next(restored), text)
    return " ".join(text.split()), tags, data


class _Reader:
    """Line-by-line reader of the pro/con subset of Argdown."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.elements: dict[str, _Element] = {}
        self.relations: list[ImportedRelation] = []
        self.untitled = 0
        self.stack: list[tuple[int, str]] = []
        self.last: _Element | None = None
        self.top_level: list[str] = []

    def element(self, content: str) -> _Element:
        """The element a line defines or refers to (created on first sight)."""
        kind, title, text = "statement", "", content
        for candidate, pattern in _DEFINITIONS.items():
            found = pattern.match(content)
            if found is not None:
                kind, title, text = candidate, re.sub(r"\\(.)", r"\1", found.group(1)), found[3]
                title = title.strip()
                break
        if not title:
            self.untitled += 1
            title, kind, text = f"Untitled {self.untitled}", "statement", content
        key = f"{kind}:{title}"
        element = self.elements.setdefault(key, _Element(key, title))
        element.raws.append([text])
        return element

    def read_line(self, line: str, lineno: int) -> None:
        if not line.strip():
            self.stack, self.last = [], None
            return
        if _UNSUPPORTED.match(line):
            raise InputError(
                f"{self.name}:{lineno}: premise-conclusion structures and lists are not "
                "supported; argmap reads pro/con trees ('+'/'-' lines under a statement)"
            )
        relation = _RELATION.match(line)
        if relation is None:
            if _HEADING.match(line):
                self.stack, self.last = [], None
                return
            if self.last is not None:  # a line break inside the text of the last element
                self.last.raws[-1].append(line.strip())
                return
            self.last = self.element(line.strip())
            self.stack = [(-1, self.last.key)]
            self.top_level.append(self.last.key)
            return
        indent = len(relation.group(1).expandtabs(4))
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        if not self.stack:
            raise InputError(f"{self.name}:{lineno}: a relation with nothing above it to relate to")
        parent = self.stack[-1][1]
        child = self.element(relation.group(3).strip())
        kind, child_is_source, cue = _RELATIONS[relation.group(2)]
        source, target = (child.key, parent) if child_is_source else (parent, child.key)
        self.relations.append(ImportedRelation(source, target, kind, cue))
        self.stack.append((indent, child.key))
        self.last = child


def _role_from_tags(tags: list[str]) -> tuple[Role | None, EvidenceType | None]:
    roles = {r.value: r for r in Role}
    types = {t.value: t for t in EvidenceType}
    role = next((roles[t.lower()] for t in tags if t.lower() in roles), None)
    evidence = next((types[t.lower()] for t in tags if t.lower() in types), None)
    return role, evidence


def from_argdown(text: str, *, name: str = "<argdown>") -> ArgumentMap:
    """Read an Argdown pro/con tree (argmap's export or hand-written) as a map.

    Units follow their ``{id: uN}`` data when every element has one (argmap's
    own exports), else their first appearance. The thesis is the element
    tagged ``#thesis``; in argmap's own export (ids and role tags everywhere)
    without one, none; else the top of the first tree (a top-level element with relations), else
    the root with the most units under it. Roles come
    from tags (``#claim``, ``#evidence``, ...), else from the structure.

    Raises:
        InputError: For constructs outside the pro/con subset, with the line.
    """
    body = _FRONT_MATTER.sub(lambda mt: "\n" * mt.group(0).count("\n"), text, count=1)
    reader = _Reader(name)
    for lineno, line in enumerate(_strip_comments(body).splitlines(), start=1):
        reader.read_line(line.rstrip(), lineno)
    units: list[ImportedUnit] = []
    thesis_key: str | None = None
    for element in reader.elements.values():
        parts = [_content(" ".join(raw)) for raw in element.raws]
        plain = next((p for p, _, _ in parts if p), element.title)
        tags = [tag for _, found, _ in parts for tag in found]
        data: dict[str, object] = {}
        for _, _, found_data in reversed(parts):
            data.update(found_data)
        role, evidence = _role_from_tags(tags)
        if role is Role.THESIS and thesis_key is None:
            thesis_key = element.key
        preferred = data.get("id")
        units.append(
            ImportedUnit(
                key=element.key,
                text=plain,
                role=role,
                evidence_type=evidence,
                role_cue=f"Argdown tag #{role.value}" if role is not None else None,
                preferred_id=preferred if isinstance(preferred, str) else None,
                calls_for_action=any(t.lower() == _CALL_TAG for t in tags),
            )
        )
    # argmap's own export (every element has its {id: ...}) tags the thesis if there is one.
    ours = bool(units) and all(u.preferred_id and u.role for u in units)
    if thesis_key is None and not ours:  # by Argdown custom, the first tree's top
        related = {key for rel in reader.relations for key in (rel.source, rel.target)}
        thesis_key = next((k for k in reader.top_level if k in related), None)
    return build_map(
        units, reader.relations, fmt="Argdown", thesis_key=thesis_key, find_thesis=not ours
    )
