"""Characters no page or feed may carry, refused where content is read, with the line named.

XML 1.0 (feed.xml and the project feeds) forbids the C0 controls but tab, newline and carriage
return, and U+FFFE/U+FFFF; HTML counts every control and noncharacter as a parse error; a lone
surrogate cannot be written as UTF-8. Text copied from a web page, Word or a terminal brings them
in unseen. They are refused, never silently removed: the portal publishes what was written, or
says why not. U+2028/U+2029 (line and paragraph separators) are valid in both XML and HTML and
stay allowed in text, but not written as they are in YAML, which reads them as line breaks.
"""

from __future__ import annotations

import re

from portal.errors import Problem

_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
IN_YAML = re.compile(f"{FORBIDDEN.pattern}|[\u2028\u2029]")  # as written in a YAML file


def message(text: str, forbidden: re.Pattern[str] = FORBIDDEN) -> str:
    """What to tell the editor about the forbidden characters in ``text``, each by its code point (U+001B)."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in forbidden.findall(text))
    return f"含有不可见的控制字符 {'、'.join(found)}：请删去（常由复制粘贴带入）"


def problems(text: str, path: str, first_line: int = 1, forbidden: re.Pattern[str] = FORBIDDEN) -> list[Problem]:
    """A located problem for each line of ``text`` that carries a forbidden character."""
    if not forbidden.search(text):
        return []
    return [
        Problem(path, first_line + number, None, message(line, forbidden))
        for number, line in enumerate(text.split("\n"))
        if forbidden.search(line)
    ]
