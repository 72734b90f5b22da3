"""发布动态: the pages news staff use. The list of posts, a post's form (new or to edit), its
submissions (preview, add a photo or an attachment, import a Word document, save as draft, publish), the live
preview the script asks for, and the photos beside a post for that preview to show.

Only ``submit`` and ``live`` are POSTs, and only ``submit``'s save writes; every GET reads.
"""

from __future__ import annotations

from pathlib import Path

from portal import files, limits, paths
from portal.load import images
from portal.workbench import photos, postdocx, postfile, posts, writes
from portal.workbench.pages import not_found, page
from portal.workbench.postform import Form, rendered, saved_message, show, submitted
from portal.workbench.postsave import GONE, REPORT, save
from portal.workbench.web import Bench, Request, Response

ACTIONS = ("preview", "photo", "attachment", "docx", "draft", "publish")
ADDED = {
    "photo": (
        "请先点“选择文件”选一张图片，再点“添加图片”",
        "图片已添加，保存时会放在正文末尾。可以继续添加，或保存文章。",
    ),
    "attachment": (
        "请先点“选择文件”选一个附件，再点“添加附件”",
        "附件已添加，保存文章时一起保存。可以继续添加，或保存文章。",
    ),
}
TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def listing(bench: Bench, request: Request) -> Response:
    return page(bench, "posts.html", title="发布动态", posts=posts.listing(bench), kinds=posts.EDITED)


def edit(bench: Bench, request: Request) -> Response:
    """A new post's form, or (?path=news/a.md) an existing post's, filled in."""
    rel = request.arg("path")
    if not rel:
        return show(bench, Form())
    path = posts.locate(bench, rel)
    if path is None:
        return page(bench, "missing.html", 404, title="找不到这篇文章", message=GONE)
    try:
        data, post = posts.read(bench, path)
    except files.Refused as exc:
        return page(bench, "missing.html", 422, title="无法打开这篇文章", message=f"{rel}：{exc.message}")
    if post is None or post.meta.get("kind") == "report":
        message = REPORT if post is not None else f"{rel}：{postfile.UNSAFE}"
        return page(bench, "missing.html", 422, title="无法在这里修改", message=message)
    values = postfile.fields(post)
    state = "草稿（未公开）" if values.draft else "已发布"
    return show(bench, Form(rel, writes.digest(data), values), message=saved_message(request.arg("saved")), state=state)


def submit(bench: Bench, request: Request) -> Response:
    """What a button of the form asks: 预览, 添加图片, 添加附件, 导入 (these write nothing), 保存草稿 or 发布."""
    action = request.field("action")
    if action not in ACTIONS:
        return page(bench, "missing.html", 400, title="无法处理这个提交", message="请回到表单，用页面上的按钮提交")
    form = submitted(request)
    if action == "preview":
        return show(bench, form, preview=rendered(form.values.body, form.rel))
    if action == "docx":
        return postdocx.imported(bench, form, request.file("docx"))
    if action in ADDED:
        return _added(bench, form, action, request.file(action) is not None)
    if form.verdict:
        return show(bench, form, 422)
    return save(bench, form, draft=action == "draft")


def _added(bench: Bench, form: Form, action: str, chosen: bool) -> Response:
    """The form again with the photo or attachment just chosen held in it, or why not."""
    missing, done = ADDED[action]
    if not chosen:
        form.verdict.add(action, missing)
    added = chosen and action not in form.verdict.fields
    return show(bench, form, 422 if form.verdict else 200, message=done if added else "")


def live(bench: Bench, request: Request) -> Response:
    """The body rendered, for the script's live preview (an HTML fragment)."""
    return Response(200, rendered(request.field("body"), request.field("path")).encode("utf-8"))


def picture(bench: Bench, request: Request) -> Response:
    """A photo beside a post (?path=news/a.md&name=a-1.jpg), for the preview to show."""
    post = posts.locate(bench, request.arg("path"))
    name = request.arg("name")
    suffix = Path(name).suffix.lower()
    if post is None or "/" in name or suffix not in images.SUFFIXES or paths.segment_problem(Path(name).stem):
        return not_found(bench, request)
    path = post.parent / name
    if writes.problem(bench.content, path) or not path.is_file():
        return not_found(bench, request)
    try:
        data = files.read(path, limits.MAX_IMAGE_BYTES, "")
    except files.Refused:
        return not_found(bench, request)
    found = photos.kind(data)
    if found is None:
        return not_found(bench, request)
    return Response(200, data, TYPES[photos.SUFFIXES[found]])
