"""Characters no page or feed may carry, refused where content is read, with the line named.

XML 1.0 (feed.xml and the project feeds) forbids the C0 controls but tab, newline and carriage
return, and U+FFFE/U+FFFF; HTML counts every control and noncharacter as a parse error; a lone
surrogate cannot be written as UTF-8; U+2028/U+2029 are invisible line breaks that YAML reads as
new lines. Text copied from a web page, Word or a terminal brings them in unseen. They are
refused, never silently removed: the portal publishes what was written, or says why not.
"""

from __future__ import annotations

import re

from .errors import Problem

_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def message(text: str) -> str:
    """What to tell the editor about the forbidden characters in ``text``, each as U+XXXX."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text))
    return f"含有不可见的控制字符 {'、'.join(found)}：请删去（常由复制粘贴带入）"


def problems(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """A located problem for each line of ``text`` that carries a forbidden character."""
    if not FORBIDDEN.search(text):
        return []
    return [
        Problem(path, first_line + number, None, message(line))
        for number, line in enumerate(text.split("\n"))
        if FORBIDDEN.search(line)
    ]
