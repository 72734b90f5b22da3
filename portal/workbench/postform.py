"""The post form of 发布动态: what it submitted, and the page that shows it again.

A form is read whole from each POST (the browser sends every field each time, and the photos
not yet saved as hidden fields), so that every page it leads to (a preview, a refused save) shows
the post exactly as it was typed, each problem beside its field (``aria-describedby``) and listed
above the form with a link to that field.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from portal.load import markup
from portal.model import urls
from portal.workbench import attachments, photos, posts
from portal.workbench.judged import Verdict
from portal.workbench.pages import page
from portal.workbench.postfile import VOTES, Fields
from portal.workbench.web import Bench, Request, Response, address

LABELS = {
    "title": "标题",
    "date": "发布日期",
    "kind": "类型",
    "projects": "关联项目",
    "source": "来源",
    "votes": "满意度测评票数",
    "body": "正文",
    "photo": "添加图片",
    "docx": "从 Word 导入",
    "attachment": "附件",
}
VOTE_LABELS = dict(zip(VOTES, ("满意", "基本满意", "不满意", "弃权"), strict=True))
SAVED = {
    "draft": "已保存为草稿。草稿只在预览中显示，不会发布；要公开时请点“发布”。",
    "publish": "已发布：文章已写入内容文件夹，预览几秒内就会显示它。正式网站在下次生成时更新。",
}
_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')


@dataclass(frozen=True)
class Form:
    """A post form as submitted: which post, its fields, the photos it carries, what is wrong."""

    rel: str = ""  # the edited post under updates/, "" for a new one
    version: str = ""  # the SHA-256 of that post when the form was opened
    values: Fields = field(default_factory=Fields)
    held: tuple[photos.Photo, ...] = ()
    verdict: Verdict = field(default_factory=Verdict)
    attached: tuple[attachments.Attached, ...] = ()


def submitted(request: Request) -> Form:
    """The form as posted; the photos it carries (and any new one) checked again, by their bytes."""
    values = Fields(
        title=request.field("title"),
        date=request.field("date"),
        kind=request.field("kind"),
        projects=request.fields("projects"),
        source=request.field("source"),
        body=request.field("body"),
        votes=tuple(request.field(f"votes_{key}") for key in VOTES),
    )
    verdict = Verdict()
    held: list[photos.Photo] = []
    dropped = set(request.fields("drop"))
    refs = request.fields("held_ref")
    for number, (text, alt) in enumerate(zip(request.fields("held"), request.fields("held_alt"), strict=False)):
        found = photos.carried(text, alt)
        if isinstance(found, str):
            verdict.add("photo", found)
        elif str(number) not in dropped:
            held.append(dataclasses.replace(found, ref=photos.ref(refs[number] if number < len(refs) else "")))
    upload = request.file("photo")
    if upload is not None:
        found = photos.accept(upload, request.field("photo_alt"))
        if isinstance(found, str):
            verdict.add("photo", found)
        elif sum(len(photo.data) for photo in held) + len(found.data) > photos.MAX_HELD:
            limit = photos.MAX_HELD // 1_000_000
            verdict.add("photo", f"未保存的图片合计不能超过 {limit} MB：请先保存文章，再添加这张图片")
        else:
            held.append(found)
    for number, photo in enumerate(held):
        problem = photos.alt_problem(photo.alt)
        if problem:
            verdict.add(f"held-{number}", problem)
    attached = _attached(request, sum(len(photo.data) for photo in held), verdict)
    return Form(request.field("path"), request.field("version"), values, tuple(held), verdict, attached)


def _attached(request: Request, photos_held: int, verdict: Verdict) -> tuple[attachments.Attached, ...]:
    """The attachments the form carries (not dropped) and any new one, each checked by its bytes,
    all with the photos under what one form may carry (photos.MAX_HELD)."""
    held: list[attachments.Attached] = []
    dropped = set(request.fields("drop_attached"))
    texts, titles = request.fields("attached"), request.fields("attached_title")
    for number, (text, title) in enumerate(zip(texts, titles, strict=False)):
        found = attachments.carried(text, title)
        if isinstance(found, str):
            verdict.add("attachment", found)
        elif str(number) not in dropped:
            held.append(found)
    upload = request.file("attachment")
    if upload is not None:
        found = attachments.accept(upload, request.field("attachment_title"))
        if isinstance(found, str):
            verdict.add("attachment", found)
        elif photos_held + sum(len(item.data) for item in held) + len(found.data) > photos.MAX_HELD:
            limit = photos.MAX_HELD // 1_000_000
            verdict.add("attachment", f"未保存的图片和附件合计不能超过 {limit} MB：请先保存文章，再添加这个附件")
        else:
            held.append(found)
    for number, item in enumerate(held):
        problem = attachments.title_problem(item.title)
        if problem:
            verdict.add(f"attached-{number}", problem)
    return tuple(held)


def show(
    bench: Bench,
    form: Form,
    status: int = 200,
    preview: str | None = None,
    message: str = "",
    state: str = "",
    notes: tuple[str, ...] = (),
) -> Response:
    """The form page, as submitted or as opened, with its problems, a preview, a message, notes
    (on a Word document just imported) and (as opened) whether the post is published."""
    verdict = form.verdict
    listed = [(f"field-{name}", _label(name), text) for name, texts in verdict.fields.items() for text in texts]
    choices = posts.choices(bench)
    known = {id for _, items in choices.years for id, _, _ in items}
    return page(
        bench,
        "post.html",
        status,
        title="修改动态" if form.rel else "写一篇新动态",
        form=form,
        values=form.values,
        kinds=posts.EDITED,
        vote_labels=VOTE_LABELS,
        choices=choices,
        unknown=[id for id in form.values.projects if id not in known],
        state=state,
        held=[(number, photo, photos.thumbnail(photo)) for number, photo in enumerate(form.held)],
        attached=list(enumerate(form.attached)),
        held_limit=photos.MAX_HELD // 1_000_000,
        errors=verdict.fields,
        general=verdict.general,
        listed=listed,
        preview=preview,
        message=message,
        notes=notes,
        seen=_seen(form),
    )


def _label(name: str) -> str:
    if name.startswith("held-"):
        return f"第 {int(name[5:]) + 1} 张图片的说明"
    if name.startswith("attached-"):
        return f"第 {int(name[9:]) + 1} 个附件的标题"
    return LABELS.get(name, name)


def _seen(form: Form) -> str:
    """The address of the edited post in the preview ("" for a new one)."""
    if not form.rel:
        return ""
    return "/" + quote(urls.update(form.rel.removesuffix(".md")))


def rendered(body: str, rel: str) -> str:
    """The body as the site shows it (the same Markdown and sanitiser), its photos shown from
    beside the post; or, for a body Markdown must not see, why (limits.py)."""
    refusal = markup.refusal(body.replace("\r\n", "\n"))
    if refusal is not None:
        return f'<p class="field-error">正文第 {refusal[0] + 1} 行：{html.escape(refusal[1])}</p>'
    return _SRC.sub(lambda match: match[1] + _photo_address(match[2], rel) + match[3], markup.render(body))


def _photo_address(src: str, rel: str) -> str:
    """A photo named beside the post, as the workbench serves it; any other address as it is."""
    name = html.unescape(src)
    if not rel or "/" in name or ":" in name:
        return src
    return html.escape(address("photo", path=rel, name=name))


def saved_message(kind: str) -> str:
    return SAVED.get(kind, "")
