"""A build in a new process with the output present rebuilds only what changed posts change
(incremental/partial.py), from the record the last build kept beside the output; whatever the
edits, the site is byte for byte the one a whole build makes, search index included."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, beside, post
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import KINDS_OF_EDIT, NO_SHRINK, mutate, problems_of, tree

from portal import load, pipeline
from portal.errors import ContentError
from portal.incremental import outline, record
from portal.incremental import partial as partial_build
from portal.load.memo import Stale
from portal.render import feeds, indexparts
from portal.write import fingerprint, search, searchchild, staging

GOLDEN = ROOT / "tests/golden/content"
NEWS = "updates/news/2029-04-28-chargers.md"


class PartIndex:
    """Stands in for Pagefind (deterministic, as Pagefind is): each part's pagefind.js holds a
    digest of the pages it was given, path and what Pagefind reads of them (all but the footer:
    search.indexed, checked against Pagefind itself below), so a part left stale shows."""

    def __init__(self) -> None:
        self.made: list[tuple[Path, str]] = []
        self.prepared: dict[str, list[tuple[str, bytes]]] = {}

    def prepare(self, site: Path, parts: list) -> None:
        """As Pagefind's child does: each part's pages as the site has them now."""
        for folder, pages in parts:
            with contextlib.suppress(OSError):  # a page missing: that part is made afresh
                self.prepared[folder] = [(rel, (site / rel).read_bytes()) for rel in pages]

    def make(self, root: Path, parts: list, again: set[str] | None = None) -> None:
        """A prepared part is given only the pages ``again`` names, the others as prepared."""
        for folder, pages in parts:
            given = self.prepared.pop(folder, None)
            if given is None or again is None or [rel for rel, _ in given] != [rel for _, rel in pages]:
                given = [(rel, Path(source).read_bytes()) for source, rel in pages]
            else:
                given = [
                    (rel, Path(source).read_bytes() if rel in again else old)
                    for (source, rel), (_, old) in zip(pages, given, strict=True)
                ]
            h = hashlib.sha256()
            for rel, page in given:
                h.update(rel.encode() + b"\0" + search.indexed(page))
            self.made.append((root / folder, h.hexdigest()))

    def finish(self) -> None:
        for folder, digest in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "pagefind.js").write_text(digest, encoding="utf-8")

    def cancel(self) -> None:
        pass


@pytest.fixture
def spied(monkeypatch):
    """How each build went: "partial" or "whole"."""
    monkeypatch.setattr(search, "Indexing", PartIndex)
    monkeypatch.setenv("PORTAL_CACHE", "off")
    ways: list[str] = []
    original = partial_build.build

    def watched(*args):
        done = original(*args)
        ways.append("whole" if done is None else "partial")
        return done

    monkeypatch.setattr(partial_build, "build", watched)
    return ways


def whole_tree(content: Path, tmp: Path) -> dict[str, bytes]:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    pipeline.build(content, fresh)
    return tree(fresh)


def copy(tmp: Path) -> tuple[Path, Path]:
    content = tmp / "content"
    shutil.copytree(GOLDEN, content)
    site = tmp / "site"
    pipeline.build(content, site)
    return content, site


def edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_post_is_built_in_part_by_a_new_build(spied, tmp_path):
    content, site = copy(tmp_path)
    assert record.where(site).is_file() and spied == []
    edit(content, NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用")
    pipeline.build(content, site)
    assert spied == ["partial"]
    assert tree(site) == whole_tree(content, tmp_path)
    assert "首批公交场站充电桩投入使用" in (site / "updates/news/2029-04-28-chargers/index.html").read_text("utf-8")


def kept_record(site: Path) -> record.Record:
    loaded = record.load(
        site,
        fingerprint.scan(site.parent / "content", False, None),
        str(site.parent / "content"),
        staging.built_from(site),
    )
    assert loaded is not None
    return loaded


def test_the_record_says_where_each_post_lies_in_the_feed_and_a_partial_build_copies_it(spied, tmp_path, monkeypatch):
    content, site = copy(tmp_path)
    spans = kept_record(site).feed
    feed = (site / "feed.xml").read_bytes()
    assert spans.size == len(feed) and spans.previous is None  # never the last feed's, once kept
    assert len(spans.at) == feed.count(b"<entry>") > 5
    for slug, (start, length) in spans.at.items():
        entry = feed[start : start + length]
        assert entry.startswith(b"<entry>") and entry.endswith(b"</entry>") and entry.count(b"<entry>") == 1
        assert f"/{slug.split('/')[-1]}/".encode() in entry
    made: list[str] = []
    original = feeds._entry
    monkeypatch.setattr(feeds, "spanned", watched_spanned(made, original, monkeypatch))
    edit(content, NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用")
    pipeline.build(content, site)
    assert spied == ["partial"] and made == ["2029-04-28-chargers"]  # every other entry copied
    assert tree(site) == whole_tree(content, tmp_path)


def watched_spanned(made: list[str], original, monkeypatch):
    """feeds.spanned, noting the posts whose entry it had to make (not copy)."""
    spanned = feeds.spanned

    def watched(p, *args):
        def counted(portfolio, u):
            made.append(u.slug.split("/")[-1])
            return original(portfolio, u)

        with monkeypatch.context() as m:
            m.setattr(feeds, "_entry", counted)
            yield from spanned(p, *args)

    return watched


def test_a_feed_not_as_recorded_is_made_again_in_full(spied, tmp_path):
    content, site = copy(tmp_path)
    feed = site / "feed.xml"
    feed.write_bytes(feed.read_bytes().replace(b"<entry>", b"<entry> ", 1))  # not the size recorded
    edit(content, NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用")
    pipeline.build(content, site)
    assert spied == ["partial"]
    assert tree(site) == whole_tree(content, tmp_path)


def test_a_kept_memo_holds_no_post_as_written_and_never_checks_one_again(tmp_path):
    """What a build keeps of its posts is what they are as checked: without their front matter
    and Markdown (Memo.slim). A load with the same lists takes them as checked; one that would
    check them again (against other lists, or for drafts) stops rather than check what is no
    longer there: the caller builds the whole site."""
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    memo = load.Memo()
    load.load(content, memo=memo)
    memo.slim()
    assert all(post is None or (post.body == "" and not post.meta) for _, post, _ in memo.posts.values())
    kept = pickle.loads(pickle.dumps(memo))
    assert load.load(content, memo=kept).updates == load.load(content).updates
    with pytest.raises(Stale):  # drafts kept: another Context, every post checked again
        load.load(content, drafts=True, memo=pickle.loads(pickle.dumps(memo)))


def add_may_report(content: Path) -> None:
    """The first report of a month after the golden site's newest: the reporting clock moves."""
    front = (
        "title: 推进情况（截至2029年5月底）\ndate: 2029-05-25\nkind: report\nprojects: [2029-01]\n"
        "period: 2029-05\nsubmitted: 2029-05-25\nvalues:\n  chargers: 120"
    )
    (content / "updates/reports/2029-05").mkdir()
    (content / "updates/reports/2029-05/2029-01.md").write_text(post(front, "又建成40个。"), encoding="utf-8")


