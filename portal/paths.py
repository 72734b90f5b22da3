"""Where the portal's own files are; names from content that become parts of URLs and file
paths, checked before use.

A name that becomes an address must be one a reader can see and tell apart: no invisible letters
(the Hangul fillers are letters to Python, blank on screen) and no mix of scripts that lets two
addresses look the same (a Cyrillic "а" inside a Latin name). Unicode's data decides: IDNA2008's
table of characters valid in identifiers (the idna package) and its script of each character (the
confusable_homoglyphs package, which also names the look-alike in the message). Han mixed with
Latin letters and digits, as in 2020-06-12-news-盘溪河, is how Chinese names are written: allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

from idna.idnadata import codepoint_classes
from idna.intranges import intranges_contain

PACKAGE = Path(__file__).resolve().parent
# Run from a checkout, the portal's templates, static files and schemas are folders beside the
# package; installed (pip install .), the wheel carries them inside it, under _data/.
_CHECKOUT = PACKAGE.parent
INSTALLED = not (_CHECKOUT / "schema").is_dir() and (PACKAGE / "_data").is_dir()
PORTAL = PACKAGE / "_data" if INSTALLED else _CHECKOUT
SCHEMA_DIR = PORTAL / "schema"
TEMPLATES_DIR = PORTAL / "templates"
STATIC_DIR = PORTAL / "static"
# The portal's own folders: no build may write into them (its code, templates, assets, tests, history).
OWN_FOLDERS = (PACKAGE, TEMPLATES_DIR, STATIC_DIR, SCHEMA_DIR, _CHECKOUT / "tests", _CHECKOUT / ".git")

_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_SEGMENT = re.compile(r"^[^\W_][\w.\-\u00b7（）()]*$")
MAX_SEGMENT = 80
# Scripts that may share a name: Unicode's "highly restrictive" level (UTS #39, 5.2), in which
# Latin goes with Han, and Han with Japanese kana, Bopomofo or Hangul. Any one script alone is fine.
_MIXABLE = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)
_NEUTRAL = {"COMMON", "INHERITED"}  # digits, punctuation, marks: of every script
_SCRIPT_NAMES = {
    "LATIN": "拉丁字母",
    "HAN": "汉字",
    "CYRILLIC": "西里尔字母",
    "GREEK": "希腊字母",
    "HIRAGANA": "平假名",
    "KATAKANA": "片假名",
    "HANGUL": "谚文",
    "BOPOMOFO": "注音符号",
    "ARMENIAN": "亚美尼亚字母",
    "ARABIC": "阿拉伯字母",
    "HEBREW": "希伯来字母",
}


@lru_cache(maxsize=65536)  # every output path is checked, part by part: the same names again and again
def segment_problem(name: str) -> str | None:
    """Why ``name`` cannot be one part of a URL path, or None when it can."""
    if not name:
        return "名称为空"
    if name != unicodedata.normalize("NFC", name):
        return "含有未规范化的 Unicode 字符"
    if len(name) > MAX_SEGMENT:
        return f"太长（{len(name)} 个字符，最多 {MAX_SEGMENT} 个）"
    if "%" in name or "/" in name or "\\" in name or "\x00" in name or name in {".", ".."}:
        return "含有路径字符（/ \\ % 或 ..）"
    if _DEVICE.match(name):
        return "是 Windows 保留的设备名"
    hidden = next((c for c in name if not c.isprintable() or (c.isalnum() and not _identifier(c))), None)
    if hidden is not None:
        return f"含有看不见或不能用于网址的字符 {_named(hidden)}"
    if not _SEGMENT.match(name) or name.endswith("."):
        return "只能由文字、数字、连字符、下划线和点组成，且以文字或数字开头"
    return None if name.isascii() else _mixed_scripts(name)


@cache
def _identifier(char: str) -> bool:
    """Whether a letter or digit is valid in an identifier (IDNA2008: PVALID), as a case-insensitive,
    normalising disk would store it: not a filler, not an invisible or unstable letter."""
    return all(intranges_contain(ord(c), codepoint_classes["PVALID"]) for c in key(char))


def _named(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}（{name}）" if name else f"U+{ord(char):04X}"


def _mixed_scripts(name: str) -> str | None:
    """Why a name mixes scripts so that a look-alike address is possible, or None."""
    letters = [(c, _script(c)) for c in name if _script(c) not in _NEUTRAL]
    scripts = list(dict.fromkeys(script for _, script in letters))
    if len(scripts) < 2 or any(set(scripts) <= allowed for allowed in _MIXABLE):
        return None
    mixed = "、".join(_SCRIPT_NAMES.get(s, s) for s in scripts)
    main = Counter(script for _, script in letters).most_common(1)[0][0]
    for char, script in letters:
        twin = _look_alike(char, {*scripts, "LATIN"} - {script}) if script != main else None
        if twin:
            seen = _SCRIPT_NAMES.get(_script(twin[0]), "")
            return f"混用了{mixed}：其中“{char}”是 {_named(char)}，看起来与{seen}“{twin}”一样，请只用一种文字"
    return f"混用了{mixed}：网址里只有汉字与拉丁字母（或假名、注音、谚文）可以混用，请只用一种文字"


def _look_alike(char: str, scripts: set[str]) -> str | None:
    """A character (or a few) of one of these scripts that ``char`` looks like (confusables.txt)."""
    from confusable_homoglyphs import confusables  # its data costs 60 ms: only for a name that mixes scripts

    found = confusables.is_confusable(char, preferred_aliases=sorted(scripts))
    glyphs = [g["c"] for g in found[0]["homoglyphs"]] if found else []
    return next((g for g in glyphs if {_script(c) for c in g} <= scripts), None)


@cache
def _script(char: str) -> str:
    """The script of a character (Scripts.txt), e.g. LATIN, HAN, COMMON."""
    from confusable_homoglyphs import categories  # its data costs 40 ms: only once a name is not ASCII

    return categories.alias(char)


def key(name: str) -> str:
    """Two names that would be the same file on a case-insensitive or normalising disk."""
    return unicodedata.normalize("NFKC", name).casefold()
