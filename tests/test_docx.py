"""Importing a Word document as a post (workbench/docx.py): documents made here with python-docx
as Word saves them and as WPS does (Chinese style names, numbered style ids) become exactly this
Markdown, render to this HTML, and what is not a .docx or would cost too much is refused in Chinese."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile
from collections.abc import Callable

import docx
import pytest
from conftest import post, run, write_tree
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from PIL import Image

from portal import limits, paths
from portal.load import markup
from portal.workbench.docx import Converted, DocxRefused, convert

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def picture(size: tuple[int, int] = (40, 20), color: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def add_picture(paragraph: Paragraph, data: bytes, alt: str | None = None) -> None:
    """A picture in its own run, with Word's alt text (the descr of its drawing) when given."""
    shape = paragraph.add_run().add_picture(io.BytesIO(data))
    if alt is not None:
        shape._inline.docPr.set("descr", alt)


def add_link(paragraph: Paragraph, url: str, text: str) -> None:
    """A hyperlink run, as Word writes one (python-docx has no call for it)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, HYPERLINK, is_external=True))
    run, words = OxmlElement("w:r"), OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def outline(document: docx.document.Document) -> int:
    """A two-level list of Word's own (1. then a bullet), as Word's numbering button makes one:
    the id to number paragraphs with."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for level, fmt, text in ((0, "decimal", "%1."), (1, "bullet", "•"))
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    return numbering.add_num(90).numId


def listed(document: docx.document.Document, text: str, number: int, level: int) -> None:
    numbers = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
    numbers.get_or_add_ilvl().val = level
    numbers.get_or_add_numId().val = number


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_story(document: docx.document.Document, title: str, heading: str, body: str) -> None:
    """A news story as news staff write it: 公文 numbering typed into the text, Word's own
    numbered list, bold and italic, a table, two photos, links, and text that looks like markup."""
    document.add_paragraph("盘溪河步道完工", style=title)
    document.add_paragraph("　　12月20日，盘溪河步道全线完工。", style=body)
    document.add_paragraph("一、工程概况", style=body)
    first = document.add_paragraph("步道全长", style=body)
    first.add_run("3.2公里").bold = True
    first.add_run("，由")
    first.add_run("区住建委").italic = True
    first.add_run("负责。")
    document.add_paragraph("（一）建设内容", style=body)
    document.add_paragraph("1. 新建步道", style=body)
    document.add_paragraph("（1）透水铺装", style=body)
    document.add_paragraph("（2）夜间照明", style=body)
    document.add_paragraph("2、配套设施", style=body)
    document.add_paragraph("二、基本情况。今年以来，区住建委按计划推进，群众反映良好。", style=body)
    document.add_paragraph("下一步安排", style=heading)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("项目", "进度"), ("步道", "100%"), ("照明 | 绿化", "80%")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    photos = document.add_paragraph(style=body)
    add_picture(photos, picture(color="green"), alt="盘溪河步道入口，居民在散步")
    add_picture(document.add_paragraph(style=body), picture(color="blue", fmt="JPEG"))
    links = document.add_paragraph("详见", style=body)
    add_link(links, "https://example.gov.cn/a?x=1&y=(2)", "通知原文")
    links.add_run("，勿点")
    add_link(links, "javascript:alert(1)", "这里")
    document.add_paragraph("<script>alert(1)</script> 与 *星号* [x](javascript:alert(1))", style=body)
    document.add_paragraph("# 不是标题", style=body)


STORY = """\
12月20日，盘溪河步道全线完工。

## 一、工程概况

步道全长**3.2公里**，由*区住建委*负责。

### （一）建设内容

1. 新建步道
    1. 透水铺装
    2. 夜间照明
2. 配套设施

二、基本情况。今年以来，区住建委按计划推进，群众反映良好。

### 下一步安排

| 项目 | 进度 |
| --- | --- |
| 步道 | 100% |
| 照明 \\| 绿化 | 80% |

![盘溪河步道入口，居民在散步](image-1.png)

![](image-2.jpg)

详见[通知原文](https://example.gov.cn/a?x=1&y=%282%29)，勿点这里

&lt;script&gt;alert(1)&lt;/script&gt; 与 \\*星号\\* \\[x\\](javascript:alert(1))

\\# 不是标题

## 完"""