def test_a_new_month_of_reports_is_built_in_part(spied, tmp_path):
    content, site = copy(tmp_path)
    add_may_report(content)
    pipeline.build(content, site)
    assert spied == ["partial"]
    assert tree(site) == whole_tree(content, tmp_path)


def test_anything_but_a_post_builds_the_whole_site(spied, tmp_path):
    content, site = copy(tmp_path)
    edit(content, "site.yaml", "title: 示例区重点民生实事", "title: 示例区重点民生实事项目")
    pipeline.build(content, site)
    assert spied == ["whole"]
    assert tree(site) == whole_tree(content, tmp_path)


@pytest.mark.parametrize("damage", ["missing", "garbage", "others may write it", "another site's"])
def test_a_record_that_cannot_be_trusted_means_a_whole_build(spied, tmp_path, damage):
    content, site = copy(tmp_path)
    kept = record.where(site)
    if damage == "missing":
        kept.unlink()
    elif damage == "garbage":
        kept.write_bytes(b"\x80\x05not a pickle")
    elif damage == "others may write it":
        os.chmod(kept, 0o666)
    else:  # the output was built since by something that kept no record (the preview)
        staging.patch(site, [], [])
    edit(content, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")
    pipeline.build(content, site)
    assert spied == []  # no record was trusted: partial.build never ran
    assert tree(site) == whole_tree(content, tmp_path)


def test_a_refused_post_leaves_the_site_and_its_record_as_they_were(spied, tmp_path):
    content, site = copy(tmp_path)
    before, kept = tree(site), record.where(site).read_bytes()
    edit(content, NEWS, "date: 2029-04-28", "date: 2029-04-31")
    with pytest.raises(ContentError):
        pipeline.build(content, site)
    assert tree(site) == before and record.where(site).read_bytes() == kept
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]
    edit(content, NEWS, "date: 2029-04-31", "date: 2029-04-29")
    pipeline.build(content, site)
    assert spied == ["partial"]
    assert tree(site) == whole_tree(content, tmp_path)


