"""What each feature means, in words a reader of the map understands.

One table: the map shows a scorer's reasons as "modal verb 'should' +1.4 ·
in the first paragraph +0.9", never as the feature's internal name.
"""

from __future__ import annotations

__all__ = ["describe_feature"]

_EXACT = {
    "para:first": "in the first paragraph",
    "para:last": "in the last paragraph",
    "paragraph:single_unit": "a paragraph of its own",
    "paragraph:first_unit": "opens its paragraph",
    "paragraph:last_unit": "closes its paragraph",
    "paragraph:middle_unit": "inside its paragraph",
    "paragraph:relative": "how far into the piece its paragraph is",
    "position:first_unit": "first unit of the piece",
    "position:last_unit": "last unit of the piece",
    "position:relative": "how far into the piece it is",
    "text:one_paragraph": "the piece is one paragraph",
    "sentence:continues": "continues the sentence before",
    "rule_thesis:score": "the rules' thesis score",
    "rule_thesis:gap_to_best": "how far below the rules' best thesis",
    "rule_thesis:best": "the rules' choice of thesis",
    "length:log_words": "its length",
    "length:short": "five words or fewer",
    "root:no_subject": "its main verb has no subject",
    "person:first_singular": "the author speaks as 'I'",
    "person:first_plural": "speaks as 'we'",
    "person:second": "addresses 'you'",
    "number:figure": "a number",
    "number:year": "a year",
    "number:percent": "a percentage",
    "number:currency": "a sum of money",
    "number:large": "a count in the thousands or more",
    "tense:past": "past tense",
    "negation": "a negation",
    "proper_noun:share": "share of names in it",
    "title:shares_words": "shares words with the title",
    "title:overlap": "share of its words in the title",
    "cue:quote_share": "share of it in quotation marks",
    "cue:deontic": "says what must or should be done",
    "construction:means_end": "says how to reach a goal ('by …ing', 'that means …ing')",
    "construction:reader_directive": "an imperative that steers the reader ('consider …')",
    "construction:echoed_imperative": "an imperative echoing reported words",
    "construction:imperative": "an imperative",
    "same_paragraph": "in the same paragraph",
    "same_sentence": "in the same sentence",
    "shared_words": "words the two share",
    "source_split_from_previous": "split off the sentence before",
    "target:thesis": "bears on the thesis",
    "target:opens_paragraph": "bears on a paragraph's first unit",
    "rule_link": "the rules' link",
    "rule_link:fallback": "the rules' fallback link",
    "rule_link:attack": "the rules read it as an attack",
    "distance:next": "the next unit",
    "distance:previous": "the unit before",
    "distance:near_after": "two or three units after",
    "distance:near_before": "two or three units before",
    "distance:far_after": "further after",
    "distance:far_before": "further before",
}
_PREFIXES = {
    "modal": "modal verb '{}'",
    "first_word": "opens with '{}'",
    "first_pos": "opens with a {} word",
    "opener": "opens with a {} connective",
    "opener_word": "opens with '{}'",
    "rule_role": "the rules read it as {}",
    "rule_evidence": "the rules read it as {} evidence",
    "root_tag": "main word tagged {}",
    "ends_with": "ends with '{}'",
    "cue": "{}",
    "source_role": "from a {}",
    "target_role": "to a {}",
    "roles": "from/to: {}",
    "source_opener": "opens with a connective: {}",
    "target": "target: {}",
    "construction": "{}",
}


def describe_feature(name: str) -> str:
    """A feature's meaning in words ("modal:should" → "modal verb 'should'")."""
    if name in _EXACT:
        return _EXACT[name]
    prefix, _, value = name.partition(":")
    template = _PREFIXES.get(prefix)
    if template is None or not value:
        return name.replace("_", " ").replace(":", ": ")
    return template.format(value.replace("_", " "))