NOTES = (
    "文档的标题“盘溪河步道完工”没有放进正文：它是这篇动态的标题",
    "以“一、”“（一）”编号的 2 个段落已转为小标题，以“1.”“（1）”编号的 4 个段落已转为编号列表：请在预览中核对",
    "文档中指向本机文件等非网址的链接已改为普通文字",
    "有 1 张图片没有替代文字（说明图片内容的一句话，读屏软件会读给看不见的读者）：保存前请逐张填写",
)


def word_story() -> bytes:
    document = docx.Document()
    write_story(document, "Title", "Heading 2", "Normal")
    document.add_paragraph("完", style="Heading 1")
    return saved(document)


def wps_story() -> bytes:
    """As WPS saves it: its built-in styles under their Chinese names, with numbers for ids."""
    document = docx.Document()
    for style_id, (english, chinese) in enumerate(
        [("Normal", "正文"), ("Heading 1", "标题 1"), ("Heading 2", "标题 2"), ("Title", "标题")], start=1
    ):
        style = document.styles[english]
        style.name, style.style_id = chinese, str(style_id)
    write_story(document, "标题", "标题 2", "正文")
    document.add_paragraph("完", style="标题 1")
    return saved(document)


@pytest.mark.parametrize("made", [word_story, wps_story], ids=["word", "wps"])
def test_a_story_becomes_this_markdown(made: Callable[[], bytes]) -> None:
    converted = convert(made(), "盘溪河.docx")
    assert converted.body == STORY
    assert converted.title == "盘溪河步道完工"
    assert converted.notes == NOTES
    assert [(p.name, p.content_type, p.alt) for p in converted.images] == [
        ("image-1.png", "image/png", "盘溪河步道入口，居民在散步"),
        ("image-2.jpg", "image/jpeg", ""),
    ]
    assert Image.open(io.BytesIO(converted.images[0].data)).getpixel((0, 0)) == (0, 128, 0)
    assert all(paths.segment_problem(p.name.rsplit(".", 1)[0]) is None for p in converted.images)


def test_the_story_renders_as_headings_a_nested_list_a_table_photos_and_text() -> None:
    html = markup.render(convert(word_story(), "盘溪河.docx").body)
    assert re.findall(r"<(h2|h3|p|ol|li|table|th|td|img|a)\b", html) == (
        ["p", "h2", "p", "h3", "ol", "li", "ol", "li", "li", "li", "p", "h3"]
        + ["table", "th", "th", "td", "td", "td", "td", "p", "img", "p", "img", "p", "a", "p", "p", "h2"]
    )
    assert '<img alt="盘溪河步道入口，居民在散步" src="image-1.png">' in html
    assert '<img alt="" src="image-2.jpg">' in html
    assert '<a href="https://example.gov.cn/a?x=1&amp;y=%282%29" rel="noopener noreferrer">通知原文</a>' in html
    assert "<td>照明 | 绿化</td>" in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; 与 *星号* [x](javascript:alert(1))</p>" in html
    assert "<p># 不是标题</p>" in html


def test_the_story_with_its_alt_texts_written_passes_check(content) -> None:
    converted = convert(word_story(), "盘溪河.docx")
    body = converted.body.replace("![](image-2.jpg)", "![步道夜景](image-2.jpg)")
    files = {f"updates/news/{p.name}": p.data for p in converted.images}
    front = f"title: {converted.title}\ndate: 2030-03-01\nkind: news"
    write_tree(content, {"updates/news/2030-03-01-盘溪河.md": post(front, body), **files})
    code, out, err = run("check", "--content", str(content))
    assert code == 0, out + err


# ---------------------------------------------------------------- text as typed


