"""Fuzzing in bounded time: whatever a post, a filled form or a request path holds, the portal
answers with success or located messages, never a traceback, a hang or a file written where it
should not be. Each example runs under an alarm, so a hang fails the test instead of CI.

The loaders' tables and front matter are fuzzed in test_property.py; here, bodies built from
what makes Python-Markdown slow, forms (a valid workbook with bytes changed, any CSV), and the
preview's paths and requests.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, run, write_tree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_limits import within

from portal.preview.serve import PreviewApp
from portal.preview.serve_http import Door

LOCATED = re.compile(r"^\S[^\n]*?(:\d+)?(:[^:\n]+)?: [^\n]+$")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def fresh() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp()) / "content"
    write_tree(
        root,
        {"site.yaml": SITE_YAML, "projects/2030.csv": PROJECTS_CSV, "projects/2030-indicators.csv": INDICATORS_CSV},
    )
    try:
        yield root
    finally:
        shutil.rmtree(root.parent)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def answered(code: int, err: str) -> None:
    """Success, or every line of the error output located (or a usage line), never a traceback."""
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 1:
        *problems, summary = err.splitlines()
        assert summary.startswith("共 "), err
        for line in problems:
            assert LOCATED.match(line), line


# ---------------------------------------------------------------- post bodies

pieces = st.sampled_from(
    ["[", "]", "(", ")", "![", "](", "<", ">", "<a ", "`", "``", "*", "_", "- ", "> ", "1. ", "#", "\n", "\n\n"]
    + ["    ", "|", "&", "&#", "\\", "http://x", "文字", "![图](a.jpg)", "[^1]", "---", "==="]
)


@FUZZ
@given(st.lists(pieces, max_size=400).map("".join), st.integers(min_value=1, max_value=40))
@example("[", 50_000)  # Python-Markdown's link parsing is quadratic: this never finished
@example("- ", 10_000)  # one line of nested lists: RecursionError
def test_any_body_is_checked_in_bounded_time(body: str, repeat: int) -> None:
    with fresh() as root:
        text = f"---\ntitle: 标题\ndate: 2030-03-01\nkind: news\n---\n{body * repeat}\n"
        write_tree(root, {"updates/p.md": text})
        with within(30):
            code, _, err = run("check", "--content", str(root))
        answered(code, err)


# ---------------------------------------------------------------- forms


def valid_form(path: Path) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件2"
    sheet.append(["2030年重点民生实事工作目标任务推进落实情况表"])
    sheet.append(["序号", "项目名称", "目标任务", "推进情况（截至6月底）", "本月值", "指标编号"])
    sheet.append([1, "新建公厕", "", "已建成3座。", 3, "toilets"])
    sheet.append([2, "老旧小区加装电梯", "", "已加装30台。", 30, "lifts"])
    book.save(path)
    return path.read_bytes()


def import_form(root: Path, form: Path) -> tuple[int, str]:
    before = snapshot(root)
    with within(60):
        code, _, err = run("form", "import", str(form), "--content", str(root), "--submitted", "2030-06-20")
    after = snapshot(root)
    written = {name for name in after if after[name] != before.get(name)}
    assert all(name.startswith("updates/reports/2030-06/") for name in written), written
    assert code == 0 or not written, "a refused import wrote files"
    return code, err


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=12))
def test_a_damaged_workbook_is_answered_never_a_traceback(changes: list[tuple[int, int]]) -> None:
    with fresh() as root:
        form = root.parent / "form.xlsx"
        data = bytearray(valid_form(form))
        for position, value in changes:
            data[position % len(data)] = value
        form.write_bytes(bytes(data))
        answered(*import_form(root, form))


cells = st.text(max_size=20) | st.sampled_from(["1", "2", "新建公厕", "老旧小区加装电梯", "-3", "1e400", "9" * 5000])


@FUZZ
@given(st.lists(st.lists(cells, max_size=7), max_size=8), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
@example([["9" * 5000, "新建公厕", "", "进展。"]], "utf-8")  # past Python's int() digit limit
def test_any_csv_form_is_answered_never_a_traceback(rows: list[list[str]], encoding: str) -> None:
    with fresh() as root:
        form = root.parent / "form.csv"
        lines = ["序号,项目名称,目标任务,推进情况（截至6月底）"] + [
            ",".join(c.replace(",", "，") for c in r) for r in rows
        ]
        form.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
        answered(*import_form(root, form))


# ---------------------------------------------------------------- the preview's paths


@contextlib.contextmanager
def served() -> Iterator[tuple[PreviewApp, Path]]:
    root = Path(tempfile.mkdtemp())
    site = root / "site"
    write_tree(
        site,
        {"index.html": "<!doctype html><title>首页</title>", "404.html": "<!doctype html>404", "新闻/index.html": "x"},
    )
    (root / "secret.txt").write_text("secret", encoding="utf-8")
    try:
        yield PreviewApp(site), root
    finally:
        shutil.rmtree(root)


paths = st.lists(
    st.sampled_from(["/", "//", "\\", "..", ".", "%2F", "%2e%2e", "%5C", "%00", "%ff", "新闻", "a", "secret.txt"])
    | st.text(max_size=10),
    max_size=30,
).map("".join)


@FUZZ
@given(paths)
def test_any_path_is_a_page_a_redirect_on_this_server_or_not_found(path: str) -> None:
    with served() as (app, root):
        seen: dict = {}

        def start_response(status, headers):
            seen["status"], seen["headers"] = status, dict(headers)

        raw = path.encode("utf-8", errors="surrogatepass").decode("latin-1")
        with within(10):
            body = b"".join(app({"PATH_INFO": raw, "REQUEST_METHOD": "GET"}, start_response))
        assert seen["status"][:3] in {"200", "301", "404", "414"}, seen["status"]
        assert b"secret" not in body
        location = seen["headers"].get("Location")
        if location is not None:
            assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@FUZZ
@given(st.text(max_size=40), st.sampled_from(["GET", "HEAD", "POST", "PUT", "OPTIONS", "get"]), paths)
def test_the_door_answers_only_its_own_address(host: str, method: str, target: str) -> None:
    door = Door.at("127.0.0.1", 8000)
    refusal = door.refusal(method, target, {"Host": host})
    if host.lower() not in {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}:
        assert refusal is not None and refusal.status == 403
    elif method not in ("GET", "HEAD"):
        assert refusal is not None and refusal.status in (405, 414)
