"""How much content may ask of a build, in one place, each number with the reason for it.

Content comes from many hands (clerks' spreadsheets, editors' posts, photos from phones) and a
build runs unattended; without bounds a stray 3 GB video, a 50 MB post or a 119-megapixel PNG
costs gigabytes and minutes before anything is said. Each limit is checked before the work it
guards (reading, parsing, decoding, rendering) and refused like any other content problem: a
located message in Chinese and exit status 1. Every number is far above what real content
needs, so that only a mistake or an attack reaches it.
"""

from __future__ import annotations

from portal import paths

# Files, checked with stat before they are opened (see files.py).
MAX_POST_BYTES = 1_000_000  # a long year-end bulletin with tables takes a few tens of kB; a megabyte of
# Markdown takes 1-10 s to render (a 50 MB post took 3 minutes and 2 GB)
MAX_SETTINGS_BYTES = 100_000  # site.yaml holds a dozen short keys, under 1 kB
MAX_TABLE_BYTES = 1_000_000  # a year's project list or indicators: 50 projects take 10-20 kB; a YAML
# table costs about 4 s a megabyte to parse before frictionless sees a row
MAX_TABLE_ROWS = 2_000  # rows of one table besides the header (blank rows aside): a district decides
# 10-50 projects a year with a few indicators each; every row is validated, held and reported on
# (618,000 rows took 1.1 GB and as many messages)
MAX_IMAGE_BYTES = 30_000_000  # a full-quality JPEG from a 60-megapixel camera is about 25 MB
MAX_ATTACHMENT_BYTES = 20_000_000  # a post's attachment (CONTENT-FORMAT.md): a scanned acceptance certificate
# or inspection report of a dozen pages is 1-5 MB; it is copied whole into the site, and a reader on a
# phone downloads it
ATTACHMENT_SUFFIXES = (".pdf", ".ofd", ".docx", ".xlsx", ".csv", ".jpg", ".jpeg", ".png", ".webp")
ATTACHMENTS_SAID = "、".join(ATTACHMENT_SUFFIXES[:-1]) + " 或 " + ATTACHMENT_SUFFIXES[-1]  # in messages

# Images, checked from the file's header before a pixel is decoded.
MAX_IMAGE_PIXELS = 60_000_000  # the largest camera sensors; decoding takes 3-4 bytes a pixel (240 MB)
MAX_IMAGE_SIDE = 30_000  # longer than a phone's panorama (about 20,000 pixels); the page shows at most
# 1,600 wide, and a longer strip is a mistake or an attack

# Markdown, checked on a post's body before Python-Markdown sees it (markup.refusal).
MAX_NESTING = 16  # lists and block quotes in one another: real posts nest 3-4 deep; Python-Markdown
# recurses once a level and fails near 250 (a 20 kB line of "- - - …")
MAX_LINES = 1_000  # lines of one paragraph (between blank lines): a long table has a few hundred rows;
# Python-Markdown splits a paragraph of headings or rules a line at a time, each split costing the
# rest of the paragraph, so that 50,000 lines of "# h" never finish
MAX_MARKS = 5_000  # characters of Markdown (* _ ` [ ! < & \\) in one paragraph: a long table with a link
# a row has a few hundred; each match copies the rest of its paragraph, so that 1 MB of "*_*_…"
# never finishes
MAX_OPEN = 8  # brackets [ ( and tags < left open at once, and code marks ` in one paragraph: real posts
# open 2 at most; Python-Markdown scans from each to the end of the paragraph (of the body, for <),
# so that 100 kB of "[[[[…" never finishes, while this many keep the cost linear

# Names that become parts of addresses, checked by paths.segment_problem where the limit lives.
MAX_SEGMENT = paths.MAX_SEGMENT  # characters in a file or folder name, or a unit's, leader's or category's
# name: a long Chinese unit name is 30; file systems refuse 255 bytes (85 Chinese characters)

# The monthly forms a clerk imports (forms/workbook.py), checked before openpyxl parses a part.
MB = 1024 * 1024
# Each limit is set from what a form needs and what reading costs (openpyxl 3.1, one core):
# a part read whole becomes Python objects of about 25 times its size (4 MB of styles: 100 MB
# and 3 s; 4 MB of tiny shared strings: 70 MB and 4 s); a sheet is streamed twice (our pass,
# then openpyxl's), about a second a megabyte in all. So the worst file costs some 20 seconds
# and a few hundred megabytes, where an unbounded one cost minutes and gigabytes.
FORM_BYTES = 20 * MB  # a month's form is a few dozen kilobytes; pictures pasted in stay below this
FORM_UNPACKED = 32 * MB  # all parts together, pictures included (a zip bomb is refused unopened)
FORM_STRINGS = 8 * MB  # sharedStrings.xml, every text cell: 300 projects of 3,000 characters are 3 MB
FORM_STYLES = 4 * MB  # styles.xml: a form uses a few dozen formats; Excel's cap of 64,000 is 6 MB
FORM_SHEET = 8 * MB  # one sheet's XML: 5,000 rows of 20 filled cells are 4 MB
FORM_PART = 2 * MB  # any other part openpyxl reads (workbook, relationships, theme): a few kB each
FORM_SHEETS = 32  # a form is one sheet; a year of monthly sheets and their copies fit
FORM_ROWS = 5000  # a district's list is a few dozen projects; a city's, a few hundred
FORM_COLUMNS = 60  # the export has 11 columns; cells to the right are not read
FORM_MERGED = 1000  # merged ranges a sheet: a form merges its title, at most each project's cells
FORM_CELL = 32767  # Excel's own cap on the characters in a cell
FORM_LISTED = 20  # cell problems listed a sheet: more would only bury the first ones

# A Word document imported as a post (workbench/docx.py), weighed before mammoth parses it.
# mammoth reads a document's XML whole into Python objects: at worst (a run a character) about
# 5 seconds and 75 MB a megabyte of XML, so the worst document costs some 20 seconds.
DOCX_BYTES = 20 * MB  # a news story with a dozen phone photos is 5-10 MB
DOCX_UNPACKED = 64 * MB  # all parts together, pictures included (a zip bomb is refused unopened)
DOCX_XML = 4 * MB  # all XML parts together: a 100-page report's text is 1-3 MB, its styles 0.1-0.8 MB
DOCX_PARTS = 1000  # parts in the package: a document has 10-20, and one a picture
DOCX_PICTURES = 50  # pictures taken from one document as the post's photos: a news story has a few

# The kinds of file a build reads, by suffix, with the most it reads of each.
_READS = {".md": MAX_POST_BYTES, ".csv": MAX_TABLE_BYTES, ".yaml": MAX_TABLE_BYTES}
_READS.update(dict.fromkeys((".jpg", ".jpeg", ".png", ".webp"), MAX_IMAGE_BYTES))
_ATTACHED = dict.fromkeys(ATTACHMENT_SUFFIXES, MAX_ATTACHMENT_BYTES)  # beside a post, under updates/


def read_at_most(relative: str) -> int:
    """The most a build reads of the file at this path under content/: 0 for a kind it never reads."""
    if relative == "site.yaml":
        return MAX_SETTINGS_BYTES
    name = relative.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    if dot <= 0:
        return 0
    suffix = name[dot:].lower()
    attached = _ATTACHED.get(suffix, 0) if relative.startswith("updates/") else 0
    return max(_READS.get(suffix, 0), attached)