TYPED = [
    "- 不是列表",
    "+ 不是列表",
    "* 不是列表",
    "> 不是引用",
    "= 不是标题线",
    "~~~",
    "```",
    "---",
    "2020. 不是列表",
    "# 不是标题 #",
    "<img src=x onerror=alert(1)>",
    "<!-- 注释 -->",
    "![图](https://evil.example/x.png)",
    "[链接](javascript:alert(1))",
    "a_b_c *d* **e** `f` \\g &amp; &lt; | h",
    "注意![",
    "C#",
]


def test_text_that_looks_like_markup_reaches_the_page_as_typed() -> None:
    """Each text typed plain, bold, in a heading and in a list item: shown as typed, no other element."""
    document = docx.Document()
    for typed in TYPED:
        document.add_paragraph(typed)
        document.add_paragraph().add_run(typed).bold = True
        document.add_paragraph(typed, style="Heading 1")
        document.add_paragraph("项", style="List Bullet").add_run(typed)
        document.add_paragraph("—")  # one list a string: Markdown would join two lists of one kind
    html = markup.render(convert(saved(document), "a.docx").body).replace("\n", "")
    shown = [(tag, html_lib.unescape(text)) for tag, text in re.findall(r"<(\w+)>([^<]+)<", html)]
    assert re.findall(r"<\w+", html) == ["<p", "<p", "<strong", "<h2", "<ul", "<li", "<p"] * len(TYPED)
    assert shown == [
        pair
        for typed in TYPED
        for pair in [("p", typed), ("strong", typed), ("h2", typed), ("li", "项" + typed), ("p", "—")]
    ]


def test_a_line_break_a_heading_ending_in_a_hash_and_runs_of_bold_and_italic() -> None:
    document = docx.Document()
    document.add_paragraph("C#", style="Heading 1")
    document.add_paragraph("Heading 3", style="Heading 3")
    lines = document.add_paragraph("第一行")
    lines.add_run().add_break()
    lines.add_run("1. 第二行")
    mixed = document.add_paragraph()
    mixed.add_run(" 粗体 ").bold = True
    both = mixed.add_run("粗斜")
    both.bold = both.italic = True
    mixed.add_run("斜体").italic = True
    mixed.add_run("*").bold = True
    body = convert(saved(document), "a.docx").body
    assert body == "## C\\#\n\n#### Heading 3\n\n第一行<br>1. 第二行\n\n**粗体 *粗斜****斜体***\\***"
    assert markup.render(body) == (
        "<h2>C#</h2>\n<h4>Heading 3</h4>\n<p>第一行<br>1. 第二行</p>\n"
        "<p><strong>粗体 <em>粗斜</em></strong><em>斜体</em><strong>*</strong></p>"
    )


# ---------------------------------------------------------------- lists and tables


def test_word_lists_keep_their_nesting_and_a_list_ends_at_a_paragraph() -> None:
    document = docx.Document()
    number = outline(document)
    listed(document, "甲", number, 0)
    listed(document, "甲一", number, 1)
    listed(document, "乙", number, 0)
    document.add_paragraph("段落")
    document.add_paragraph("1. 编号")
    document.add_paragraph("丙", style="List Bullet")
    converted = convert(saved(document), "a.docx")
    assert converted.body == "1. 甲\n    - 甲一\n2. 乙\n\n段落\n\n1. 编号\n\n- 丙"
    assert markup.render(converted.body) == (
        "<ol>\n<li>甲<ul>\n<li>甲一</li>\n</ul>\n</li>\n<li>乙</li>\n</ol>\n<p>段落</p>\n"
        "<ol>\n<li>编号</li>\n</ol>\n<ul>\n<li>丙</li>\n</ul>"
    )


