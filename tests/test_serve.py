"""The preview server: safe paths, the last good build kept, live rebuilds."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

from conftest import ROOT, free_port, post, stop, write_tree
from livereload.handlers import LiveReloadHandler

from portal.preview import serve
from portal.preview.incremental import Preview
from portal.preview.serve import PreviewApp, rebuild, tidy


def call(app: PreviewApp, path: str | bytes) -> tuple[str, dict[str, str], bytes]:
    """The app asked for a path (text, or the bytes a request's target decodes to)."""
    seen: dict = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    raw = path if isinstance(path, bytes) else path.encode()
    body = b"".join(app({"PATH_INFO": raw.decode("latin-1")}, start_response))
    return seen["status"], seen["headers"], body


def built(content: Path, tmp_path: Path) -> tuple[PreviewApp, Path, Preview]:
    out = tmp_path / "preview"
    out.mkdir()
    app = PreviewApp(out)
    preview = Preview(content, out)
    assert rebuild(preview, app)
    return app, out, preview


def test_serves_pages_and_refuses_paths_outside(content, tmp_path):
    app, out, _ = built(content, tmp_path)
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", out / "link.txt")
    status, headers, body = call(app, "/projects/2030-01/")
    assert status == "200 OK" and "text/html" in headers["Content-Type"]
    assert "新建公厕".encode() in body
    for bad in ("/../secret.txt", "/projects/../../secret.txt", "/link.txt", "/a\x00b", "/..%2f"):
        status, _, body = call(app, bad)
        assert status == "404 Not Found", bad
        assert b"secret" not in body
    status, headers, _ = call(app, "/projects")
    assert status.startswith("301") and headers["Location"] == "/projects/"
    status, _, body = call(app, "/static/")  # a folder without index.html: no listing
    assert status == "404 Not Found" and body == (out / "404.html").read_bytes()


def test_long_and_malformed_paths_are_not_found(content, tmp_path):
    app, out, _ = built(content, tmp_path)
    not_found = (out / "404.html").read_bytes()
    for bad in (
        "/" + "a" * 300,
        "/projects/" + "b" * 300 + "/",
        "/" + "中" * 100,
        "/x" * 2500,
        "/" + "a" * 5000,
        b"/\xff",
        b"/\xc3(",
        b"/\xe4\xb8",
        b"/index.html\x00",
        "/\\static",
    ):
        status, headers, body = call(app, bad)
        assert (status, body) == ("404 Not Found", not_found), bad[:20]
        assert "Location" not in headers
    body = b"".join(app({"PATH_INFO": "/中"}, lambda status, headers: None))  # not latin-1: not a WSGI string
    assert body == not_found


def test_a_folder_redirects_to_a_path_on_this_server(content, tmp_path):
    app, out, _ = built(content, tmp_path)
    (out / "新闻").mkdir()
    (out / "新闻/index.html").write_text("<!doctype html><title>新闻</title>", encoding="utf-8")
    for asked, location in {
        "/projects": "/projects/",
        "//projects": "/projects/",
        "///projects": "/projects/",  # /%2F%2Fprojects, as the server decodes it
        "//static//css": "/static/css/",
        "/新闻": "/%E6%96%B0%E9%97%BB/",  # a header is ASCII: the name percent-encoded
    }.items():
        status, headers, body = call(app, asked)
        assert (status, headers, body) == ("301 Moved Permanently", {"Location": location}, b""), asked


def test_failed_rebuild_keeps_last_good_site_and_shows_why(content, tmp_path):
    app, out, preview = built(content, tmp_path)
    before = (out / "index.html").read_bytes()
    (content / "projects/2030.csv").write_text("id,seq\n2030-01,<script>x</script>\n", encoding="utf-8")
    assert not rebuild(preview, app, [content / "projects/2030.csv"])
    assert (out / "index.html").read_bytes() == before
    status, _, body = call(app, "/")
    assert status == "200 OK"
    page = body.decode()
    assert "重新生成失败" in page and "2030.csv:1: 缺少必填的列“name”" in page
    assert "序号“&lt;script&gt;x&lt;/script&gt;”不是整数" in page  # the message is escaped text
    assert "<script>x" not in page


def test_drafts_show_in_the_preview_only(content, tmp_path):
    write_tree(content, {"updates/news/a.md": post("title: 草稿文章\ndate: 2030-02-01\nkind: news\ndraft: true")})
    app, out, _ = built(content, tmp_path)
    assert "草稿文章" in (out / "updates/news/a/index.html").read_text()
    code = subprocess.run(
        [sys.executable, "build.py", "build", "--content", str(content), "--out", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
    ).returncode
    assert code == 0
    assert not (tmp_path / "site/updates/news/a").exists()


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except urllib.error.URLError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = _get(url)
        if text in page:
            return page
        time.sleep(0.2)
    return page


def test_serve_rebuilds_on_save_and_binds_loopback(content):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        assert "测试区民生实事" in _wait_for(base, "测试区民生实事")
        write_tree(content, {"updates/news/new.md": post("title: 刚保存的文章\ndate: 2030-03-01\nkind: news")})
        assert "刚保存的文章" in _wait_for(base + "updates/", "刚保存的文章")
        assert "livereload.js" in _get(base)
        with socket.socket() as s:  # nothing listens on other addresses
            s.settimeout(1)
            other = socket.gethostbyname(socket.gethostname())
            if not other.startswith("127."):
                assert s.connect_ex((other, port)) != 0
    finally:
        stop(proc)


WITHOUT_SIGMASK_OR_FORK = """\
import multiprocessing, os, signal, sys
del signal.pthread_sigmask, os.fork  # as on Windows
multiprocessing.get_all_start_methods = lambda: ["spawn"]
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl+C, even if pytest runs in the background
from portal.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_serve_works_without_pthread_sigmask_or_fork(content, tmp_path):
    """Windows has neither: the preview still serves, rebuilds on a save and stops on Ctrl+C."""
    port = free_port()
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", WITHOUT_SIGMASK_OR_FORK, "serve", "--content", str(content), "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        assert "测试区民生实事" in _wait_for(base, "测试区民生实事")
        write_tree(content, {"updates/news/new.md": post("title: 刚保存的文章\ndate: 2030-03-01\nkind: news")})
        assert "刚保存的文章" in _wait_for(base + "updates/", "刚保存的文章")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_preview_rebuilds_keep_the_search_index(content, tmp_path):
    app, out, preview = built(content, tmp_path)
    index = out / "pagefind" / "pagefind.js"
    assert index.is_file()
    write_tree(content, {"updates/news/n.md": post("title: 新文章\ndate: 2030-03-01\nkind: news")})
    assert rebuild(preview, app, [content / "updates/news/n.md"])
    assert (out / "updates/news/n/index.html").is_file()
    assert index.is_file() and index.stat().st_nlink >= 1


def test_tidy_collects_what_an_earlier_tidy_froze_and_freezes_the_rest():
    """Between rebuilds the preview freezes its heap out of the collector's way; the next tidy
    must still free the cycles the rebuilds since left behind, even those frozen meanwhile."""

    class Node:
        pass

    node = Node()
    node.itself = node  # a reference cycle: only the collector frees it
    gone = weakref.ref(node)
    del node
    gc.freeze()  # as an earlier tidy would have
    try:
        tidy()
        assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_saves_in_a_row_are_tidied_once_when_they_pause(monkeypatch):
    """A collection of the whole heap takes a quarter of a second at 16,000 posts: it waits
    until the saves pause, and each rebuild meanwhile freezes what it made."""
    calls = []
    monkeypatch.setattr(serve, "TIDY_AFTER", 0.1)
    monkeypatch.setattr(serve, "tidy", lambda: calls.append("tidy"))
    watcher = serve.Watcher([], on_change=lambda changed: calls.append(sorted(changed)))
    monkeypatch.setattr(LiveReloadHandler, "watcher", watcher)  # as livereload's server sets it

    async def saves() -> None:
        for name in ("a.md", "b.md"):
            watcher.pending = {Path(name)}
            frozen = gc.get_freeze_count()
            watcher.examine()
            assert gc.get_freeze_count() >= frozen
            await asyncio.sleep(0.02)
        assert calls == [[Path("a.md")], [Path("b.md")]]
        await asyncio.sleep(0.3)

    failed = []

    def server_thread() -> None:  # a loop of its own, as the preview server's thread has
        try:
            asyncio.run(saves())
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            failed.append(exc)

    thread = threading.Thread(target=server_thread)
    thread.start()
    thread.join()
    gc.unfreeze()
    assert not failed, failed
    assert calls == [[Path("a.md")], [Path("b.md")], "tidy"]
