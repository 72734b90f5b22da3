"""The lines under the form's table: who filled it in, their phone, and who approved it.

The notice sends 附件2 "经单位主要负责人审核后": the approver (审核人) becomes the ``reviewed_by``
of every report of the sheet. 填报人 and 联系电话 are for the commission's own questions: their
rows are recognised so that they are not read as projects, and what they say goes nowhere (never
into content/, never published).

The portal's export puts each label in column A (merged over A:B) and the cell to fill in C; a
plain form often has one cell like ``填报人：王五　联系电话：023-1234　审核人：李四``, or a label and
its value in one cell. All read the same: a row is a footer row when its first filled cell begins
with one of the labels, and each value is what follows its label up to the next one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from portal.forms import labels
from portal.load import tables

_REVIEWER = "审核人"  # the label as plain forms shorten it; the export writes labels.REVIEWER
_LABELS = sorted({unicodedata.normalize("NFKC", label) for label in (*labels.FOOTER, _REVIEWER)}, key=len, reverse=True)
_LABEL = re.compile("|".join(map(re.escape, _LABELS)))


def is_footer(cells: Iterable[Any]) -> bool:
    """Whether a row's first filled cell begins with 填报人, 联系电话 or 审核人."""
    first = next((text for text in map(_text, cells) if text), "")
    return _LABEL.match(first) is not None


def reviewer(rows: Iterable[Iterable[Any]]) -> str | None:
    """The 审核人 written in these footer rows, if any."""
    for cells in rows:
        text = "　".join(filter(None, map(_text, cells)))
        found = list(_LABEL.finditer(text))
        for label, following in zip(found, [*found[1:], None], strict=True):
            if label.group().startswith(_REVIEWER):
                end = following.start() if following is not None else len(text)
                value = text[label.end() : end].strip(tables.BLANK + ":")
                if value:
                    return value
    return None


def _text(value: Any) -> str:
    """A cell as text with full-width colons and brackets made half-width, edges trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip(tables.BLANK)