def test_a_parenthesised_item_with_no_item_before_it_opens_a_list_of_its_own() -> None:
    document = docx.Document()
    for text in ("（1）甲", "(2) 乙", "3．丙", "（4）丁", "十一、第十一部分", "（十二）第十二节"):
        document.add_paragraph(text)
    assert convert(saved(document), "a.docx").body == (
        "1. 甲\n2. 乙\n3. 丙\n    4. 丁\n\n## 十一、第十一部分\n\n### （十二）第十二节"
    )


def test_merged_and_many_paragraph_cells_are_flattened_with_a_note() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row in range(3):
        for column in range(3):
            table.cell(row, column).text = f"{row}{column}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(2, 0).add_paragraph("第二段")
    converted = convert(saved(document), "a.docx")
    assert converted.body == "| 合并 |  | 02 |\n| --- | --- | --- |\n| 10 | 11 | 12 22 |\n| 20 第二段 | 21 |  |"
    assert converted.notes == (
        "表格中的合并单元格已拆开：合并格的文字只留在第一格，其余格留空，请在预览中核对",
        "表格中一格里的多段文字（或列表）已合成一行，段与段之间用空格隔开",
    )
    assert "<td>20 第二段</td>" in markup.render(converted.body)


# ---------------------------------------------------------------- pictures


def pictured(*pictures: tuple[bytes, str | None]) -> bytes:
    """A document of one paragraph a picture, each with its alt text (None: none)."""
    document = docx.Document()
    for data, alt in pictures:
        add_picture(document.add_paragraph(), data, alt)
    return saved(document)


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The document with one part's content replaced, or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
        target.writestr(name, content)
    return buffer.getvalue()


def test_a_gif_becomes_a_png_and_a_picture_used_twice_is_one_photo() -> None:
    gif = picture((30, 10), fmt="GIF")
    converted = convert(pictured((gif, "动图"), (gif, "又一次"), (picture(), "照片")), "a.docx")
    assert converted.body == "![动图](image-1.png)\n\n![又一次](image-1.png)\n\n![照片](image-2.png)"
    assert [(p.name, p.content_type, p.alt) for p in converted.images] == [
        ("image-1.png", "image/png", "动图"),
        ("image-2.png", "image/png", "照片"),
    ]
    with Image.open(io.BytesIO(converted.images[0].data)) as image:
        assert (image.format, image.size) == ("PNG", (30, 10))
    assert converted.notes == ()


def test_alt_text_that_is_a_file_name_or_words_guess_is_no_alt_text_and_brackets_stay_text() -> None:
    alts = [
        "C:\\Users\\张三\\IMG_0012.JPG",
        "手机屏幕截图 描述已自动生成",
        "人群 [左] & <右> | `代码` *",
        " 两行\n说明 ",
    ]
    converted = convert(
        pictured(*((picture(color=c), a) for c, a in zip(["red", "blue", "green", "gray"], alts, strict=True))),
        "a.docx",
    )
    assert [p.alt for p in converted.images] == ["", "", "人群 [左] & <右> | `代码` *", "两行 说明"]
    assert (
        converted.body.split("\n\n")[2]
        == "![人群 &#91;左&#93; &#38; &#60;右&#62; &#124; &#96;代码&#96; &#42;](image-3.png)"
    )
    html = markup.render(converted.body)
    assert '<img alt="人群 [左] &amp; &lt;右&gt; | `代码` *" src="image-3.png">' in html


def emf() -> bytes:
    """The header of an EMF drawing (what Word keeps a drawn chart or a pasted Visio figure as)."""
    rectangle = b"".join(n.to_bytes(4, "little") for n in (0, 0, 99, 49))  # bounds, then frame (0.01 mm)
    header = (1).to_bytes(4, "little") + (108).to_bytes(4, "little") + rectangle + rectangle + b" EMF"
    return header + bytes(108 - len(header))


