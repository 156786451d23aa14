"""Whether a path segment names a plural collection, judged by `inflect` (ATG-URI-02).

The check says nothing when it cannot be sure, because a wrong plural suggestion
(`tos`, `Ats`, `resources.jsons`, `personens`) costs a reviewer more than a missed one. It is
unsure about: segments with a file extension, acronyms (`API`, `NHS`), function words (`to`,
`at`, `by`, `nearby`, `me`), verbs (ATG-URI-01 reports those), words of one or two letters,
words that are not English (not in the `english-words` web2 list: romanised Japanese `tosho`,
Dutch `personen`, Italian `comune`, whose plurals English rules cannot make), and words whose
plural `inflect` gives as the word itself (`information`, `equipment`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # inflect takes over a second to import: loaded on the first plural question
    import inflect

_FUNCTION_WORDS = frozenset(
    {
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "among",
        "around",
        "as",
        "at",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "between",
        "beyond",
        "by",
        "down",
        "during",
        "except",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "like",
        "near",
        "nearby",
        "next",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "outside",
        "over",
        "past",
        "per",
        "since",
        "through",
        "to",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "via",
        "with",
        "within",
        "without",
        "me",
        "my",
        "mine",
        "self",
        "own",
        "all",
        "any",
        "each",
        "every",
        "latest",
        "current",
        "recent",
        "new",
        "old",
        "public",
        "open",
        "bulk",
        "batch",
        "by_id",
        "and",
        "or",
        "not",
    }
)
_ROMAJI = re.compile(r"^(?:(?:[kgsztdnhbpmr]y?|sh|ch|ts|j|f|w|y)?[aeiou]|n)+$")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@cache
def _engine() -> inflect.engine:
    import inflect

    return inflect.engine()


@cache
def _english_words() -> frozenset[str]:
    """Webster's Second International word list (235,000 words, lower case)."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=True))


@cache
def _plural_of(word: str) -> str | None:
    """The plural of a singular noun, or None when `word` is plural, uncountable or unsure."""
    engine = _engine()
    if engine.singular_noun(word) is not False:  # inflect reads it as a plural
        return None
    plural = engine.plural_noun(word)
    return plural if plural and plural != word else None


def plural_suggestion(segment: str, verbs: frozenset[str]) -> str | None:
    """The segment made plural (`library` → `libraries`, `cityLibrary` → `cityLibraries`),
    or None when it is plural already or the linter is unsure."""
    if _EXTENSION.search(segment) or not segment.isascii():
        return None
    words = _WORDS.findall(segment)
    if not words:
        return None
    last = words[-1]
    word = last.lower()
    unsure = (
        not word.isalpha()
        or len(word) < 3
        or (last.isupper() and len(last) > 1)
        or word in _FUNCTION_WORDS
        or word in verbs
        or _ROMAJI.match(word)
        or word not in _english_words()
    )
    if unsure or not segment.endswith(last):
        return None
    plural = _plural_of(word)
    if plural is None:
        return None
    if last[0].isupper():
        plural = plural[0].upper() + plural[1:]
    return segment[: -len(last)] + plural


def is_plural_segment(segment: str) -> bool:
    """The last word of the segment reads as a plural noun (`libraries`, `cityLibraries`)."""
    words = _WORDS.findall(segment)
    word = words[-1].lower() if words else ""
    return len(word) > 2 and word.isalpha() and _engine().singular_noun(word) is not False
