"""The preview server treats the browser as hostile: a real `build.py serve` on 127.0.0.1 is asked
what a web page the operator opens could ask it (another Host by DNS rebinding, a socket from
another origin, cross-site forms, odd paths), and must answer none of it with content."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, free_port, post, run, stop, write_tree

from portal.preview.serve_http import Door

DRAFT = "未公开的草稿内容"
METHOD_TEXT = "405：预览只接受 GET 和 HEAD 请求。"
ORIGIN_TEXT = "403：自动刷新只接受预览自己的页面的连接。"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass(frozen=True)
class Preview:
    port: int
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def ask(self, method: str, target: str, headers: dict[str, str | None] | None = None) -> Answer:
        """One request; ``Host`` is this server's unless given (None: no Host at all)."""
        headers = {"Host": self.host, **(headers or {})}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                if value is not None:
                    connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def socket(self, origin: str | None, headers: dict[str, str | None] | None = None) -> Answer:
        """The live-reload socket's opening handshake, as a browser's page sends it."""
        opening = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
            "Origin": origin,
        }
        return self.ask("GET", "/livereload", {**opening, **(headers or {})})


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("door")
    content = write_tree(
        root / "content",
        {
            "site.yaml": SITE_YAML,
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
            "updates/news/d.md": post("title: 草稿\ndate: 2030-02-01\nkind: news\ndraft: true", DRAFT),
        },
    )
    server = Preview(free_port(), root / "stderr.log")
    with server.log.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(server.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if server.ask("GET", "/updates/news/d/").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        stop(proc)


def _no_traceback(preview: Preview) -> None:
    log = preview.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


def test_only_requests_addressed_to_this_computer_are_answered(preview):
    port = preview.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
        answer = preview.ask("GET", "/updates/news/d/", {"Host": host})
        assert answer.status == 200 and DRAFT.encode() in answer.body, host
    refused = f"403：预览只回答发给本机地址的请求。请在这台电脑的浏览器里打开 http://127.0.0.1:{port}/"
    foreign = (
        "attacker.example",  # DNS rebinding: the attacker's name, resolved to 127.0.0.1
        f"attacker.example:{port}",
        f"localhost.attacker.example:{port}",
        f"127.0.0.1:{port}.attacker.example",
        "127.0.0.1",
        f"127.0.0.1:{port + 1}",
        f"0.0.0.0:{port}",
        "",
    )
    for host in foreign:
        for target in ("/", "/updates/news/d/", "/static", "/livereload.js", "/missing", "/" + "a" * 300, "//x"):
            answer = preview.ask("GET", target, {"Host": host})
            assert (answer.status, answer.body.decode()) == (403, refused), (host, target)
            assert answer.headers["Location"] is None
        answer = preview.socket(f"http://{host}", {"Host": host})  # the socket too, even from "its own" page
        assert (answer.status, answer.body.decode()) == (403, refused), host
    assert preview.ask("GET", "/", {"Host": None}).status == 400  # HTTP/1.1 without Host: tornado's own refusal
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 403 ")


def test_the_reload_socket_opens_to_the_previews_own_pages_only(preview):
    port = preview.port
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}"):
        answer = preview.socket(origin)
        assert answer.status == 101 and answer.headers["Upgrade"] == "websocket", origin
    for origin in (
        "http://attacker.example",
        f"http://attacker.example:{port}",
        f"http://127.0.0.1:{port + 1}",
        f"https://127.0.0.1:{port}",
        f"127.0.0.1:{port}",
        f"http://127.0.0.1:{port}.attacker.example",
        "null",
        None,
    ):
        answer = preview.socket(origin)
        assert (answer.status, answer.body.decode()) == (403, ORIGIN_TEXT), origin


def test_head_answers_like_get_without_a_body(preview):
    for target in ("/", "/static/css/portal.css", "/livereload.js", "/missing", "/static", "/livereload"):
        get, head = preview.ask("GET", target), preview.ask("HEAD", target)
        assert head.status == get.status, target
        assert head.body == b"", target
        assert int(head.headers["Content-Length"]) == len(get.body), target
        same = {k: v for k, v in get.headers.items() if k != "Date"}
        assert {k: v for k, v in head.headers.items() if k != "Date"} == same, target
    assert preview.ask("HEAD", "/").headers["Content-Type"] == "text/html; charset=utf-8"


def test_every_other_method_is_refused_before_anything_is_done(preview):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"):
        for target in ("/", "/updates/news/d/", "/livereload", "/missing"):
            answer = preview.ask(method, target, {"Content-Length": "0"})
            assert (answer.status, answer.body.decode()) == (405, METHOD_TEXT), (method, target)
            assert answer.headers["Allow"] == "GET, HEAD"
    assert preview.ask("GET", "/forcereload").status == 404  # livereload's GET that reloads every page: gone


def test_a_large_body_is_cut_off_not_read(preview):
    """A cross-site form can post megabytes to 127.0.0.1: the preview takes no body, so it stops
    at 64 kB instead of reading (and holding) up to tornado's 100 MB."""
    with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as s:
        s.sendall(f"POST / HTTP/1.1\r\nHost: {preview.host}\r\nContent-Length: 50000000\r\n\r\nabc".encode())
        assert s.recv(100).startswith(b"HTTP/1.1 400 ")


