"""`build.py new`: a scaffold news staff can fill in, never overwriting a post."""

from __future__ import annotations

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
