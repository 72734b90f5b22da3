"""The preview's partial rebuilds make exactly the site a whole build makes.

Starting from the golden fixture built by the preview, each edit below is saved, the preview
rebuilds (in part when only posts changed), and its folder is compared file by file with a
whole build of the same content made afresh. The search index is left out: the preview keeps
its start-up index on purpose (Pagefind is replaced here by a stand-in that writes its folder).
"""

from __future__ import annotations

import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from conftest import ROOT, post
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from portal import pipeline
from portal.errors import ContentError
from portal.model import urls
from portal.preview import incremental
from portal.render import indexparts, pages
from portal.write import search, staging

GOLDEN = ROOT / "tests/golden/content"


class NoIndex:
    """Stands in for Pagefind: these tests compare pages, not the search index (only its parts)."""

    def __init__(self) -> None:
        self.outputs: list[Path] = []

    def prepare(self, site: Path, parts: list) -> None:
        pass

    def make(self, root: Path, parts: list, again: set[str] | None = None) -> None:
        self.outputs = [root / folder for folder, _ in parts]

    def finish(self) -> None:
        for output in self.outputs:
            output.mkdir(parents=True, exist_ok=True)
            (output / "pagefind.js").write_text("", encoding="utf-8")

    def cancel(self) -> None:
        pass


@pytest.fixture
def preview(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "Indexing", NoIndex)
    monkeypatch.setenv("PORTAL_CACHE", "off")
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    out = tmp_path / "site"
    out.mkdir()
    view = incremental.Preview(content, out)
    assert view.whole().how == "whole"
    return view


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != staging.INPUTS
    }


