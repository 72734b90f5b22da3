"""The writer: a killed build leaves the last good site whole, and its leftovers are cleaned."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, run

from portal.write.staging import Stage


def digest(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_killed_build_leaves_site_whole_and_next_build_cleans_up(content, tmp_path):
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    before = digest(site)
    (content / "projects/2030.csv").write_text(
        (content / "projects/2030.csv").read_text(encoding="utf-8").replace("新建公厕", "改名的项目"),
        encoding="utf-8",
    )
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from portal import pipeline
        from portal.render import environment as render
        original = render.render_pages
        def slow(*args):
            for n, page in enumerate(original(*args)):
                if n == 5:
                    print("written", flush=True)
                    time.sleep(600)
                yield page
        render.render_pages = slow
        pipeline.build(__import__("pathlib").Path({str(content)!r}), __import__("pathlib").Path({str(site)!r}))
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "written"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    leftovers = list(tmp_path.glob(".site.staging-*"))
    assert leftovers, "the killed build had a staging folder"
    assert digest(site) == before
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    assert sorted(p.name for p in tmp_path.glob(".site.*")) == [".site.portal-record", ".site.portal-scan"]
    assert "改名的项目" in (site / "projects/2030-01/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    ["../escape.html", "/etc/passwd", "a/../../b.html", "con/index.html", "a\\b.html", "nul.txt"],
)
def test_stage_refuses_paths_outside_or_unsafe(tmp_path, path):
    stage = Stage(tmp_path / "site")
    with pytest.raises(ValueError):
        stage.write(path, "x")
    stage.discard()
    assert not (tmp_path / "escape.html").exists()


def test_stage_refuses_to_write_one_file_twice(tmp_path):
    stage = Stage(tmp_path / "site")
    stage.write("units/区教委/index.html", "a")
    with pytest.raises(ValueError, match="two files"):
        stage.write("UNITS/区教委/index.html", "b")
    stage.discard()


def test_publish_swaps_whole_site(tmp_path):
    out = tmp_path / "site"
    for text in ("first", "second"):
        stage = Stage(out)
        stage.write("index.html", text)
        if text == "first":
            stage.write("old/index.html", "gone next time")
        stage.publish()
    assert (out / "index.html").read_text() == "second"
    assert not (out / "old").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_nothing_changed_means_nothing_to_do(content, tmp_path):
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    before = digest(site)
    code, out, _ = run("build", "--content", str(content), "--out", str(site))
    assert code == 0 and "已是最新" in out
    assert digest(site) == before
    (content / "projects/2030.csv").write_text(
        (content / "projects/2030.csv").read_text(encoding="utf-8").replace("助餐服务", "助餐助浴服务"),
        encoding="utf-8",
    )
    code, out, _ = run("build", "--content", str(content), "--out", str(site))
    assert code == 0 and "已生成" in out
    assert "助餐助浴服务" in (site / "projects/2030-03/index.html").read_text(encoding="utf-8")
    (site / ".portal-inputs").unlink()  # an output whose inputs are unknown is rebuilt
    code, out, _ = run("build", "--content", str(content), "--out", str(site))
    assert code == 0 and "已生成" in out


def test_nothing_to_do_is_found_before_the_heavy_libraries_are_imported(content, tmp_path):
    """A build with nothing to do hashes its inputs and stops: it needs neither frictionless,
    Jinja nor Markdown, and does not pay for importing them."""
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    script = (
        "import sys; from portal.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in ('frictionless', 'jinja2', 'markdown', 'segno') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "build", "--content", str(content), "--out", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == [f"{site}/ 已是最新：内容、模板和程序都没有改变 (up to date)", "[]"]


def test_cached_uncached_and_parallel_builds_are_byte_identical(tmp_path, monkeypatch):
    from portal.load import markup
    from portal.write import parallel as pages

    monkeypatch.setattr(pages, "PARALLEL_FROM", 1)  # the demo's pages are few: parallel all the same
    monkeypatch.setattr(markup, "PARALLEL_FROM", 1)  # and its posts' Markdown
    demo = ROOT / "examples" / "demo"
    sites = {}
    for name, cache, jobs in [
        ("uncached", "off", "1"),
        ("cold", str(tmp_path / "c"), "1"),
        ("cached", str(tmp_path / "c"), "1"),
        ("parallel", str(tmp_path / "c"), "3"),
        ("parallel uncached", "off", "3"),
    ]:
        monkeypatch.setenv("PORTAL_CACHE", cache)
        out = tmp_path / name
        code, _, err = run("build", "--content", str(demo), "--out", str(out), "--jobs", jobs)
        assert code == 0, err
        sites[name] = digest(out)
    assert (tmp_path / "c" / "markdown.json").stat().st_size > 1000, "the cache was used"
    assert sites["uncached"] == sites["cold"] == sites["cached"] == sites["parallel"] == sites["parallel uncached"]


def test_workers_run_the_given_steps_below_the_parent():
    """The renderers that work beside Pagefind run at a lower priority, so that the index, the
    longest task, is not kept waiting for a core (pipeline.build)."""
    from portal import cores

    with cores.pool(2, nice=3) as workers:
        assert workers.map(os.nice, [0, 0]) == [os.nice(0) + 3] * 2
    with cores.pool(1) as workers:
        assert workers.apply(os.nice, (0,)) == os.nice(0)


# ---------------------------------------------------------------- where the site may go, and a failed write


@pytest.mark.parametrize("folder", ["content", "portal", "templates", "static", "schema", "tests"])
def test_output_inside_content_or_the_portal_is_refused(content, folder):
    place = content if folder == "content" else ROOT / folder
    out = place / "built-site"
    before = digest(place)
    code, _, err = run("build", "--content", str(content), "--out", str(out))
    what = "内容文件夹" if folder == "content" else "门户自身的文件夹"
    assert (code, err) == (2, f"build.py: 拒绝把网站写到 {out}：它在{what} {place} 里面，请写到别处（如 site/）\n")
    assert not out.exists() and digest(place) == before
    assert not list(place.glob(".built-site.*"))


def test_output_below_a_file_is_refused(content, tmp_path):
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    code, _, err = run("build", "--content", str(content), "--out", str(tmp_path / "file" / "sub"))
    assert (code, err) == (2, f"build.py: 不能把网站写到 {tmp_path}/file/sub：{tmp_path}/file 是文件，不是文件夹\n")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "mine"


def test_impossible_output_path_is_one_line(content, tmp_path):
    out = tmp_path / ("长" * 100) / "site"  # 300 bytes: longer than a file name may be
    code, _, err = run("build", "--content", str(content), "--out", str(out))
    assert (code, err) == (2, f"build.py: 不能把网站写到 {out}：路径或文件名太长（File name too long）\n")


@pytest.mark.parametrize(
    "number, reason",
    [(errno.ENOSPC, "磁盘空间已满"), (errno.EACCES, "没有权限"), (errno.EROFS, "磁盘是只读的")],
)
def test_failed_write_is_one_line_and_keeps_the_old_site(content, tmp_path, monkeypatch, number, reason):
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    before = digest(site)
    (content / "projects/2030.csv").write_text(
        (content / "projects/2030.csv").read_text(encoding="utf-8").replace("助餐服务", "助餐助浴服务"),
        encoding="utf-8",
    )
    original, calls = Stage.write, []

    def failing(self, rel, data):
        calls.append(rel)
        if len(calls) == 3:
            raise OSError(number, os.strerror(number), str(self.root / rel))
        original(self, rel, data)

    monkeypatch.setattr(Stage, "write", failing)
    code, out, err = run("build", "--content", str(content), "--out", str(site), "--jobs", "1")
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"build.py: {tmp_path}/.site.staging-") and line.endswith(
        f"/{calls[2]}: {reason}（{os.strerror(number)}）；网站未生成，{site} 保持原样"
    )
    assert digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        ".site.portal-record",
        ".site.portal-scan",
    ]
