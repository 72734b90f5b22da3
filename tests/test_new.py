"""`build.py new`: a scaffold news staff can fill in, never overwriting a post."""

from __future__ import annotations

import pytest
from conftest import run

from portal import load


def test_new_post_is_valid_and_a_draft(content):
    code, out, err = run(
        "new", "电梯加装进展", "--date", "2030-04-02", "--project", "2030-02", "--content", str(content)
    )
    assert code == 0, err
    path = content / "updates/news/2030-04-02-电梯加装进展.md"
    assert path.is_file() and str(path) in out
    text = path.read_text(encoding="utf-8")
    assert 'title: "电梯加装进展"' in text and "draft: true" in text and "projects: [2030-02]" in text
    assert load.load(content).updates == ()  # a draft is checked, not published
    assert [u.title for u in load.load(content, drafts=True).updates] == ["电梯加装进展"]


def test_new_never_overwrites(content):
    args = ("new", "标题", "--date", "2030-04-02", "--slug", "same", "--content", str(content))
    assert run(*args)[0] == 0
    path = content / "updates/news/same.md"
    path.write_text(path.read_text(encoding="utf-8") + "编辑写的正文\n", encoding="utf-8")
    code, _, err = run(*args)
    assert code == 2 and "已存在：不会覆盖" in err
    assert "编辑写的正文" in path.read_text(encoding="utf-8")


def test_new_refuses_bad_input(content):
    cases = [
        (("--date", "2030年4月2日"), "日期“2030年4月2日”应写成 YYYY-MM-DD"),
        (("--date", "2030-04-02", "--project", "2030-99"), "项目编号不存在：2030-99"),
        (("--date", "2030-04-02", "--kind", "report"), "月度推进情况请用 build.py form import"),
        (("--date", "2030-04-02", "--slug", "../escape"), "文件名“../escape”不可用"),
    ]
    for args, message in cases:
        code, _, err = run("new", "标题", *args, "--content", str(content))
        assert code == 2 and message in err, (args, err)
    assert not (content / "updates").exists() or not any((content / "updates").rglob("*.md"))


@pytest.mark.parametrize(
    "title",
    [
        '引号"和\\反斜杠\\n与 #、: 、- 、&a、*b、!c、%d、@e、`f`、{g}、[h]',
        "--- 不是分隔线 ---",
        "- 像列表的标题",
        "长" * 10_000,
        "制表\t符",
    ],
)
def test_new_writes_what_check_reads_back_as_given(content, title):
    code, out, err = run(
        "new", title, "--date", "2030-04-02", "--slug", "post", "--source", title, "--content", str(content)
    )
    assert code == 0, err
    assert run("check", "--content", str(content))[0] == 0
    [update] = load.load(content, drafts=True).updates
    assert (update.title, update.source_unit) == (title.strip(), title.strip())


@pytest.mark.parametrize(
    "args, message",
    [
        (("第一行\n---\nkind: report",), "标题不能换行：请写成一行"),
        (("清屏\x1b[2J",), "标题含有不可见的控制字符 U+001B：请删去（常由复制粘贴带入）"),
        (("分行\u2028标题",), "标题含有不可见的控制字符 U+2028：请删去（常由复制粘贴带入）"),
        (("标题", "--source", "响铃\x07"), "来源含有不可见的控制字符 U+0007：请删去（常由复制粘贴带入）"),
        (("标题", "--source", "甲\r乙"), "来源不能换行：请写成一行"),
        (("\u3000 ",), "标题不能为空"),
        (("标题", "--date", "9999-12-31"), "日期“9999-12-31”不对：年份应在 2000–2099 之间"),
        (
            ("看不见ㅤ的标题",),
            "文件名“2030-04-02-看不见ㅤ的标题”不可用：含有看不见或不能用于网址的字符 U+3164（HANGUL FILLER）（可用 --slug 指定）",
        ),
    ],
)
def test_new_refuses_what_check_would_refuse(content, args, message):
    title, *options = args
    date = [] if "--date" in options else ["--date", "2030-04-02"]
    code, _, err = run("new", title, *date, *options, "--content", str(content))
    assert (code, err) == (2, f"build.py: {message}\n")
    assert not (content / "updates").exists()