def assert_as_whole(view: incremental.Preview, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    pipeline.build(view.content, fresh, drafts=True)
    view.flush()  # what the preview keeps for later (feed.xml), as when it is asked for
    want, got = tree(fresh), tree(view.out)
    assert sorted(got.keys() - want.keys()) == [], "files the preview kept that a whole build does not make"
    assert sorted(want.keys() - got.keys()) == [], "files a whole build makes that the preview lacks"
    assert [path for path in want if want[path] != got[path]] == [], "files that differ"


def save(view: incremental.Preview, rel: str, text: str) -> Path:
    path = view.content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(view: incremental.Preview, rel: str, old: str, new: str) -> Path:
    path = view.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


REPORT = "updates/reports/2029-04/2029-01.md"
NEWS = "updates/news/2029-04-28-chargers.md"
EVALUATION = "updates/evaluations/2029-01-15-2028-01.md"

# (what is edited, the file, the text replaced, its replacement)
EDITS = [
    ("a report's text", REPORT, "公共停车场 60 个", "公共停车场 61 个"),
    ("a report's value", REPORT, "chargers: 80", "chargers: 150"),
    ("a report's status", REPORT, "status: on_track", "status: lagging"),
    ("a report's submission date", REPORT, "submitted: 2029-04-25", "submitted: 2029-04-28"),
    ("a news title", NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用"),
    ("a news date into another year", NEWS, "date: 2029-04-28", "date: 2028-12-30"),
    ("a news post's project", NEWS, "projects: [2029-01]", "projects: [2029-02]"),
    ("a news post made a draft", NEWS, "kind: news", "kind: news\ndraft: true"),
    (
        "an evaluation's votes",
        EVALUATION,
        "satisfied: 30\n  basically_satisfied: 8\n  dissatisfied: 1\n",
        "satisfied: 20\n  basically_satisfied: 8\n  dissatisfied: 11\n",
    ),
]


@pytest.mark.parametrize(("what", "rel", "old", "new"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edited_post_is_rebuilt_in_part_as_a_whole_build_would(preview, tmp_path, what, rel, old, new):
    outcome = preview.changed([edit(preview, rel, old, new)])
    assert outcome.how == "partial"
    assert outcome.written, "the edit changed no file"
    assert_as_whole(preview, tmp_path)


def test_a_post_added_removed_and_moved(preview, tmp_path):
    front = "title: 新闻：助餐点开业\ndate: 2029-05-06\nkind: news\nprojects: [2029-02]"
    added = save(preview, "updates/news/2029-05-06-meals.md", post(front, "第一个**助餐点**开业。"))
    assert preview.changed([added]).how == "partial"
    assert (preview.out / "updates/news/2029-05-06-meals/index.html").is_file()
    assert_as_whole(preview, tmp_path)

    moved = preview.content / "updates/news/2029-05-06-meals-opened.md"
    added.rename(moved)
    assert preview.changed([added, moved]).how == "partial"
    assert not (preview.out / "updates/news/2029-05-06-meals").exists(), "the old page and its folder stay"
    assert_as_whole(preview, tmp_path)

    moved.unlink()
    assert preview.changed([moved]).how == "partial"
    assert_as_whole(preview, tmp_path)
    kept = [*preview.memo.posts, *preview.memo.checks]
    assert kept and not [rel for rel in kept if "meals" in rel], "the memo forgets removed posts"


def test_edits_one_after_another(preview, tmp_path):
    for _, rel, old, new in EDITS[:4]:
        assert preview.changed([edit(preview, rel, old, new)]).how == "partial"
    assert_as_whole(preview, tmp_path)


def test_a_report_for_a_new_month_rebuilds_the_pages_that_show_the_clock(preview, tmp_path):
    """A report for May moves the as-of month: the pages marked deps.CLOCK (verdicts, the
    reporting months, the as-of date in their footer) are rendered again, the rest kept."""
    front = (
        "title: 推进情况（截至2029年5月底）\ndate: 2029-05-25\nkind: report\nprojects: [2029-01]\n"
        "period: 2029-05\nsubmitted: 2029-05-25\nvalues:\n  chargers: 120"
    )
    path = save(preview, "updates/reports/2029-05/2029-01.md", post(front, "又建成40个。"))
    outcome = preview.changed([path])
    assert outcome.how == "partial"
    assert "about/index.html" not in outcome.written and "reports/index.html" in outcome.written
    assert (preview.out / "reports/2029-05/index.html").is_file()
    assert_as_whole(preview, tmp_path)


def test_anything_but_a_post_rebuilds_the_whole_site(preview, tmp_path):
    path = edit(preview, "site.yaml", "title: 示例区重点民生实事", "title: 示例区重点民生实事项目")
    assert preview.changed([path]).how == "whole"
    assert "示例区重点民生实事项目" in (preview.out / "index.html").read_text(encoding="utf-8")
    assert_as_whole(preview, tmp_path)


def test_a_post_with_a_problem_changes_nothing_until_it_is_fixed(preview, tmp_path):
    before = tree(preview.out)
    path = edit(preview, REPORT, "chargers: 80", "chargers: 八十")
    with pytest.raises(ContentError) as raised:
        preview.changed([path])
    assert [p.field for p in raised.value.problems] == ["values.chargers"]
    assert tree(preview.out) == before
    edit(preview, REPORT, "chargers: 八十", "chargers: 90")
    assert preview.changed([path]).how == "partial"
    assert_as_whole(preview, tmp_path)


def test_a_post_that_needs_another_part_of_the_index_rebuilds_the_whole_site(preview, tmp_path, monkeypatch):
    """The preview keeps its search index, unless the search page would name parts it lacks."""
    newest = [page for page in pages.searchable(preview.portfolio) if page[0] == 2029]
    monkeypatch.setattr(indexparts, "NEWEST_PART", len(newest))  # the newest year's pages fill one part
    folders = indexparts.folders(pages.searchable(preview.portfolio))
    extra = preview.out / urls.index_part(len(folders) + 1)
    assert not extra.exists()
    front = "title: 又一条新闻\ndate: 2029-05-06\nkind: news\nprojects: [2029-02]"
    path = save(preview, "updates/news/2029-05-06-more.md", post(front))
    assert preview.changed([path]).how == "whole"
    assert (extra / "pagefind.js").is_file()
    assert_as_whole(preview, tmp_path)
    path.unlink()
    assert preview.changed([path]).how == "whole"
    assert not extra.exists()


def test_a_saved_post_that_changes_nothing_writes_nothing(preview):
    path = preview.content / NEWS
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert preview.changed([path]) == incremental.Outcome("none")


def test_the_whole_build_keeps_every_feed_entry_for_the_first_save(preview):
    """The portal's feed carries every post: the first partial rebuild after a whole one must
    find their entries made, not make them all again (0.2 s at 16,000 posts)."""
    assert preview.entries.keys() == {u.slug for u in preview.portfolio.updates}
    kept = dict(preview.entries)
    assert preview.changed([edit(preview, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")]).how == "partial"
    changed = [slug for slug, entry in preview.entries.items() if kept.get(slug) is not entry]
    assert changed == [NEWS.removeprefix("updates/").removesuffix(".md")]


def test_a_partial_rebuild_leaves_no_stale_digest(preview, tmp_path):
    """After a partial rebuild the site is not taken for one built from any inputs: a later
    whole build of the original content must not skip its work."""
    path = edit(preview, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")
    assert preview.changed([path]).how == "partial"
    assert staging.built_from(preview.out) == ""
    edit(preview, NEWS, "充电桩投入使用", "公交场站充电桩投入使用")
    assert pipeline.build(preview.content, preview.out, drafts=True) is not None
    assert_as_whole(preview, tmp_path)


# ---------------------------------------------------------------- random edits, one after another

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)  # a failure shows its three edits as drawn
KINDS_OF_EDIT = ("title", "body", "date", "projects", "value", "status", "kind", "revision", "remove", "add")
PROJECTS = ("2028-01", "2028-02", "2029-01", "2029-02", "2029-03")


def mutate(view: incremental.Preview, draw, kind: str) -> list[Path]:
    """One edit a writer could make; returns the paths it touched."""
    posts = sorted((view.content / "updates").rglob("*.md"))
    if kind == "add":
        day = draw(st.integers(1, 28))
        front = (
            f"title: 新增动态{day}\ndate: 2029-04-{day:02d}\nkind: news\nprojects: [{draw(st.sampled_from(PROJECTS))}]"
        )
        return [save(view, f"updates/news/added-{day}.md", post(front, f"第{day}条。"))]
    path = draw(st.sampled_from(posts))
    text = path.read_text(encoding="utf-8")
    if kind == "remove":
        path.unlink()
        return [path]
    if kind == "title":
        text = re.sub(r"^title: (.*)$", lambda m: f"title: {m[1]}（更新）", text, count=1, flags=re.M)
    elif kind == "body":
        text += "\n补充说明。\n"
    elif kind == "date":
        day = f"2029-0{draw(st.integers(1, 4))}-1{draw(st.integers(0, 9))}"
        text = re.sub(r"^date: .*$", f"date: {day}", text, count=1, flags=re.M)
    elif kind == "projects":
        text = re.sub(r"^projects: .*$", f"projects: [{draw(st.sampled_from(PROJECTS))}]", text, count=1, flags=re.M)
    elif kind == "value":
        text = re.sub(r"^(  \w+): \d+$", lambda m: f"{m[1]}: {draw(st.integers(0, 250))}", text, count=1, flags=re.M)
    elif kind == "status":
        status = draw(st.sampled_from(["on_track", "lagging", "done", "not_started"]))
        text = re.sub(r"^status: .*$", f"status: {status}", text, count=1, flags=re.M)
    elif kind == "kind":  # another kind that needs no fields of its own
        other = draw(st.sampled_from(["news", "inspection", "bulletin"]))
        text = re.sub(r"^kind: (news|inspection|bulletin)$", f"kind: {other}", text, count=1, flags=re.M)
    elif kind == "revision" and "\nrevisions:" not in text:  # a correction, recorded
        fix = "revisions:\n  - date: 2029-05-01\n    reason: 更正笔误\n    before:\n      title: 更正前的标题\n"
        text = re.sub(r"\n---\n", "\n" + fix + "---\n", text, count=1)
    path.write_text(text, encoding="utf-8")
    return [path]


def problems_of(action) -> tuple[str, ...] | None:
    try:
        action()
    except ContentError as exc:
        return tuple(str(p) for p in exc.problems)
    return None


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK)
@given(data=st.data())
def test_random_edits_give_the_site_a_whole_build_gives(tmp_path_factory, data):
    """Any run of edits: the preview's site equals a whole build's, or both refuse the content
    with the same problems (the preview then keeps its last good site)."""
    tmp = tmp_path_factory.mktemp("random")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "Indexing", NoIndex)
        patch.setenv("PORTAL_CACHE", "off")
        content = tmp / "content"
        shutil.copytree(GOLDEN, content)
        (tmp / "site").mkdir()
        view = incremental.Preview(content, tmp / "site")
        view.whole()
        for _ in range(3):
            kind = data.draw(st.sampled_from(KINDS_OF_EDIT))
            touched = mutate(view, data.draw, kind)
            good = tree(view.out)
            seen = problems_of(partial(view.changed, touched))
            fresh = tmp / "fresh"
            shutil.rmtree(fresh, ignore_errors=True)
            wanted = problems_of(partial(pipeline.build, content, fresh, drafts=True))
            assert seen == wanted, kind
            if seen is None:
                view.flush()
                assert tree(view.out) == tree(fresh), kind
            else:
                assert tree(view.out) == good, "a refused edit changed the preview"
                shutil.rmtree(content)
                shutil.copytree(GOLDEN, content)
                view.whole()


def test_a_save_the_watcher_reports_reads_that_post_and_walks_nothing(preview, tmp_path, monkeypatch):
    """The watcher says which files changed: a saved post that was there is read again alone
    (no walk of updates/, no stat of every other post); a new, removed or re-linked file makes
    the load walk the tree again."""
    from portal.load import walk

    walks = []
    original = walk.post_files
    monkeypatch.setattr(walk, "post_files", lambda *args: walks.append(1) or original(*args))
    assert preview.changed([edit(preview, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")]).how == "partial"
    assert walks == []
    front = "title: 又一条新闻\ndate: 2029-04-06\nkind: news\nprojects: [2029-02]"
    added = save(preview, "updates/news/2029-04-06-more.md", post(front))
    assert preview.changed([added]).how == "partial"
    assert walks == [1]
    assert_as_whole(preview, tmp_path)
    walks.clear()
    moved = preview.content / "elsewhere.md"
    added.rename(moved)
    added.symlink_to(moved)
    preview.changed([added])  # a link where a post was: the walk says what it makes of it
    assert walks == [1]
    assert_as_whole(preview, tmp_path)


def test_the_portal_feed_is_written_when_asked_for_not_at_each_save(preview, tmp_path):
    """feed.xml carries every post (20 MB at 16,000): a save keeps it for later; the preview's
    server writes it before serving it (and when saves pause), as a whole build makes it."""
    from portal.preview.serve import PreviewApp

    feed = preview.out / "feed.xml"
    before = feed.read_bytes()
    outcome = preview.changed([edit(preview, NEWS, "公交场站充电桩投入使用", "首批充电桩投入使用")])
    assert "feed.xml" not in outcome.written and feed.read_bytes() == before
    app = PreviewApp(preview.out, ready=preview.flush)
    app({"PATH_INFO": "/index.html"}, lambda *args: None)
    assert feed.read_bytes() == before, "a page asked for: the feed still waits"
    [body] = app({"PATH_INFO": "/feed.xml"}, lambda *args: None)
    assert "首批充电桩投入使用".encode() in body
    assert_as_whole(preview, tmp_path)


def test_a_body_edit_renders_no_listing_and_a_new_title_renders_them(preview, tmp_path, monkeypatch):
    """What a listing shows of a post is its kind, title, date and corrections (changes.listed): a
    post's body saved again leaves the listings, their year pages and the home page alone; a new
    title renders them, and the pages equal a whole build's."""
    from portal.render import environment

    rendered: list[str] = []
    original = environment.render_pages

    def spied(p, chosen):
        rendered.extend(page.path for page in chosen)
        return original(p, chosen)

    monkeypatch.setattr(environment, "render_pages", spied)
    listings = {"index.html", "updates/index.html", "kinds/news/index.html", "archive/2029/index.html"}
    assert preview.changed([edit(preview, NEWS, "首批", "第一批")]).how == "partial"
    assert "updates/news/2029-04-28-chargers/index.html" in rendered
    assert not listings & set(rendered)
    assert not any(path.startswith(("kinds/", "archive/")) for path in rendered)
    rendered.clear()
    assert (
        preview.changed([edit(preview, NEWS, "公交场站充电桩投入使用", "公交场站充电桩全部投入使用")]).how == "partial"
    )
    assert listings | {"kinds/news/2029/index.html"} <= set(rendered)
    assert "kinds/report/index.html" not in rendered, "another kind's listing shows nothing of a news post"
    assert_as_whole(preview, tmp_path)
