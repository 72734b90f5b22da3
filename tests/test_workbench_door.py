"""The workbench treats the browser as hostile: a real `build.py serve` on 127.0.0.1 is asked what
a web page the operator opens could ask it (another Host, no token, a wrong token, a form from
another origin, a GET that would write, uploads that aim outside or are not photos), and answers
none of it with a page or a write. After every refused request the content folder is the same,
byte for byte."""

from __future__ import annotations

import contextlib
import http.client
import io
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, free_port, post, stop, write_tree
from PIL import Image

from portal.workbench import guard

NO_TOKEN = guard.NO_TOKEN
FOREIGN = guard.FOREIGN
UNSIGNED = guard.UNSIGNED
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGES = (
    "/_workbench/",
    "/_workbench/posts",
    "/_workbench/post",
    "/_workbench/post?path=news/a.md",
    "/_workbench/photo?path=news/a.md&name=a-1.jpg",
    "/_workbench/static/js/workbench.js",
    "/_workbench/month",
    "/_workbench/missing",
    "/_workbench",
)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass(frozen=True)
class Bench:
    """A running preview with its workbench: its port, its token, its content folder."""

    port: int
    token: str
    content: Path
    outside: Path
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    @property
    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"workbench={self.token}"}

    def ask(self, method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Answer:
        headers = {"Host": self.host, **(headers or {})}
        if body or method == "POST":
            headers.setdefault("Content-Length", str(len(body)))
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders(body or None)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def post(self, target: str, fields: dict, files: dict | None = None, headers: dict | None = None) -> Answer:
        """A form as the workbench's own page sends it: its cookie, its origin, the token in the body."""
        fields = {"token": self.token, **fields}
        body, kind = multipart(fields, files or {})
        sent = {**self.cookie, "Origin": self.origin, "Content-Type": kind, **(headers or {})}
        return self.ask("POST", target, sent, body)


def multipart(fields: dict[str, str | list[str]], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body; ``files`` maps a field to (the file name the browser sends, bytes)."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, values in fields.items():
        for value in [values] if isinstance(values, str) else values:
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            out.write(value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        disposition = f'form-data; name="{name}"; filename="{filename}"'
        out.write(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        out.write(b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, "JPEG")
    return out.getvalue()


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file under root, by its path: its bytes, or where a link points."""
    found: dict[str, bytes | str] = {}
    for here, folders, names in os.walk(root):
        for name in folders + names:
            path = Path(here, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
    return found


NEWS = post("title: 公厕开放\ndate: 2030-03-01\nkind: news\nprojects: [2030-01]\nsource: 区城管局", "正文。")


@contextlib.contextmanager
def serving(content: Path, logs: Path) -> Iterator[Bench]:
    """``build.py serve`` of ``content`` on a free port, until the block ends (then Ctrl+C); its
    output and errors in ``logs``, which must show no traceback and no 500."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "stdout.log", logs / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port)],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        token = _printed_token(out, port)
        outside = content.parent / "outside"
        yield Bench(port, token, content, outside, content.parent / ".portal-workbench.log")
    finally:
        stop(proc)
    log = err.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("bench")
    content = write_tree(
        root / "folder" / "content",  # beside it: the write log and a folder outside the content
        {
            "site.yaml": SITE_YAML,
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
            "updates/news/a.md": NEWS,
            "updates/news/a-1.jpg": jpeg(),
        },
    )
    (root / "folder" / "outside").mkdir()
    with serving(content, root / "logs") as running:
        yield running


def _printed_token(out: Path, port: int) -> str:
    """The token of the workbench address the preview prints at start (waited for, at most 60 s)."""
    pattern = re.compile(rf"工作台地址 \(workbench\): http://127\.0\.0\.1:{port}/_workbench/\?token=(\S+) ")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = pattern.search(out.read_text(encoding="utf-8"))
        if found:
            return found[1]
        time.sleep(0.2)
    raise AssertionError(f"no workbench address printed: {out.read_text(encoding='utf-8')!r}")


@pytest.fixture
def unchanged(bench: Bench) -> Iterator[None]:
    """The content folder, the folder beside it and the write log are as they were, byte for byte."""
    before = snapshot(bench.content.parent)
    yield
    assert snapshot(bench.content.parent) == before


def test_the_address_printed_at_start_carries_256_random_bits(bench):
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", bench.token)  # secrets.token_urlsafe(32): 256 bits


def test_the_first_visit_sets_a_strict_cookie_and_leaves_the_token_out_of_the_address(bench, unchanged):
    answer = bench.ask("GET", f"/_workbench/?token={bench.token}")
    assert answer.status == 303 and answer.headers["Location"] == "/_workbench/"
    assert answer.headers["Set-Cookie"] == f"workbench={bench.token}; Path=/_workbench/; HttpOnly; SameSite=Strict"
    answer = bench.ask("GET", f"/_workbench/post?path=news%2Fa.md&token={bench.token}")
    assert answer.status == 303 and answer.headers["Location"] == "/_workbench/post?path=news%2Fa.md"
    answer = bench.ask("GET", f"/_workbench?token={bench.token}")  # without its slash: sent on with it
    assert answer.status == 301 and answer.headers["Location"] == f"/_workbench/?token={bench.token}"
    home = bench.ask("GET", "/_workbench/", bench.cookie)
    assert home.status == 200 and "发布动态" in home.text
    assert home.headers["Content-Security-Policy"] == CSP
    assert home.headers["X-Frame-Options"] == "DENY"
    assert home.headers["Referrer-Policy"] == "same-origin"  # else its forms would post with "Origin: null"
    head = bench.ask("HEAD", "/_workbench/", bench.cookie)
    assert (head.status, head.body, head.headers["Content-Length"]) == (200, b"", str(len(home.body)))


def test_nothing_under_the_workbench_answers_without_the_token(bench, unchanged):
    wrong = bench.token[:-1] + ("A" if bench.token[-1] != "A" else "B")
    for target in PAGES:
        join = "&" if "?" in target else "?"
        for method, headers, where in (
            ("GET", {}, target),
            ("HEAD", {}, target),
            ("GET", {}, f"{target}{join}token={wrong}"),
            ("GET", {}, f"{target}{join}token="),
            ("GET", {"Cookie": f"workbench={wrong}"}, target),
            ("GET", {"Cookie": f"other={bench.token}"}, target),
            ("GET", {"X-Workbench-Token": wrong}, target),
            ("POST", {"Origin": bench.origin}, f"{target}{join}token={bench.token}"),  # not by its address
        ):
            answer = bench.ask(method, where, headers)
            assert answer.status == 403, (method, where, headers)
            assert answer.text == ("" if method == "HEAD" else NO_TOKEN), (method, where)
            assert answer.headers["Set-Cookie"] is None


def test_a_foreign_host_is_refused_on_workbench_pages_and_the_socket(bench, unchanged):
    refused = f"403：预览只回答发给本机地址的请求。请在这台电脑的浏览器里打开 http://127.0.0.1:{bench.port}/"
    for host in ("attacker.example", f"attacker.example:{bench.port}", f"127.0.0.1:{bench.port + 1}"):
        for target in PAGES:
            answer = bench.ask("GET", target, {"Host": host, **bench.cookie})
            assert (answer.status, answer.text) == (403, refused), (host, target)
        answer = bench.post("/_workbench/post", {"action": "draft", "title": "x"}, headers={"Host": host})
        assert (answer.status, answer.text) == (403, refused), host
        opening = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"}
        opening |= {"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": f"http://{host}", "Host": host}
        answer = bench.ask("GET", "/livereload", opening)
        assert (answer.status, answer.text) == (403, refused), host


FORM = {"action": "publish", "title": "跨站写入", "date": "2030-03-02", "kind": "news", "body": "x"}


def test_a_post_from_another_origin_writes_nothing(bench, unchanged):
    """A page on another port (or host) posting a form: refused even if it had the cookie and the token."""
    for origin in (
        f"http://127.0.0.1:{bench.port + 1}",
        f"http://localhost:{bench.port + 1}",
        "http://attacker.example",
        f"https://127.0.0.1:{bench.port}",
        "null",
    ):
        answer = bench.post("/_workbench/post", FORM, headers={"Origin": origin})
        assert (answer.status, answer.text) == (403, FOREIGN), origin
    body, kind = multipart({"token": bench.token, **FORM}, {})
    answer = bench.ask("POST", "/_workbench/post", {**bench.cookie, "Content-Type": kind}, body)  # no Origin
    assert (answer.status, answer.text) == (403, FOREIGN)


def test_a_post_without_the_token_in_its_body_or_header_writes_nothing(bench, unchanged):
    for fields in ({}, {"token": ""}, {"token": bench.token.upper() if bench.token.upper() != bench.token else "x"}):
        body, kind = multipart({**FORM, **fields}, {})
        sent = {**bench.cookie, "Origin": bench.origin, "Content-Type": kind}
        answer = bench.ask("POST", "/_workbench/post", sent, body)
        assert (answer.status, answer.text) == (403, UNSIGNED), fields
    answer = bench.ask("POST", "/_workbench/preview", {**bench.cookie, "Origin": bench.origin})
    assert (answer.status, answer.text) == (403, UNSIGNED)


def test_a_get_never_writes(bench, unchanged):
    query = "&".join(f"{key}={quote(value)}" for key, value in FORM.items()) + f"&token={bench.token}"
    answer = bench.ask("GET", f"/_workbench/post?{query}", bench.cookie)
    assert answer.status == 303  # the token is taken out of the address; nothing else is done
    answer = bench.ask("GET", answer.headers["Location"], bench.cookie)
    assert answer.status == 200 and "写一篇新动态" in answer.text
    for target in ("/_workbench/preview", f"/_workbench/preview?body=x&token={bench.token}"):
        answer = bench.ask("GET", target, bench.cookie)
        assert answer.status in (303, 405), target
    answer = bench.ask("GET", "/_workbench/preview", bench.cookie)
    assert (answer.status, answer.headers["Allow"]) == (405, "POST")
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        answer = bench.ask(method, "/_workbench/post", {**bench.cookie, "Origin": bench.origin})
        assert (answer.status, answer.headers["Allow"]) == (405, "GET, HEAD, POST"), method


def test_no_answer_allows_another_origin(bench, unchanged):
    cross = {**bench.cookie, "Origin": "http://attacker.example"}
    answers = [bench.ask("GET", target, cross) for target in PAGES]
    answers.append(bench.ask("OPTIONS", "/_workbench/post", {**cross, "Access-Control-Request-Method": "POST"}))
    answers.append(bench.post("/_workbench/preview", {"body": "**x**"}))
    answers.append(bench.post("/_workbench/post", FORM, headers={"Origin": "http://attacker.example"}))
    for answer in answers:
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")], answer.headers
        assert answer.headers["Cache-Control"] == "no-store"
    assert answers[-2].status == 200 and answers[-2].text == "<p><strong>x</strong></p>"


UPLOAD = {"action": "publish", "title": "新照片", "date": "2030-03-05", "kind": "news", "photo_alt": "公厕外观"}


def test_an_upload_that_is_not_a_photo_is_refused(bench, unchanged):
    refused = "这个文件不是 JPEG、PNG 或 WebP 图片（或已损坏）：请选择照片文件，或另存为 JPEG 后再上传"
    for name, data in (
        ("../x.md", b"---\ntitle: x\n---\n"),
        ("x.jpg", b"%PDF-1.4 not a photo"),
        ("x.jpg", b"\xff\xd8\xff\xe0 a JPEG's first bytes, then nothing"),
        ("x.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ):
        answer = bench.post("/_workbench/post", UPLOAD, {"photo": (name, data)})
        assert answer.status == 422, name
        assert f'<div class="field-error" id="photo-error"><p>{refused}</p></div>' in answer.text, name


def test_a_photo_named_to_climb_out_is_written_under_the_servers_name(bench):
    """The name the browser sends is not used: each photo lands beside its new post, named by the server."""
    before = snapshot(bench.content.parent)
    names = ("../x.md", "../../../outside/x.jpg", "/etc/x.jpg", "a-1.jpg", ".md")
    for number, name in enumerate(names, 1):
        answer = bench.post("/_workbench/post", {**UPLOAD, "title": f"照片{number}"}, {"photo": (name, jpeg())})
        assert answer.status == 303, answer.text
    after = snapshot(bench.content.parent)
    added = {f"content/updates/news/2030-03-05-照片{n}{end}" for n in range(1, 6) for end in (".md", "-1.jpg")}
    assert set(after) - set(before) == added | {".portal-workbench.log"}
    assert {rel: data for rel, data in after.items() if rel in before} == before  # a-1.jpg and the rest as they were
    for rel in added:
        (bench.content.parent / rel).unlink()


def test_an_upload_over_the_limits_is_refused(bench, unchanged):
    big = jpeg()[:-2] + os.urandom(8_000_000) + b"\xff\xd9"  # 8 MB and a little more
    answer = bench.post("/_workbench/post", UPLOAD, {"photo": ("big.jpg", big)})
    assert answer.status == 422
    assert "<p>图片太大（8.1 MB，最多 8 MB）：请缩小或压缩后再上传</p>" in answer.text
    with socket.create_connection(("127.0.0.1", bench.port), timeout=10) as s:  # past 25 MB: not read at all
        head = f"POST /_workbench/post HTTP/1.1\r\nHost: {bench.host}\r\nCookie: workbench={bench.token}\r\n"
        head += f"Origin: {bench.origin}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        s.sendall((head + f"Content-Length: {26 * 1024 * 1024}\r\n\r\n--x\r\n").encode())
        assert s.recv(100).startswith(b"HTTP/1.1 400 ")
    with socket.create_connection(("127.0.0.1", bench.port), timeout=10) as s:  # refused at the door: 64 kB
        head = f"POST /_workbench/post HTTP/1.1\r\nHost: {bench.host}\r\nOrigin: {bench.origin}\r\n"
        s.sendall((head + "Content-Length: 5000000\r\n\r\n--x\r\n").encode())
        assert s.recv(100).startswith(b"HTTP/1.1 400 ")


def test_nothing_is_written_through_a_link(bench, unchanged):
    """A post's folder that is a link out of the content folder: nothing is written through it."""
    link = bench.content / "updates" / "bulletins"
    link.symlink_to(bench.outside, target_is_directory=True)
    try:
        fields = {**UPLOAD, "kind": "bulletin", "title": "通报"}
        answer = bench.post("/_workbench/post", fields, {"photo": ("a.jpg", jpeg())})
        assert answer.status == 422
        message = "不能保存到 updates/bulletins/2030-03-05-通报.md：updates/bulletins 是链接：工作台只写入内容文件夹里"
        assert message + "的普通文件夹和文件，请把它换成普通的文件夹或文件" in answer.text
        assert snapshot(bench.outside) == {}
    finally:
        link.unlink()


def test_a_photo_never_replaces_another_file_not_even_through_a_link(bench):
    """Where the server's name for a photo is taken by a link (to another post's photo), the next
    name is used: the file the link points at stays as it was."""
    news = bench.content / "updates" / "news"
    (news / "2030-03-06-链接-1.jpg").symlink_to("a-1.jpg")
    before = snapshot(bench.content)
    try:
        fields = {**UPLOAD, "date": "2030-03-06", "title": "链接"}
        answer = bench.post("/_workbench/post", fields, {"photo": ("a-1.jpg", jpeg((80, 60)))})
        assert answer.status == 303
        assert (news / "2030-03-06-链接-2.jpg").read_bytes() == jpeg((80, 60))
        assert "![公厕外观](2030-03-06-链接-2.jpg)" in (news / "2030-03-06-链接.md").read_text(encoding="utf-8")
        after = snapshot(bench.content)
        assert {rel: data for rel, data in after.items() if rel in before} == before
    finally:
        for name in ("2030-03-06-链接-1.jpg", "2030-03-06-链接-2.jpg", "2030-03-06-链接.md"):
            (news / name).unlink(missing_ok=True)


def test_a_post_saved_through_the_door_is_logged(bench):
    answer = bench.post("/_workbench/post", {**UPLOAD, "title": "记录"}, {"photo": ("p.jpg", jpeg())})
    assert answer.status == 303
    rel = "news/2030-03-05-记录.md"
    assert answer.headers["Location"] == f"/_workbench/post?path={quote(rel, safe='')}&saved=publish"
    page = bench.ask("GET", answer.headers["Location"], bench.cookie)
    assert "已发布：文章已写入内容文件夹" in page.text
    lines = bench.log.read_text(encoding="utf-8").splitlines()
    assert '"file": "' + f"{bench.content}/updates/news/2030-03-05-记录-1.jpg" + '"' in lines[-2]
    assert '"before": null' in lines[-1] and f"updates/{rel}" in lines[-1]