def test_pictures_the_site_cannot_show_are_left_out_with_a_note() -> None:
    wide = picture((limits.MAX_IMAGE_SIDE + 1, 1))
    document = docx.Document()
    add_picture(document.add_paragraph("图一"), picture(), "照片")
    for data in (wide, picture(fmt="TIFF"), picture(color="blue"), picture(color="green")):
        add_picture(document.add_paragraph(), data, "说明")
    # python-docx takes neither an EMF nor a damaged file: each put in place of a PNG it took
    data = with_part(with_part(saved(document), "word/media/image4.png", emf()), "word/media/image5.png", b"\x89PNG")
    converted = convert(data, "a.docx")
    assert converted.body == "图一![照片](image-1.png)"
    assert converted.notes == (
        f"第 2 张图片（{limits.MAX_IMAGE_SIDE + 1}×1）像素过多（最多 6000 万像素，每边最多 30000 像素），没有导入：请缩小后在编辑页上传",
        "第 3 张图片的格式（image/tiff）网页不能显示，没有导入：请另存为 JPEG 或 PNG 图片后在编辑页上传",
        "第 4 张图片是 Windows 图元文件（EMF/WMF，常见于 Word 里画的图和图表），网页不能显示，没有导入：请另存为 JPEG 或 PNG 图片后在编辑页上传",
        "第 5 张图片已损坏，无法读取，没有导入：请另存为 JPEG 或 PNG 图片后在编辑页上传",
    )


def test_pictures_past_the_limit_are_left_out_with_one_note(monkeypatch) -> None:
    monkeypatch.setattr(limits, "DOCX_PICTURES", 2)
    converted = convert(pictured(*((picture(color=c), c) for c in ["red", "green", "blue", "gray"])), "a.docx")
    assert converted.body == "![red](image-1.png)\n\n![green](image-2.png)"
    assert converted.notes == ("文档中的图片超过 2 张，第 3 张起没有导入：请分成几篇",)


# ---------------------------------------------------------------- refusals


