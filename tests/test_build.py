"""Build safety: a failed build changes nothing, the output folder is guarded, links honour
base_url, builds are reproducible, drafts stay unpublished, and no script from content runs."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, beside, post, run, write_tree

from portal.render import environment as render
from portal.write import staging

GOLDEN = ROOT / "tests" / "golden" / "content"


def digest(folder: Path) -> dict[str, str]:
    """Every file under a folder, by relative path, with a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(content: Path, out: Path) -> None:
    code, _, err = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, err


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def copy_of(source: Path, tmp_path: Path, **site: str) -> Path:
    """A copy of a content tree, with some site.yaml keys replaced."""
    content = tmp_path / "content"
    shutil.copytree(source, content)
    text = (content / "site.yaml").read_text(encoding="utf-8")
    for key, value in site.items():
        text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
    (content / "site.yaml").write_text(text, encoding="utf-8")
    return content


# ---------------------------------------------------------------- a failed build changes nothing


def test_content_error_leaves_the_previous_site_byte_for_byte(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    before = digest(site)
    write_tree(content, {"updates/a.md": post("title: 新闻\ndate: 2030-02-30\nkind: news")})
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 1
    assert "未生成任何文件" in err
    assert digest(site) == before
    assert beside(tmp_path) == ["content", "site"]


def test_exception_while_rendering_leaves_the_previous_site(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build(content, site)
    before = digest(site)
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV.replace("新建公厕,", "改名的公厕,")})
    original = render.render_pages
    written = []

    def failing(*args):
        for n, page in enumerate(original(*args)):
            if n == 5:
                raise RuntimeError("injected failure while rendering")
            written.append(page[0])
            yield page

    monkeypatch.setattr(render, "render_pages", failing)
    with pytest.raises(RuntimeError, match="injected"):
        run("build", "--content", str(content), "--out", str(site))
    assert len(written) >= 5  # some pages had been staged before the failure
    assert digest(site) == before
    assert beside(tmp_path) == ["content", "site"]  # no staging folder left
    monkeypatch.undo()
    build(content, site)
    assert "改名的公厕" in (site / "projects/2030-01/index.html").read_text(encoding="utf-8")


