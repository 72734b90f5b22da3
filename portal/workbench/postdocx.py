"""从 Word 导入 on the post form: a .docx becomes the form's body, its title when the form has
none, and its pictures the photos the form holds, each with the alt text the document suggests.

Nothing is written: the form comes back filled in, with the converter's notes above it, and the
post is saved like any other (every photo's alt text required, everything checked as ``check``
would). The body shows each picture by the name the converter gave it (image-1.png …), which
the photo carries (Photo.ref) until the save puts it there under the name the server chooses.
Only an empty body is filled: a body already typed is never replaced nor mixed with a document.
"""

from __future__ import annotations

import dataclasses

from portal.files import megabytes
from portal.workbench import docx, photos
from portal.workbench.postform import Form, show
from portal.workbench.web import Bench, Response

NAME = "所选文件"  # the browser's name for the file is never given (web.Request)
CHOOSE = "请先点“选择文件”选一个 Word 文档（.docx），再点“导入”"
NOT_EMPTY = "正文里已经有文字，导入会用文档的内容作正文：请先清空正文（需要的话先复制到别处），再导入"


def imported(bench: Bench, form: Form, data: bytes | None) -> Response:
    """The form filled in from the document, or shown again with why it was refused beside its input."""
    found = _converted(form, data)
    if isinstance(found, str):
        form.verdict.add("docx", found)
        return show(bench, form, 422)
    converted, taken = found
    values = dataclasses.replace(form.values, body=converted.body, title=form.values.title or converted.title)
    held = (*(dataclasses.replace(photo, ref="") for photo in form.held), *taken)
    filled = dataclasses.replace(form, values=values, held=held)
    pictures = f"和 {len(taken)} 张图片（在“图片”一栏）" if taken else ""
    message = f"已导入文档的正文{pictures}，还没有保存：请核对正文和下面的说明，填好每张图片的说明，再保存。"
    return show(bench, filled, 422 if form.verdict else 200, message=message, notes=converted.notes)


def _converted(form: Form, data: bytes | None) -> tuple[docx.Converted, tuple[photos.Photo, ...]] | str:
    """The document converted and its pictures as photos, or why it is not imported."""
    if data is None:
        return CHOOSE
    if form.values.body.strip():
        return NOT_EMPTY
    try:
        converted = docx.convert(data, NAME)
    except docx.DocxRefused as exc:
        return exc.message
    taken = []
    for picture in converted.images:
        photo = photos.accept(picture.data, picture.alt)
        if isinstance(photo, str):
            return f"文档中的图片 {picture.name}：{photo}"
        taken.append(dataclasses.replace(photo, ref=picture.name))
    if sum(len(photo.data) for photo in (*form.held, *taken)) > photos.MAX_HELD:
        return (
            f"文档中的图片合计超过 {megabytes(photos.MAX_HELD)}，一次带不下："
            "请在 Word 中压缩图片（选中图片 → 图片格式 → 压缩图片）后再导入"
        )
    return converted, tuple(taken)
