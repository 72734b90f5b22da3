"""A Word document (.docx, from Word or WPS) as a post: its body in the portal's Markdown, its
pictures as the post's photos, and notes for the editor on what changed on the way.

News staff write in Word; pasted into a post, Word's paragraphs run together and its pictures
are lost. mammoth reads the document (a kept library that reads .docx only, never fetches what
a document links to, and maps paragraph styles by name, so WPS's Chinese style names are mapped
beside Word's); docxmarkdown writes the post body from mammoth's HTML, escaping every character
of the document's text. The file is recognised and weighed first (docxpackage): a file that is
not a .docx, or would cost too much to read, is refused with a message saying what to do.

A pure function, for the workbench's upload: nothing is written; the workbench asks the editor
for each photo's alt text, then saves the post and its photos through the same checks as `check`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import mammoth

from portal import limits
from portal.errors import visible
from portal.load import chars, markup
from portal.workbench.docxhtml import tree
from portal.workbench.docxmarkdown import Writer
from portal.workbench.docxpackage import DocxRefused, check, damaged
from portal.workbench.docxpictures import Picture, Pictures

__all__ = ["Converted", "DocxRefused", "Picture", "convert"]

# Style names as Word and WPS write them: Word keeps its built-in styles' English names in the
# file (mammoth maps "heading 1" and the like itself); WPS may write the Chinese ones.
_STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => p.title:fresh",
        "p[style-name='标题'] => p.title:fresh",
        *(f"p[style-name='标题 {n}'] => h{n}:fresh\np[style-name='标题{n}'] => h{n}:fresh" for n in range(1, 7)),
        "p[style-name='正文'] => p:fresh",
    ]
)


@dataclass(frozen=True)
class Converted:
    """A document as a post: the body (Markdown), the photos it refers to by name, in order,
    notes for the editor (Chinese), and the text of its Title-styled paragraph ("" if none)."""

    body: str
    images: tuple[Picture, ...]
    notes: tuple[str, ...]
    title: str


def convert(data: bytes, name: str) -> Converted:
    """The post a .docx makes; DocxRefused (its message in Chinese) for a file that cannot be one."""
    check(data, name)
    pictures = Pictures()
    writer = Writer()
    try:
        html = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(pictures),
            include_embedded_style_map=False,  # the document does not choose how it is read
            external_file_access=False,
        ).value
        writer.write(tree(html).children)
    except Exception as exc:  # mammoth's many ways of failing on a damaged part (and a RecursionError)
        raise DocxRefused(damaged(name)) from exc
    body = writer.body()
    if len(body.encode()) > limits.MAX_POST_BYTES:
        raise DocxRefused(
            f"“{visible(name)}”的文字超过 {limits.MAX_POST_BYTES // 1_000_000} MB，一篇动态放不下：请分成几篇导入"
        )
    notes = _notes(writer, pictures, body)
    return Converted(body, tuple(pictures.kept), tuple(dict.fromkeys(notes)), writer.title)


def _notes(writer: Writer, pictures: Pictures, body: str) -> list[str]:
    """What the editor should look at before saving: the title and the numbers taken out of the
    text, what was flattened or left out, the alt texts still to write, what check would refuse."""
    notes = []
    if writer.title:
        notes.append(f"文档的标题“{writer.title}”没有放进正文：它是这篇动态的标题")
    if writer.numbered["h"] or writer.numbered["ol"]:
        headings, items = writer.numbered["h"], writer.numbered["ol"]
        notes.append(
            f"以“一、”“（一）”编号的 {headings} 个段落已转为小标题，以“1.”“（1）”编号的 {items} 个段落已转为编号列表：请在预览中核对"
        )
    notes += writer.notes + pictures.notes
    if missing := sum(1 for picture in pictures.kept if not picture.alt):
        notes.append(
            f"有 {missing} 张图片没有替代文字（说明图片内容的一句话，读屏软件会读给看不见的读者）：保存前请逐张填写"
        )
    if not body:
        notes.append("文档中没有读到文字或图片：文字是否在文本框或图片里？")
    if chars.FORBIDDEN.search(body):  # check refuses them; the editor deletes them where the note says
        notes.append(f"正文{chars.message(body)}")
    if found := markup.refusal(body):
        notes.append(f"正文第 {found[0] + 1} 行：{found[1]}")
    return notes