def old_doc(stream: str) -> bytes:
    """The start of an OLE compound file with a stream of this name in its directory."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def workbook() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


SAVE_AS = "请在 Word 或 WPS 中打开它，另存为“Word 文档（*.docx）”后再导入"
DAMAGED = f"“a.docx”已损坏，无法读取：{SAVE_AS}"
BOMB = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w>&b;</w>'


def declared(data: bytes) -> bytes:
    """The document with an entity declared in its document type, which mammoth alone would read."""
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    start = document.index(b"<w:document")
    return with_part(
        data, "word/document.xml", document[:start] + b'<!DOCTYPE w:document [<!ENTITY a "x">]>' + document[start:]
    )


@pytest.mark.parametrize(
    ("made", "message"),
    [
        (lambda: old_doc("WordDocument"), f"“a.docx”是旧版 Word（.doc）或 WPS（.wps）格式：{SAVE_AS}"),
        (
            lambda: old_doc("EncryptedPackage"),
            "“a.docx”设置了打开密码，无法读取：请在 Word 或 WPS 中打开它，取消密码后另存为 .docx 再导入",
        ),
        (lambda: b"{\\rtf1\\ansi hello}", f"“a.docx”是 RTF 格式，不是 .docx：{SAVE_AS}"),
        (lambda: "这是一段文字".encode(), f"“a.docx”不是 Word 文档（.docx）：{SAVE_AS}"),
        (lambda: word_story()[:-200], f"“a.docx”不是 Word 文档（.docx）：{SAVE_AS}"),
        (workbook, f"“a.docx”不是 Word 文档（.docx），是别的文件打包成的：{SAVE_AS}"),
        (lambda: with_part(word_story(), "word/document.xml", b"<w:document"), DAMAGED),
        (lambda: declared(word_story()), DAMAGED),
        (lambda: with_part(word_story(), "word/media/image1.png", b"\n\n" + BOMB), DAMAGED),
    ],
    ids=["doc", "encrypted", "rtf", "text", "truncated", "xlsx", "broken-xml", "entity", "entity-in-any-part"],
)
def test_what_is_not_a_docx_is_refused_saying_what_to_do(made, message: str) -> None:
    with pytest.raises(DocxRefused) as refused:
        convert(made(), "a.docx")
    assert refused.value.message == str(refused.value) == message


def test_a_part_encrypted_in_the_zip_is_refused_as_damaged() -> None:
    """No Word writes one: the part's flag says "encrypted" in the ZIP's central directory."""
    data = bytearray(word_story())
    entry = data.rindex(b"word/document.xml") - 46  # the directory's entry, after every part
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 8] |= 1
    with pytest.raises(DocxRefused, match=f"^{re.escape(DAMAGED)}$"):
        convert(bytes(data), "a.docx")


def padded(data: bytes, count: int) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(count - len(archive.infolist())):
            archive.writestr(f"customXml/pad{number}.bin", b"")
    return buffer.getvalue()


def test_what_would_cost_too_much_is_refused_before_it_is_parsed() -> None:
    too_big = b"PK" + bytes(limits.DOCX_BYTES - 1)
    unpacked = with_part(word_story(), "word/media/zeros.bin", bytes(limits.DOCX_UNPACKED))
    xml = with_part(word_story(), "word/media/image9.png", b"<x>" + b" " * limits.DOCX_XML + b"</x>")
    long_text = docx.Document()
    for _ in range(110):
        long_text.add_paragraph("a" * 10_000)
    cases = [
        (too_big, "有 20.1 MB，超过 20 MB 的上限：请在 Word 中压缩图片（选中图片 → 图片格式 → 压缩图片）后再导入"),
        (
            unpacked,
            "解压后有 64.8 MB，超过 64 MB 的上限：请在 Word 中压缩图片（选中图片 → 图片格式 → 压缩图片）后再导入",
        ),
        (xml, "的文字和格式（XML）解压后有 4.8 MB，超过 4 MB 的上限：请删去不需要的内容，或把文档分成几篇后再导入"),
        (
            padded(word_story(), 1001),
            "由 1001 个部分组成，超过 1000 个的上限，不像是一篇稿件：请删去不需要的内容，或把文档分成几篇后再导入",
        ),
        (saved(long_text), "的文字超过 1 MB，一篇动态放不下：请分成几篇导入"),
    ]
    for data, message in cases:
        with pytest.raises(DocxRefused) as refused:
            convert(data, "a.docx")
        assert refused.value.message == "“a.docx”" + message


def test_a_damaged_document_is_converted_or_refused_never_a_traceback() -> None:
    """Bytes of a real document changed here and there: a post or a refusal, nothing else."""
    import random

    story = bytearray(word_story())
    chance = random.Random(15)
    for _ in range(40):
        data = bytearray(story)
        for _ in range(chance.randint(1, 8)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        try:
            assert isinstance(convert(bytes(data), "a.docx"), Converted)
        except DocxRefused as refused:
            assert refused.message.startswith("“a.docx”")


def test_a_control_character_in_the_file_name_is_shown_not_sent() -> None:
    with pytest.raises(DocxRefused) as refused:
        convert(b"text", "a\x1b[2J.docx")
    assert refused.value.message == f"“a\\u001b[2J.docx”不是 Word 文档（.docx）：{SAVE_AS}"


def test_what_check_would_refuse_in_the_body_is_said_in_a_note() -> None:
    document = docx.Document()
    document.add_paragraph("从网页复制的\x85文字")
    document.add_paragraph("*" * 2600)
    converted = convert(saved(document), "a.docx")
    assert converted.body == "从网页复制的\x85文字\n\n" + "\\*" * 2600
    assert converted.notes == (
        "正文含有不可见的控制字符 U+0085：请删去（常由复制粘贴带入）",
        "正文第 3 行：一段中的 Markdown 符号（* _ ` [ ! < & \\）过多（超过 5000 个）：请用空行分段",
    )


def test_an_empty_part_or_html_kept_as_pasted_is_no_reason_to_refuse() -> None:
    data = with_part(
        with_part(word_story(), "word/empty.xml", b""), "word/afchunk.htm", b"<!DOCTYPE html><html></html>"
    )
    assert convert(data, "a.docx").body == convert(word_story(), "a.docx").body
