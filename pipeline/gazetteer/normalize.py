"""Name normalization shared by the gazetteer builder and the lookup.

Both sides must produce the same keys, so this module is the only place that
decides what "the same name" means. Three keys per name:

* ``norm``: case-folded, diacritics and apostrophe-like marks removed, hyphens and
  punctuation as spaces ("Al-Ḩasakah" → "al hasakah");
* ``skeleton``: ``norm`` without a leading Arabic article and with common
  transliteration variation folded (doubled letters, a final "h" after a vowel,
  final "e"/"eh" read as "a", an article inside the name as "al" whether written
  as spoken before a sun letter or as "el"; an aspirated "ph" as "p": Kyaukphyu, Kyaukpyu), so Hasaka, Hasakah, Hassakeh and
  Al-Hasakah all meet at "hasaka", Jisr ash-Shughur and Jisr al-Shughur at
  "jisr al shughur";
* ``compact``: ``norm`` without its spaces, so a name written as one word and as
  two meets ("Petion-Ville", "Pétionville" → "petionville"); not for initials
  ("U.K." stays apart from a place called Uk).

A match on ``norm`` is stronger evidence than one on ``skeleton`` or ``compact``
(the lookup records which one matched: the "tier").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Marks that transliterations use for ayn/hamza and apostrophes: dropped, not spaced.
_DROP = dict.fromkeys(map(ord, "'’‘`´ʿʾʼʻ′\u02bc\u02bb"), None)
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
                       "œ": "oe", "ı": "i", "ħ": "h"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Arabic definite article as transliterated, when it is a separate word.
_ARTICLE = re.compile(r"^(?:al|el|an|ar|as|ash|ad|az|at|ath|adh|ul)\s+")
# An article inside a name, written as spoken before a "sun letter" ("Jisr ash-Shughur", "Deir ez-Zor") or as
# "el": folded to "al" ("Jisr al-Shughur", "Deir al-Zor").
_INNER_ARTICLE = re.compile(r"(?<=\s)(?:[aeu](sh|ch|th|dh|[dtrzsn])(?=\s\1)|el(?=\s))")
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_VOWEL_H = re.compile(r"(?<=[aeiou])h\b")
_FINAL_E = re.compile(r"(?<=[^aeiou\s])e\b")


@lru_cache(maxsize=200_000)
def norm(name: str) -> str:
    """Case, diacritics and punctuation folded: the exact-match key."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_DROP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """The transliteration-tolerant key (see the module docstring)."""
    text = _INNER_ARTICLE.sub("al", _ARTICLE.sub("", norm(name)))
    text = text.replace("ou", "u").replace("ee", "i").replace("kh", "k").replace("q", "k").replace("ph", "p")
    text = _DOUBLE.sub(r"\1", text)
    text = _FINAL_VOWEL_H.sub("", text)
    text = _FINAL_E.sub("a", text)
    return text.strip()


def compact(name: str) -> str:
    """``norm`` without spaces, or "" when the name has one word or a one-letter part (initials)."""
    parts = norm(name).split()
    if len(parts) < 2 or min(map(len, parts)) < 2:
        return ""
    return "".join(parts)


def keys(name: str) -> list[tuple[str, int]]:
    """(key, tier) pairs under which ``name`` is indexed: tier 0 ``norm`` (and without a leading "the"),
    tier 2 ``skeleton`` and ``compact``."""
    n = norm(name)
    if not n:
        return []
    out = [(n, 0)]
    if n.startswith("the ") and len(n) > 4:  # "The Netherlands", "the Gambia"
        out.append((n[4:], 0))
    s = skeleton(name)
    if s and s != n:
        out.append((s, 2))
    c = compact(name)
    if c and c != s:
        out.append((c, 2))
    return out


def is_latin(name: str) -> bool:
    """True when the name is written in Latin script (the only names English text can match)."""
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return any(ch.isalpha() for ch in name)