def test_a_post_that_clashes_with_a_kept_one_is_refused_as_a_whole_build_refuses_it(spied, tmp_path):
    """A changed report that makes a second one for a project and month: the problem names the
    other report's line, which the record keeps no more (Memo.slim), so the build reads it
    again as a whole one, refuses the content with what a whole build says, and the site stays."""
    content, site = copy(tmp_path)
    before = tree(site)
    edit(content, "updates/reports/2029-04/2029-01.md", "projects: [2029-01]", "projects: [2029-02]")
    seen = problems_of(partial(pipeline.build, content, site))
    assert spied == ["whole"] and tree(site) == before
    assert seen == problems_of(partial(pipeline.build, content, tmp_path / "fresh"))
    assert seen and any("2029-04/2029-02.md:" in p and "月度推进情况重复" in p for p in seen)


def test_a_failed_index_leaves_the_site_as_it_was(spied, tmp_path, monkeypatch):
    content, site = copy(tmp_path)
    before = tree(site)

    def failing(self) -> None:
        raise search.SearchIndexError("Pagefind 建立搜索索引失败（1）：注入的失败")

    monkeypatch.setattr(PartIndex, "finish", failing)
    kept = record.where(site).read_bytes()
    edit(content, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")
    with pytest.raises(search.SearchIndexError):
        pipeline.build(content, site)
    assert tree(site) == before
    assert staging.built_from(site) not in (None, "")
    assert record.where(site).read_bytes() == kept, "the record staged meanwhile was not kept"
    assert beside(tmp_path) == ["content", "site"], "nor left beside the site"
    monkeypatch.undo()


def test_the_record_is_written_while_pagefind_works_and_kept_with_the_site(spied, tmp_path, monkeypatch):
    """The new record is pickled and written beside the site while Pagefind indexes (private,
    under this process's name), and renamed into place once the site is; a record a killed build
    was writing is removed by the next build."""
    import subprocess

    content, site = copy(tmp_path)
    ended = subprocess.Popen(["true"])  # a process that has ended: its id names the leftover
    ended.wait()
    leftover = staging.beside(site, f"record-{ended.pid}")
    leftover.write_bytes(b"half a record")
    seen: list[tuple[str, int]] = []
    finish = PartIndex.finish

    def watched(self) -> None:
        staged = staging.beside(site, f"record-{os.getpid()}")
        seen.append((staged.read_bytes()[:14].decode(), staged.stat().st_mode & 0o777))
        finish(self)

    monkeypatch.setattr(PartIndex, "finish", watched)
    edit(content, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")
    pipeline.build(content, site)
    monkeypatch.setattr(PartIndex, "finish", finish)
    assert spied == ["partial"] and seen == [("portal-record ", 0o600)]
    assert not leftover.exists()
    assert beside(tmp_path) == ["content", "site"]
    assert record.where(site).read_bytes().startswith(b"portal-record ")
    assert tree(site) == whole_tree(content, tmp_path)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK)
@given(data=st.data())
def test_random_edits_built_in_new_processes_give_the_site_a_whole_build_gives(tmp_path_factory, data):
    """Any run of edits, each built as a deploy would (a new build with the output and its
    record present): the site equals a whole build's, pages, feeds, data and the index's parts,
    or both refuse the content with the same problems and the site stays as it was."""
    tmp = tmp_path_factory.mktemp("partial")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "Indexing", PartIndex)
        patch.setenv("PORTAL_CACHE", "off")
        content, site = copy(tmp)
        view = SimpleNamespace(content=content)
        for _ in range(3):
            kind = data.draw(st.sampled_from(KINDS_OF_EDIT))
            mutate(view, data.draw, kind)
            good = tree(site)
            seen = problems_of(partial(pipeline.build, content, site))
            fresh = tmp / "fresh"
            shutil.rmtree(fresh, ignore_errors=True)
            wanted = problems_of(partial(pipeline.build, content, fresh))
            assert seen == wanted, kind
            assert tree(site) == (good if seen else tree(fresh)), kind
            if seen:
                shutil.rmtree(content)
                shutil.copytree(GOLDEN, content)
                pipeline.build(content, site)