def test_pages_of_removed_content_disappear(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(
        content,
        {
            "projects/2031.csv": "id,seq,name,target,leaders,units,level,voted\n2031-01,1,新年项目,目标。,赵六,区新设局,区级,false\n",
            "updates/news/gone.md": post("title: 将被删除的新闻\ndate: 2030-03-01\nkind: news\nprojects: [2030-01]"),
        },
    )
    build(content, site)
    for rel in ("projects/2031-01/index.html", "updates/news/gone/index.html", "units/区新设局/index.html"):
        assert (site / rel).is_file(), rel
    (content / "projects/2031.csv").unlink()
    (content / "updates/news/gone.md").unlink()
    build(content, site)
    built = digest(site)
    for rel in ("projects/2031-01/index.html", "updates/news/gone/index.html", "units/区新设局/index.html"):
        assert rel not in built
    assert not (site / "years/2031").exists()
    for rel, text in pages(site).items():
        assert "将被删除的新闻" not in text and "新年项目" not in text, rel
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "2031-01" not in sitemap and "gone" not in sitemap


# ---------------------------------------------------------------- the output folder is guarded


@pytest.fixture
def no_staging(monkeypatch: pytest.MonkeyPatch) -> None:
    """A safety net for the refusal tests: fail loudly if a build ever gets as far as writing."""

    def refuse(out):
        raise AssertionError(f"the build was about to write to {out}")

    monkeypatch.setattr(staging, "Stage", refuse)


@pytest.mark.parametrize("place", ["repository", "content", "parent of content", "root", "home", "foreign folder"])
def test_output_folder_refused(
    place: str, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_staging: None
) -> None:
    home = write_tree(tmp_path / "home", {"notes.txt": "mine"})
    monkeypatch.setenv("HOME", str(home))
    foreign = write_tree(tmp_path / "docs", {"report.docx": b"not a site"})
    out = {
        "repository": ROOT,
        "content": content,
        "parent of content": content.parent,
        "root": Path("/"),
        "home": home,
        "foreign folder": foreign,
    }[place]
    watched = content if place in ("repository", "root") else out  # the repository changes under other work
    before = digest(watched)
    code, _, err = run("build", "--content", str(content), "--out", str(out))
    assert code == 2, err
    if place == "foreign folder":
        assert err == (
            f"build.py: {out} 不是空文件夹，也不是本工具生成的网站（没有 .portal-site）：为免误删，拒绝覆盖\n"
        )
    else:
        assert err.startswith(f"build.py: 拒绝把网站写到 {out}：它是（或包含）")
    assert digest(watched) == before


def test_output_folder_accepted_when_empty_or_built_before(content: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(content, empty)
    assert (empty / ".portal-site").is_file()
    build(content, empty)  # now it carries the marker


# ---------------------------------------------------------------- links honour base_url


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text of its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.titles: list[str] = []
        self._svg = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "svg":
            self._svg += 1
        if tag == "title" and not self._svg:
            self._in_title = True
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def parse(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    tags.close()
    return tags


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "cite", "background"}


def urls(tags: Tags) -> list[tuple[str, str, str]]:
    """(tag, attribute, address) for every address a page names, srcset entries included."""
    found = []
    for tag, attrs in tags.tags:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES:
                found.append((tag, name, value.strip()))
            elif name in {"srcset", "imagesrcset"}:
                found += [(tag, name, part.split()[0]) for part in value.split(",") if part.strip()]
    return found


def target_file(site: Path, base: str, address: str) -> Path:
    path = unquote(urlsplit(address).path)[len(base) :]
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


@pytest.mark.parametrize("source", ["golden", "notice"])
def test_every_link_honours_base_url_and_resolves(source: str, tmp_path: Path) -> None:
    content = copy_of(GOLDEN if source == "golden" else ROOT / "content", tmp_path, base_url="/minsheng/")
    site = tmp_path / "site"
    build(content, site)
    ours = "https://example.gov.cn/minsheng/" if source == "golden" else "https://www.ybq.gov.cn/minsheng/"
    checked = 0
    for rel, text in pages(site).items():
        for tag, attr, address in urls(parse(text)):
            scheme = urlsplit(address).scheme
            if address.startswith("#") or scheme in {"mailto", "tel"}:
                continue
            if scheme or address.startswith("//"):
                # Nothing is loaded from another host; links out are <a> only.
                assert tag == "a" or address.startswith(ours), f"{rel}: <{tag} {attr}={address!r}>"
                if not address.startswith(ours):
                    continue
                address = address[len(ours) - len("/minsheng/") :]
            assert address.startswith("/minsheng/"), f"{rel}: <{tag} {attr}={address!r}> ignores base_url"
            assert target_file(site, "/minsheng/", address).is_file(), f"{rel}: <{tag} {attr}={address!r}> is broken"
            checked += 1
    assert checked > 100
    for feed in ("feed.xml", "sitemap.xml"):
        text = (site / feed).read_text(encoding="utf-8")
        addresses = re.findall(r'(?:href="|<loc>|<id>)([^"<]+)', text)
        assert addresses and all(a.startswith(ours) for a in addresses), feed


# ---------------------------------------------------------------- reproducible


def build_in_subprocess(out: Path, **env: str) -> dict[str, str]:
    environment = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "build.py", "build", "--content", "tests/golden/content", "--out", str(out)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return digest(out)


def test_two_builds_are_byte_identical_whatever_the_time_zone_and_hash_seed(tmp_path: Path) -> None:
    first = build_in_subprocess(tmp_path / "a", TZ="UTC", PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    second = build_in_subprocess(tmp_path / "b", TZ="Pacific/Kiritimati", PYTHONHASHSEED="4242", LC_ALL="C")
    assert first.keys() == second.keys()
    assert [rel for rel in first if first[rel] != second[rel]] == []
    assert any(rel.startswith("pagefind/") for rel in first)


# ---------------------------------------------------------------- drafts


def test_drafts_are_never_published(content: Path, tmp_path: Path) -> None:
    front = "title: 草稿里的秘密标题\ndate: 2030-03-01\nkind: news\nprojects: [2030-01]\ndraft: true"
    write_tree(
        content,
        {
            "updates/news/secret-draft.md": post(front, "草稿正文里的秘密。"),
            "updates/news/public.md": post("title: 公开新闻\ndate: 2030-03-02\nkind: news\nprojects: [2030-01]"),
        },
    )
    site = tmp_path / "site"
    build(content, site)
    assert not (site / "updates/news/secret-draft").exists()
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert "秘密".encode() not in data and b"secret-draft" not in data, path
    assert "公开新闻" in (site / "projects/2030-01/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- no script from content


SCRIPT = "<script>alert(1)</script>"
HOSTILE_BODY = """\
正文<script>alert(2)</script>

[点击](javascript:alert(3)) [大写](JaVaScRiPt:alert(4)) [实体](&#106;avascript:alert(5))
[空白]( javascript:alert(6)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)

<img src=x onerror="alert(8)"> <svg onload=alert(9)><script>alert(10)</script></svg>
<a href="javascript:alert(11)" onclick="alert(12)">链接</a> <p onmouseover='alert(13)'>段落</p>
<iframe src="javascript:alert(14)"></iframe> <object data="javascript:alert(15)"></object>
<div style="background:url(javascript:alert(16))">样式</div> <base href="https://evil.example/">
<form action="javascript:alert(17)"><button formaction="javascript:alert(18)">提交</button></form>
</title></textarea></style><script>alert(19)</script>
<!-- <script>alert(20)</script> -->
[vb](vbscript:msgbox(22)) [制表](java&#9;script:alert(23)) [百分号](java%73cript:alert(24))  行分隔符
"""


def hostile_tree(root: Path) -> Path:
    bad = f"</title>{SCRIPT}<img src=x onerror=alert(21)>"
    projects = (
        "id,seq,name,target,leaders,units,level,voted,category\n"
        f'2030-01,1,"公厕{bad}","目标{bad}\'""",王一,区城管局,区级,true,城市建设\n'
    )
    indicators = (
        "project,id,name,target,unit,measure,direction\n"
        f'2030-01,toilets,"公厕{bad}",10,"座<b onclick=alert(22)>",cumulative,at_least\n'
    )
    site = SITE_YAML.replace("title: 测试区民生实事", f"title: '民生{bad}'").replace(
        "publisher: 测试区人民政府办公室", "publisher: '办公室\" onmouseover=\"alert(23)'"
    )
    site += "description: '简介</textarea><script>alert(24)</script>'\n"
    quoted = bad.replace("'", "''")
    return write_tree(
        root,
        {
            "site.yaml": site,
            "projects/2030.csv": projects,
            "projects/2030-indicators.csv": indicators,
            "updates/news/a.md": post(
                f"title: '{quoted}'\ndate: 2030-03-01\nkind: news\nprojects: [2030-01]\n"
                f"source: '{quoted}'\nsummary: '{quoted}'\ndocument_number: '{quoted}'",
                HOSTILE_BODY,
            ),
            "updates/reports/2030-03/2030-01.md": post(
                f"title: '{quoted}'\ndate: 2030-03-20\nkind: report\nprojects: [2030-01]\n"
                "period: 2030-03\nsubmitted: 2030-03-20\nstatus: on_track\nvalues:\n  toilets: 3",
                HOSTILE_BODY,
            ),
            "updates/evaluations/e.md": post(
                f"title: '{quoted}'\ndate: 2030-12-20\nkind: evaluation\nprojects: [2030-01]\n"
                "votes:\n  satisfied: 3\n  basically_satisfied: 1\n  dissatisfied: 0",
                HOSTILE_BODY,
            ),
        },
    )


DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def assert_inert(where: str, text: str, base: str) -> None:
    """No element, attribute or address in a page can run script that content brought in."""
    tags = parse(text)
    for tag, attrs in tags.tags:
        assert tag not in FORBIDDEN_TAGS, f"{where}: <{tag}>"
        if tag == "script":
            src = attrs.get("src", "")
            assert src.startswith((base + "static/", base + "pagefind/")) or attrs.get("type") in {
                "application/json",
                "application/ld+json",
            }, f"{where}: <script {attrs}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value))
            assert not DANGEROUS_SCHEME.match(cleaned), f"{where}: <{tag} {name}={value!r}>"
            if name == "style":
                assert "javascript" not in cleaned.lower() and "expression(" not in cleaned.lower(), where
    raw = text.lower()
    assert "<script>alert" not in raw and "javascript:alert" not in raw, where


@pytest.mark.parametrize(
    "page",
    [
        "<title>t</title><script>alert(1)</script>",
        '<title>t</title><script src="https://evil.example/x.js"></script>',
        '<title>t</title><a href="java\tscript:alert(1)">x</a>',
        '<title>t</title><a href="&#106;avascript:alert(1)">x</a>',
        '<title>t</title><img src="x" onerror="alert(1)">',
        '<title>t</title><div style="background:url(javascript:alert(1))"></div>',
        '<title>t</title><iframe src="/x"></iframe>',
    ],
)
def test_the_inertness_check_catches_each_form(page: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert("page", page, "/")


def test_no_script_from_content_reaches_any_page(tmp_path: Path) -> None:
    content = hostile_tree(tmp_path / "content")
    site = tmp_path / "site"
    build(content, site)
    built = pages(site)
    assert len(built) > 20
    for rel, text in built.items():
        assert_inert(rel, text, "/")
        titles = parse(text).titles
        assert len(titles) == 1, f"{rel}: {len(titles)} <title> elements"
    # The hostile text is shown as text, not dropped: a reader sees what was written.
    project = parse(built["projects/2030-01/index.html"])
    assert project.titles[0].startswith(f"公厕</title>{SCRIPT}")
    assert f"公厕</title>{SCRIPT}" in html.unescape(built["projects/2030-01/index.html"])
    # The Atom feed carries post bodies as escaped HTML: once unescaped, they are just as inert.
    feed = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    bodies = [c.text or "" for c in feed.iterfind("a:entry/a:content", ns)]
    assert len(bodies) == 3
    for body in bodies:
        assert_inert("feed.xml", body, "/")
    for path in site.rglob("*.xml"):
        assert "<script" not in path.read_text(encoding="utf-8").lower(), path


@pytest.mark.parametrize("column", ["units", "leaders", "category"])
def test_names_that_become_addresses_refuse_markup(column: str, content: Path) -> None:
    row = {"units": "区城管局", "leaders": "王一", "category": "城市建设"}
    row[column] = "<script>alert(1)</script>"
    line = f"2030-01,1,新建公厕,新建公厕10座。,{row['leaders']},{row['units']},区级,false,{row['category']}\n"
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV.replace(PROJECTS_CSV.splitlines()[1] + "\n", line)})
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    assert err.splitlines() == [
        f"{content}/projects/2030.csv:2:{column}: “<script>alert(1)</script>”不能用作网址：含有路径字符（/ \\ % 或 ..）",
        "共 1 个问题，未生成任何文件。(1 problem(s))",
    ]


# ---------------------------------------------------------------- another district, another year


def test_another_district_and_year_builds_without_a_trace_of_the_default(tmp_path: Path) -> None:
    content = write_tree(
        tmp_path / "elsewhere",
        {
            "site.yaml": SITE_YAML.replace("测试区", "江川县"),
            "projects/2031.csv": PROJECTS_CSV.replace("2030-", "2031-"),
            "projects/2031-indicators.csv": INDICATORS_CSV.replace("2030-", "2031-"),
            "updates/reports/2031-04/2031-02.md": post(
                "title: 加装电梯推进情况\ndate: 2031-04-20\nkind: report\nprojects: [2031-02]\n"
                "period: 2031-04\nsubmitted: 2031-04-20\nstatus: on_track\nvalues:\n  lifts: 40"
            ),
        },
    )
    site = tmp_path / "site"
    build(content, site)
    assert (site / "projects/2031-02/index.html").is_file() and (site / "years/2031/index.html").is_file()
    assert "江川县民生实事" in (site / "index.html").read_text(encoding="utf-8")
    for path in sorted(site.rglob("*")):
        if path.is_file() and not path.relative_to(site).as_posix().startswith(("static/", "pagefind/")):
            text = path.read_bytes().decode("utf-8", "replace")
            for word in ("渝北", "Yubei", "yubei", "2020"):
                assert word not in text, f"{path.relative_to(site)} contains {word}"
