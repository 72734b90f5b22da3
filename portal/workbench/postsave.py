"""Saving a post from the form: its place, its photos' names, the check, then the writes.

A new post goes where ``build.py new`` puts one (updates/<kind's folder>/<date>-<title>.md), under
a name no post has; an edited one stays where it is, and is saved only if nobody changed it
since the form was opened. The photos the form carries are named beside it, each put where the
body shows it (a Word document's pictures) or else at the end of the body (photos.placed). Then
the content folder as it would be is checked as ``check`` checks it (judged.py): on any problem nothing is written and the form comes back with each one beside its
field; else the photos and the post are written (writes.py) and the browser is sent to the saved
post's form (Post/Redirect/Get: a reload never saves twice).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from portal import files, paths
from portal.newpost import FOLDERS
from portal.workbench import attachments, judged, photos, postfile, posts, writes
from portal.workbench.postform import Form, show
from portal.workbench.web import Bench, Response, address, redirect

GONE = "找不到要修改的文章（可能已被移走或改名）：请回到“发布动态”的文章列表重新打开它"
REPORT = "这是月度推进情况：请在“月度报送”中处理，不在这里修改"


def save(bench: Bench, form: Form, draft: bool) -> Response:
    """Save the post as a draft or published, or show the form again with what is wrong."""
    place = _place(bench, form)
    if isinstance(place, str):
        return _refused(bench, form, place)
    path, old = place
    names = photos.names(path.parent, path.stem, list(form.held))
    filed = attachments.names(path.parent, path.stem, list(form.attached), names)
    unsafe = _unsafe(bench, [path, *(path.parent / name for name in [*names, *filed])])
    if unsafe:
        return _refused(bench, form, f"不能保存到 {path.relative_to(bench.content).as_posix()}：{unsafe}")
    body = photos.placed(form.values.body.replace("\r\n", "\n").strip("\n"), form.held, names)
    listed = attachments.listed(old.meta.get("attachments") if old else None, list(form.attached), filed)
    extra = {"attachments": listed} if form.attached else None
    composed = postfile.compose(dataclasses.replace(form.values, body=body, draft=draft), old, extra)
    if composed is None or listed is None:
        return _refused(bench, form, postfile.UNSAFE)
    shown = f"{bench.shown}/{path.relative_to(bench.content).as_posix()}"
    lines = {composed.body_line + index: f"held-{number}" for index, number in photos.lines(body, names).items()}
    new = {n: p.data for n, p in [*zip(names, form.held, strict=True), *zip(filed, form.attached, strict=True)]}
    problems = judged.check(bench, path, composed, new)
    if problems:
        verdict = judged.placed(problems, shown, composed.body_line, lines, judged.Verdict())
        return show(bench, dataclasses.replace(form, verdict=verdict), 422)
    try:
        _write(bench, path, composed.text, form.version if old else None, new)
    except writes.Refused as exc:
        return _refused(bench, form, exc.message)
    rel = path.relative_to(bench.content / "updates").as_posix()
    return redirect(address("post", path=rel, saved="draft" if draft else "publish"))


def _place(bench: Bench, form: Form) -> tuple[Path, postfile.PostFile | None] | str:
    """Where the post is saved and, when it is an edit, the post as it is now; or why not."""
    if not form.rel:
        return _new_path(bench, form.values), None
    path = posts.locate(bench, form.rel)
    if path is None:
        return GONE
    try:
        data, old = posts.read(bench, path)
    except files.Refused as exc:
        return f"{form.rel}：{exc.message}"
    if old is None:
        return postfile.UNSAFE
    if old.meta.get("kind") == "report":
        return REPORT
    if writes.digest(data) != form.version:
        return writes.CHANGED
    return path, old


def _unsafe(bench: Bench, targets: list[Path]) -> str | None:
    """Why one of these files may not be written (writes.problem), or None."""
    return next(filter(None, (writes.problem(bench.content, target) for target in targets)), None)


def _new_path(bench: Bench, values: postfile.Fields) -> Path:
    """updates/<folder>/<date>-<title>.md, numbered -2, -3… past any post's name there."""
    folder = bench.content / "updates" / FOLDERS.get(values.kind, FOLDERS["news"])
    try:
        day = dt.date.fromisoformat(values.date.strip()).isoformat()
    except ValueError:
        day = "post"
    title = re.sub(r"[^\w\-]+", "-", values.title).strip("-_")[:40].rstrip("-_")
    stem = f"{day}-{title}" if title and not paths.segment_problem(f"{day}-{title}") else day
    taken = {paths.key(p.name) for p in folder.iterdir()} if folder.is_dir() else set()
    name, number = stem, 1
    while paths.key(f"{name}.md") in taken:
        number += 1
        name = f"{stem}-{number}"
    return folder / f"{name}.md"


def _write(bench: Bench, path: Path, text: str, version: str | None, new: Mapping[str, bytes]) -> None:
    """The photos and attachments (each a new file), then the post: a new file, or the edited one replaced."""
    for name, data in new.items():
        if not writes.create(bench, path.parent / name, data):
            raise writes.Refused(f"文件名 {name} 刚被占用：请再点一次保存")
    data = text.encode("utf-8")
    if version is not None:
        writes.replace(bench, path, data, version)
    elif not writes.create(bench, path, data):
        raise writes.Refused(f"文章 {path.name} 刚被别人新建：请再点一次保存")


def _refused(bench: Bench, form: Form, message: str) -> Response:
    verdict = judged.Verdict(dict(form.verdict.fields), [*form.verdict.general, message])
    return show(bench, dataclasses.replace(form, verdict=verdict), 422)