def test_the_real_index_is_the_one_a_whole_build_makes(tmp_path, monkeypatch):
    """With Pagefind itself: the parts made again in a partial build are byte for byte a whole
    build's (Pagefind is deterministic), so every query finds what it would."""
    monkeypatch.setenv("PORTAL_CACHE", "off")
    content, site = copy(tmp_path)
    index = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    edit(content, NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用")
    pipeline.build(content, site)
    fresh = tree(site)
    assert fresh == whole_tree(content, tmp_path)
    changed = sorted(rel for rel, data in index.items() if fresh.get(rel) != data)
    assert changed and all(rel.startswith("pagefind/part2/") for rel in changed), "only the newest year's part"


def test_an_edited_report_has_pagefind_prepare_its_projects_part_from_the_site(tmp_path, monkeypatch):
    """With Pagefind itself: the record's outline names the part holding an edited report's
    project page; Pagefind indexes that part from the site's pages before the build has read the
    report, is then given only the page that changed, and the index is a whole build's."""
    monkeypatch.setenv("PORTAL_CACHE", "off")
    content, site = copy(tmp_path)
    seen: list[tuple[str, object]] = []

    class Seen(search.Indexing):
        def prepare(self, site, parts):
            seen.append(("prepare", [folder for folder, _ in parts]))
            super().prepare(site, parts)

        def make(self, root, parts, again=None):
            seen.append(("make", [folder for folder, _ in parts], again))
            super().make(root, parts, again)

    monkeypatch.setattr(search, "Indexing", Seen)
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    edit(content, "updates/reports/2028-12/2028-01.md", "全部建成并投入运营", "全部建成，12月起运营")
    pipeline.build(content, site)
    assert seen == [("prepare", ["pagefind/"]), ("make", ["pagefind/"], {"projects/2028-01/index.html"})]
    fresh = tree(site)
    assert fresh == whole_tree(content, tmp_path)
    changed = sorted(rel for rel, data in before.items() if fresh.get(rel) != data)
    assert changed and not any(rel.startswith("pagefind/part2/") for rel in changed), "the newest year's part kept"


def test_the_outline_is_read_without_the_model_and_guesses_only_known_posts(tmp_path):
    """The outline is plain data, read before the model's modules are imported; a new post's
    pages are not guessed (it has not been read), a changed one's are."""
    content, site = copy(tmp_path)
    edit(content, NEWS, "公交场站充电桩投入使用", "首批公交场站充电桩投入使用")
    (content / "updates/news/2029-05-09-new.md").write_text(
        post("title: 新文章\ndate: 2029-05-09\nkind: news", "正文。")
    )
    scan = fingerprint.scan(content, False, None)
    script = (
        "import sys; from pathlib import Path; from portal.incremental import outline; from portal.write import fingerprint\n"
        f"scan = fingerprint.scan(Path({str(content)!r}), False, None)\n"
        f"found = outline.read(Path({str(site)!r}), scan, {str(content)!r}, {staging.built_from(site)!r})\n"
        "print(sorted(outline.changed(found.files, scan)), [f for f, _ in found.likely(scan)])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('portal.load', 'portal.model', 'portal.render', 'jinja2'))))"
    )
    said = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert said.splitlines() == [
        f"{['updates/news/2029-04-28-chargers.md', 'updates/news/2029-05-09-new.md']} {['pagefind/part2/']}",
        "[]",
    ]
    assert scan.files.keys() >= {"updates/news/2029-05-09-new.md"}


def test_the_outline_guesses_one_part_the_first_a_changed_post_shows_in():
    """Pagefind holds a prepared part in memory until it is made: one is prepared at most, the
    first in the order the parts are made; an unchanged post's pages are not guessed."""
    parts = (("pagefind/", ("projects/a/index.html",)), ("pagefind/part2/", ("projects/b/index.html",)))
    shows = {"updates/a.md": ("projects/a/index.html",), "updates/b.md": ("projects/b/index.html",)}
    kept = outline.Outline({"updates/a.md": b"1", "updates/b.md": b"1"}, parts, shows)
    assert kept.likely(SimpleNamespace(files={"updates/a.md": b"2", "updates/b.md": b"2"})) == [parts[0]]
    assert kept.likely(SimpleNamespace(files={"updates/a.md": b"1", "updates/b.md": b"2"})) == [parts[1]]
    assert kept.likely(SimpleNamespace(files={"updates/a.md": b"1", "updates/b.md": b"1"})) == []


def test_the_index_is_split_by_year_the_newest_in_small_parts(monkeypatch):
    monkeypatch.setattr(indexparts, "PAGES_AN_INDEX", 5)
    monkeypatch.setattr(indexparts, "NEWEST_PART", 2)
    pages = [(2020, f"a{n}") for n in range(3)] + [(2021, f"b{n}") for n in range(2)]
    pages += [(2022, f"c{n}") for n in range(7)] + [(2023, f"d{n}") for n in range(3)]
    assert indexparts.plan(pages) == [
        ("pagefind/", ("a0", "a1", "a2", "b0", "b1")),  # older years packed whole while they fit
        ("pagefind/part2/", ("c0", "c1", "c2", "c3", "c4")),  # a year too big for a part, in pieces
        ("pagefind/part3/", ("c5", "c6")),
        ("pagefind/part4/", ("d0", "d1")),  # the newest year, in parts of NEWEST_PART
        ("pagefind/part5/", ("d2",)),
    ]
    assert indexparts.plan([]) == [("pagefind/", ())]


def test_older_parts_grow_with_the_site_so_that_a_reader_merges_few():
    """Each part costs a reader on a phone about half a second (bench/searchpage.py): the older
    years' parts grow with the site, between PAGES_AN_INDEX and MOST_PAGES pages."""
    assert indexparts.older_size(600) == indexparts.PAGES_AN_INDEX == 250  # a small site as before
    assert indexparts.older_size(2726) == 455  # 16,000 posts: 6 older parts, not 12
    assert indexparts.older_size(100_000) == indexparts.MOST_PAGES == 600  # Pagefind's memory bounds it
    older = [(year, f"updates/news/{year}-{n}") for year in range(2000, 2047) for n in range(58)]
    parts = indexparts.plan([*older, (2047, "updates/news/newest")])
    assert len(parts) == 8 and all(len(pages) <= 455 for _, pages in parts)  # 7 older, packed whole


def test_the_scan_reads_again_only_files_whose_status_changed(tmp_path, monkeypatch):
    """The digests kept beside the output vouch for a file only while its size, times and inode
    are the same (as git's index), and not for a file changed in the last two seconds."""
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)
    first = fingerprint.scan(content, False)
    assert first.known.keys() == first.files.keys()
    forged = {rel: [*entry[:4], "00" * 16] for rel, entry in first.known.items()}
    edit(content, NEWS, "公交场站充电桩投入使用", "充电桩投入使用")
    again = fingerprint.scan(content, False, forged)
    changed = {rel for rel in first.files if again.files[rel] != bytes(16)}
    assert changed == {NEWS}, "only the changed file is read; the others keep what was known"
    assert again.files[NEWS] == fingerprint.scan(content, False).files[NEWS]
    monkeypatch.setattr(fingerprint, "RACY_NS", 10**18)
    assert fingerprint.scan(content, False).known == {}, "files changed just now are not vouched for"