def test_every_answer_is_marked_and_none_allows_another_origin(preview):
    port = preview.port
    cross = {"Origin": "http://attacker.example"}
    answers = {
        "page": preview.ask("GET", "/", cross),
        "draft": preview.ask("GET", "/updates/news/d/", cross),
        "style": preview.ask("GET", "/static/css/portal.css", cross),
        "feed": preview.ask("GET", "/feed.xml", cross),
        "script": preview.ask("GET", "/livereload.js", cross),
        "missing": preview.ask("GET", "/missing", cross),
        "folder": preview.ask("GET", "/static", cross),
        "head": preview.ask("HEAD", "/", cross),
        "preflight": preview.ask("OPTIONS", "/", {**cross, "Access-Control-Request-Method": "POST"}),
        "post": preview.ask("POST", "/", {**cross, "Content-Length": "0"}),
        "foreign host": preview.ask("GET", "/", {"Host": "attacker.example"}),
        "long": preview.ask("GET", "/" + "a" * 5000, cross),
        "socket": preview.socket(f"http://127.0.0.1:{port}"),
        "foreign socket": preview.socket("http://attacker.example"),
    }
    for name, answer in answers.items():
        assert answer.headers["X-Content-Type-Options"] == "nosniff", name
        assert answer.headers["Referrer-Policy"] == "no-referrer", name
        assert answer.headers["Cache-Control"] == "no-store", name
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")], name
    assert answers["draft"].status == 200 and "text/html" in answers["draft"].headers["Content-Type"]


def test_long_and_malformed_paths_are_not_found(preview):
    for target in (
        "/" + "a" * 300,
        "/updates/" + "b" * 300 + "/index.html",
        "/" + "%E4%B8%AD" * 100,  # 100 Chinese characters: 300 bytes, one segment
        "/%FF",
        "/%C3%28",
        "/%E4%B8",
        "/%00",
        "/index.html%00.css",
        "/%zz",
        "/%",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2F..%2Fpyproject.toml",
    ):
        answer = preview.ask("GET", target)
        assert answer.status == 404, target
        assert "<html" in answer.body.decode()  # the site's own 404 page
    for target in ("/" + "x" * 5000, "/a/" * 1500, "/?q=" + "x" * 5000):
        assert preview.ask("GET", target).status == 414, target[:20]
    _no_traceback(preview)


def test_no_redirect_leaves_this_server(preview):
    base = f"http://{preview.host}/"
    for target in (
        "//static",
        "///static",
        "/%2F%2Fstatic",
        "/%2F/static",
        "/%2fstatic",
        "/.//static",
        "//static//css",
    ):
        answer = preview.ask("GET", target)
        if answer.status == 301:
            location = answer.headers["Location"]
            assert location.startswith("/") and location[1:2] not in ("/", "\\"), (target, location)
            assert urlsplit(urljoin(base, location)).netloc == preview.host
        else:
            assert answer.status == 404, target
    assert preview.ask("GET", "//static").headers["Location"] == "/static/"
    assert preview.ask("GET", "/%2F%2Fstatic").headers["Location"] == "/static/"
    for target in ("/\\static", "/%5Cstatic", "/\\\\attacker.example", "/%5C%5Cattacker.example", "/%5C/static"):
        answer = preview.ask("GET", target)
        assert answer.status == 404 and answer.headers["Location"] is None, target
    _no_traceback(preview)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "example.com", "localhost.example.com", ""])
def test_serve_listens_on_this_computer_only(tmp_path, host):
    """Refused before anything else (no content folder here: a host let through fails on that)."""
    code, out, err = run("serve", "--content", str(tmp_path / "none"), "--host", host)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == (
        f"build.py serve: 用法错误 (usage error): argument --host: {host} 不是本机地址：预览只在这台电脑上监听，"
        "不供其他电脑访问。请去掉 --host，或用 127.0.0.1、::1、localhost (the preview listens on this computer only)"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_are_taken(tmp_path, host):
    """Taken: the next thing said is about the (missing) content folder, not the host."""
    code, _, err = run("serve", "--content", str(tmp_path / "none"), "--host", host)
    assert (code, err) == (2, f"build.py: 找不到内容文件夹 {tmp_path / 'none'} (no such content folder)\n")


def test_the_door_knows_the_address_it_was_opened_on():
    assert Door.at("::1", 8000).address == "http://[::1]:8000/"
    other = Door.at("127.0.0.2", 8000)  # a loopback literal cannot be rebound: its own name is let in too
    assert other.refusal("GET", "/", {"Host": "127.0.0.2:8000"}) is None
    assert other.refusal("GET", "/", {"Host": "127.0.0.1:8000"}) is None
    web = Door.at("127.0.0.1", 80)  # a browser leaves the default port out of Host and Origin
    assert web.refusal("GET", "/", {"Host": "localhost"}) is None
    assert web.same_origin("http://localhost") and web.same_origin("http://localhost:80")
    assert Door.at("127.0.0.1", 8000).refusal("GET", "/", {"Host": "localhost"}).status == 403