def test_kept_digests_are_trusted_only_from_a_private_file(tmp_path, monkeypatch):
    content, site = copy(tmp_path)
    kept = tmp_path / ".site.portal-scan"
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)
    fingerprint.remember(site, fingerprint.scan(content, False), None)
    assert fingerprint.recall(site)
    os.chmod(kept, 0o664)
    assert fingerprint.recall(site) is None
    kept.unlink()
    kept.symlink_to(tmp_path / "elsewhere")
    assert fingerprint.recall(site) is None


@given(st.text(), st.dictionaries(st.sampled_from(['"', "'", "\n"]), st.sampled_from(["&quot;", "&#10;"])))
def test_our_xml_escaping_is_saxutils(text, entities):
    from xml.sax import saxutils

    from portal.render import xmltext

    assert xmltext.escape(text) == saxutils.escape(text)
    assert xmltext.escape(text, entities) == saxutils.escape(text, entities)
    assert xmltext.quoteattr(text) == saxutils.quoteattr(text)


def test_a_new_month_makes_again_only_the_newest_years_index_parts(tmp_path, monkeypatch):
    """With Pagefind itself: a month's first report moves the newest year's clock, and each of
    its project pages says so (进度判断 截至…); an older year's pages do not change at all (their
    year is over and their footer's 数据截至 says so), nor does their part of the index; and the
    index is still byte for byte a whole build's."""
    monkeypatch.setenv("PORTAL_CACHE", "off")
    content, site = copy(tmp_path)
    older = (site / "projects/2028-01/index.html").read_bytes()
    index = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    add_may_report(content)
    pipeline.build(content, site)
    assert "数据截至 2029年5月31日" in (site / "projects/2029-02/index.html").read_text(encoding="utf-8")
    assert (site / "projects/2028-01/index.html").read_bytes() == older
    assert "数据截至 2028年12月31日" in older.decode("utf-8")
    fresh = tree(site)
    assert fresh == whole_tree(content, tmp_path)
    changed = sorted(rel for rel, data in index.items() if fresh.get(rel) != data)
    assert changed and all(rel.startswith("pagefind/part2/") for rel in changed), "the older year's part kept"


def test_pagefind_does_not_read_the_footer(tmp_path):
    """What search.indexed leaves out (the site's footer, outside data-pagefind-body) is not in
    the index: a page that changed only there need not be indexed again. With Pagefind itself."""
    import subprocess

    content, site = copy(tmp_path)
    page = (site / "projects/2029-02/index.html").read_bytes()
    start, end = page.index(search.FOOTER[0]), page.index(search.FOOTER[1])
    other = page[:start] + page[start:end].replace("数据截至".encode(), "数据更新至 2099年".encode()) + page[end:]
    assert other != page and search.indexed(other) == search.indexed(page)
    made = []
    for n, html in enumerate((page, other)):
        mirror = tmp_path / f"mirror{n}"
        (mirror / "projects/2029-02").mkdir(parents=True)
        (mirror / "projects/2029-02/index.html").write_bytes(html)
        out = tmp_path / f"index{n}"
        subprocess.run(
            [*searchchild._pagefind(), "--site", str(mirror), "--output-path", str(out), "--quiet"], check=True
        )
        made.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert made[0] == made[1]


@pytest.mark.parametrize("name", [".site.portal-record", ".site.portal-scan", ".site.staging-1", ".site.record-1"])
def test_what_a_build_keeps_beside_site_is_not_committed(name):
    """`make site` writes site/ and, beside it in the repository, the record and the scan: git
    ignores them as it ignores site/."""
    import subprocess

    found = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, check=False)
    assert found.returncode == 0, f"{name} would show in git status"
