"""Accountable like a government site (issue 16): the duties in every footer, the meta tags
outside checks read, 发布时间 and 信息来源 on every post, the public's 意见建议 channel, the
newest vote on a voted project's page, the deputies' short list, and what `check` hints.
Nothing is invented: a key not set shows nothing, except 主办单位, which is the publisher."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, run, write_tree

DUTIES = ("organizer", "site_code", "icp", "police_record")  # the four keys check hints about
BARE_YAML = "".join(line + "\n" for line in SITE_YAML.splitlines() if line.split(":")[0] not in DUTIES)
FULL_YAML = (
    BARE_YAML
    + """\
organizer: 测试区主办单位
operator: 测试区承办单位
contact:
  phone: 023-00000001
  email: office@example.gov.cn
  address: 测试区测试路1号
site_code: 5099990003
icp: 测ICP备00000003号
police_record: 测公网安备 50999900000003号
gov_badge: https://badge.example.org/check?id=3
report_errors: https://errors.example.org/?site=5099990003
feedback:
  hotline: "12345"
  email: views@example.gov.cn
  url: https://messages.example.org/board
  note: 7 个工作日内答复。
"""
)
POSTS = {
    "updates/reports/2030-03/2030-02.md": post(
        """
        title: 加装电梯3月推进情况
        date: 2030-03-18
        kind: report
        projects: [2030-02]
        source: 区住建委
        period: 2030-03
        submitted: 2030-03-18
        values: {lifts: 35}
        """
    ),
    "updates/news/no-source.md": post("title: 没写来源的新闻\ndate: 2030-03-20\nkind: news\nprojects: [2030-01]"),
    "updates/evaluations/older.md": post(
        """
        title: 加装电梯年中测评
        date: 2030-03-25
        kind: evaluation
        projects: [2030-02]
        votes: {satisfied: 10, basically_satisfied: 20, dissatisfied: 30, abstained: 0}
        """
    ),
    "updates/evaluations/newer.md": post(
        """
        title: 加装电梯年终测评
        date: 2030-03-30
        kind: evaluation
        projects: [2030-02]
        source: 区人大常委会
        votes: {satisfied: 41, basically_satisfied: 7, dissatisfied: 2, abstained: 1}
        """
    ),
}
# The contract's sections, by the addresses of their pages.
COLUMNS = {
    "projects/": "项目",
    "years/": "项目",
    "units/": "项目",
    "leaders/": "项目",
    "reports/": "月度报送",
    "deputies/": "人大监督",
    "updates/": "工作动态",
    "kinds/": "工作动态",
    "archive/": "工作动态",
    "about/": "关于",
}


def tree(root: Path, settings: str) -> Path:
    files = {"site.yaml": settings, "projects/2030.csv": PROJECTS_CSV, "projects/2030-indicators.csv": INDICATORS_CSV}
    return write_tree(root, {**files, **POSTS})


def build(root: Path, settings: str) -> Path:
    site = root / "site"
    code, out, err = run("build", "--content", str(tree(root / "content", settings)), "--out", str(site))
    assert code == 0, out + err
    return site


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("full"), FULL_YAML)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("bare"), BARE_YAML)


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


class Meta(HTMLParser):
    """The <meta name> tags of a page, (name, content) in order, content unescaped."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name") not in (None, "viewport", "description"):
            self.tags.append((a["name"], a.get("content") or ""))


def footer(text: str) -> str:
    return text[text.index('<footer class="site-footer">') : text.index("</footer>")]


# ---------------------------------------------------------------- the footer and the 关于 page


def test_every_footer_shows_the_duties_with_the_registers_linked(full: Path) -> None:
    lines = (
        "<span>主办单位：测试区主办单位</span>｜<span>承办单位：测试区承办单位</span>",
        '<span>联系电话：023-00000001</span>｜<span>电子邮箱：<a href="mailto:office@example.gov.cn">'
        "office@example.gov.cn</a></span>｜<span>联系地址：测试区测试路1号</span>",
        '<span>网站标识码：5099990003</span>｜<span>ICP备案号：<a href="https://beian.miit.gov.cn/">测ICP备00000003号</a>'
        '</span>｜<span>公安机关备案号：<a href="https://beian.mps.gov.cn/">测公网安备 50999900000003号</a></span>',
        '<a class="gov-badge" href="https://badge.example.org/check?id=3">党政机关网站标识</a>',
        '<a href="https://errors.example.org/?site=5099990003">我为政府网站找错</a>',
    )
    found = pages(full)
    assert len(found) > 20
    for rel, text in found.items():
        assert all(line in footer(text) for line in lines), rel
    home = found["index.html"]
    assert home.count('<a href="https://errors.example.org/?site=5099990003">我为政府网站找错</a>') == 2  # and in main


def test_a_key_not_set_shows_nothing_but_the_publisher_as_organizer(bare: Path) -> None:
    for rel, text in pages(bare).items():
        shown = footer(text)
        assert '<p class="duties"><span>主办单位：测试区人民政府办公室</span></p>' in shown, rel
        for absent in ("承办单位", "联系电话", "网站标识码", "备案", "党政机关网站标识", "找错", "example.org"):
            assert absent not in shown, (rel, absent)
        assert "找错" not in text and 'name="SiteIDCode"' not in text and 'class="feedback"' not in text, rel
    about = page(bare, "about")
    assert re.findall(r"<dt>([^<]+)</dt>", about[about.index('id="site-info"') :]) == ["主办单位"]


def test_the_about_page_lists_the_duties_and_the_channels(full: Path) -> None:
    about = page(full, "about")
    info = about[about.index('id="site-info"') :]
    assert re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", info) == [
        ("主办单位", "测试区主办单位"),
        ("承办单位", "测试区承办单位"),
        ("联系电话", "023-00000001"),
        ("电子邮箱", '<a href="mailto:office@example.gov.cn">office@example.gov.cn</a>'),
        ("联系地址", "测试区测试路1号"),
        ("网站标识码", "5099990003"),
        ("ICP备案号", '<a href="https://beian.miit.gov.cn/">测ICP备00000003号</a>'),
        ("公安机关备案号", '<a href="https://beian.mps.gov.cn/">测公网安备 50999900000003号</a>'),
        ("党政机关网站标识", '<a href="https://badge.example.org/check?id=3">核验本站标识</a>'),
        ("我为政府网站找错", '<a href="https://errors.example.org/?site=5099990003">报告本站的错误</a>'),
    ]
    assert mail_subject(about) == "意见建议：测试区民生实事"


# ---------------------------------------------------------------- meta tags, 发布时间 and 信息来源


def column(rel: str) -> str:
    return next((name for prefix, name in COLUMNS.items() if rel.startswith(prefix)), "首页")


def test_every_page_carries_the_site_meta_tags_and_its_column(full: Path) -> None:
    found = pages(full)
    for rel, text in found.items():
        tags = Meta(text).tags
        site = [("SiteName", "测试区民生实事"), ("SiteDomain", "example.gov.cn"), ("SiteIDCode", "5099990003")]
        assert tags[:4] == [*site, ("ColumnName", column(rel))], rel
    assert {column(rel) for rel in found} == {"首页", "项目", "月度报送", "人大监督", "工作动态", "关于"}
    assert Meta(found["units/区住建委/index.html"]).tags[3] == ("ColumnName", "项目")
    assert Meta(found["search/index.html"]).tags[3] == ("ColumnName", "首页")


@pytest.mark.parametrize(
    ("url", "title", "date", "source"),
    [
        ("updates/evaluations/newer", "加装电梯年终测评", "2030-03-30", "区人大常委会"),
        ("updates/news/no-source", "没写来源的新闻", "2030-03-20", "测试区人民政府办公室"),  # the publisher
    ],
)
def test_a_post_shows_its_date_and_source_and_says_them_in_meta(full, url, title, date, source) -> None:
    text = page(full, url)
    assert Meta(text).tags[4:] == [("ArticleTitle", title), ("PubDate", date), ("ContentSource", source)]
    day = "{}年{}月{}日".format(*(int(part) for part in date.split("-")))
    assert f'<p class="post-meta">发布时间：<time datetime="{date}">{day}</time>｜信息来源：{source}</p>' in text


def test_only_a_post_page_carries_the_article_tags(full: Path) -> None:
    for rel, text in pages(full).items():
        names = [name for name, _ in Meta(text).tags]
        assert ("ArticleTitle" in names) == (rel.startswith("updates/") and rel.count("/") > 2), rel


# ---------------------------------------------------------------- the public's channel


def mail_subject(text: str) -> str:
    (href,) = re.findall(r'href="(mailto:views@example\.gov\.cn\?[^"]+)"', text)
    return parse_qs(urlsplit(href).query)["subject"][0]


@pytest.mark.parametrize(("project", "name"), [("2030-01", "新建公厕"), ("2030-02", "老旧小区加装电梯")])
def test_every_project_page_has_a_feedback_box_naming_the_project(full, project, name) -> None:
    text = page(full, f"projects/{project}")
    box = text[text.index('<aside class="feedback"') : text.index("</aside>", text.index('<aside class="feedback"'))]
    assert '<li>热线电话：<a href="tel:12345">12345</a></li>' in box
    assert (
        '<li>网上留言：<a href="https://messages.example.org/board">https://messages.example.org/board</a></li>' in box
    )
    assert "<p>7 个工作日内答复。</p>" in box
    assert mail_subject(box) == f"意见建议：{project} {name}"
    assert re.search(r"subject=[A-Za-z0-9%.-]+\"", box), "the subject is percent-encoded"


def test_nothing_posts_anywhere(full: Path) -> None:
    for rel, text in pages(full).items():
        assert 'method="post"' not in text.lower() and "<form" not in text.replace('<form class="searchbox"', ""), rel


# ---------------------------------------------------------------- deputies


def test_a_voted_project_page_shows_its_newest_vote_near_the_top(full: Path) -> None:
    text = page(full, "projects/2030-02")
    vote = text.index('<h2 id="vote">人大代表满意度测评</h2>')
    assert text.index('<h2 id="now">') < vote < text.index('<h2 id="indicators">')
    assert "2030年3月30日测评结果：<strong>满意</strong>" in text
    cells = "".join(
        f'<td data-label="{label}">{n}</td>'
        for label, n in zip(("满意", "基本满意", "不满意", "弃权", "总票数"), (41, 7, 2, 1, 51), strict=True)
    )
    assert cells in text
    assert "年中测评" not in text[vote : text.index('<h2 id="indicators">')]
    assert 'id="vote"' not in page(full, "projects/2030-01")


def test_the_deputies_page_opens_with_a_short_list_linking_to_each_section(full: Path) -> None:
    for url in ("deputies", "deputies/2030"):
        text = page(full, url)
        short = text[text.index('<h2 id="list">') : text.index('<h2 id="summary">')]
        rows = re.findall(r"<tr>(.*?)</tr>", short, re.S)
        assert len(rows) == 2  # the header and the one voted project
        row = rows[1]
        assert '<td data-label="序号">2</td>' in row
        assert '<a href="#2030-02">老旧小区加装电梯</a>' in row
        assert '<span class="verdict verdict-on_schedule">按序时</span>' in row
        assert "29.2%" in row  # 35 of 120 lifts
        assert '<td data-label="满意度测评">满意</td>' in row  # the newest vote's result
        assert '<section class="deputy-project" aria-labelledby="d2030-02" id="2030-02">' in text
        assert text.index('<h2 id="list">') < text.index("<h1>") + 600, "the list opens the page"
        assert '<p class="print-tool">打印本页：请使用浏览器菜单中的“打印”（电脑上可按 Ctrl+P）。</p>' in text


def test_the_deputies_summary_counts_each_project_by_its_newest_vote(full: Path) -> None:
    text = page(full, "deputies")
    assert "<p>满意度测评：满意 1 项，基本满意 0 项，不满意 0 项。</p>" in text  # the older vote was 不满意


# ---------------------------------------------------------------- site.yaml's new keys, refused


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("site_code: 12345", "site.yaml:7:site_code: 网站标识码“12345”格式不对：10 位字母或数字，如 5001120001"),
        (
            "gov_badge: javascript:alert(1)",
            "site.yaml:7:gov_badge: 党政机关网站标识“javascript:alert(1)”格式不对：标识核验页面的网址，以 https:// 或 http:// 开头",
        ),
        (
            "report_errors: www.example.org",
            "site.yaml:7:report_errors: 我为政府网站找错“www.example.org”格式不对：找错入口的网址，以 https:// 或 http:// 开头",
        ),
        ("contact: 023-1234", "site.yaml:7:contact: 联系方式应写成“键: 值”的几行，可用的键有：phone、email、address"),
        (
            "contact:\n  phone: 1\n  fax: 2",
            "site.yaml:9:contact.fax: 联系方式中未知的设置项“fax”（可用的有：phone、email、address）",
        ),
        ("contact:\n  email: office", "site.yaml:8:contact.email: 电子邮箱“office”格式不对：如 office@example.gov.cn"),
        (
            "feedback:\n  hotline: 12345（24小时）",
            "site.yaml:8:feedback.hotline: 热线电话“12345（24小时）”格式不对：只写号码，如 12345 或 023-12345678",
        ),
        (
            "feedback:\n  note: 欢迎来信",
            "site.yaml:7:feedback: 意见建议至少要写热线电话（hotline）、电子邮箱（email）或网上留言网址（url）中的一项："
            "只有说明时，页面上没有可用的渠道",
        ),
    ],
    ids=[
        "site_code",
        "gov_badge",
        "report_errors",
        "contact-not-a-mapping",
        "contact-part",
        "email",
        "hotline",
        "no-channel",
    ],
)
def test_a_new_key_written_wrong_is_refused_where_it_is_written(content: Path, written: str, message: str) -> None:
    write_tree(content, {"site.yaml": BARE_YAML + written + "\n"})
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    assert err.splitlines()[:-1] == [f"{content}/{message}"]


# ---------------------------------------------------------------- check's hints


HINTS = [
    "content/site.yaml: 提示：没有填写主办单位（organizer）：页脚暂以发布单位作主办单位；请在 site.yaml 写明主办单位",
    "content/site.yaml: 提示：没有填写网站标识码（site_code）：政府网站须在页脚展示，请向本级政府网站主管单位查询 10 位标识码后填写",
    "content/site.yaml: 提示：没有填写 ICP 备案号（icp）：政府网站须在页脚展示，请照工信部备案系统（beian.miit.gov.cn）的备案号填写",
    "content/site.yaml: 提示：没有填写公安机关备案号（police_record）：政府网站须在页脚展示，"
    "请照全国互联网安全管理服务平台（beian.mps.gov.cn）的备案号填写",
]


def check(content: Path) -> tuple[int, list[str], list[str]]:
    code, out, err = run("check", "--content", "content", cwd=content.parent)
    return code, out.splitlines(), err.splitlines()


def test_check_hints_at_each_missing_duty_and_still_passes(tmp_path: Path) -> None:
    content = tree(tmp_path / "content", BARE_YAML)
    assert check(content) == (0, ["内容无误：3 个项目，4 篇动态；另有 4 条提示（见上），不影响生成"], HINTS)
    write_tree(content, {"site.yaml": BARE_YAML + "organizer: 测试区主办单位\nicp: 测ICP备00000003号\n"})
    assert check(content)[2] == [HINTS[1], HINTS[3]]


def test_check_gives_no_hint_for_a_demo_or_a_complete_site(tmp_path: Path) -> None:
    content = tree(tmp_path / "content", BARE_YAML + "demo: true\n")
    assert check(content) == (0, ["内容无误：3 个项目，4 篇动态"], [])
    write_tree(content, {"site.yaml": FULL_YAML})
    assert check(content) == (0, ["内容无误：3 个项目，4 篇动态"], [])


@pytest.mark.parametrize(
    ("as_of", "behind"), [("2030-03-31", 0), ("2030-05-31", 2), ("2030-06-01", 3), ("2030-12-31", 9)]
)
def test_check_hints_at_a_stale_column(tmp_path: Path, as_of: str, behind: int) -> None:
    content = tree(tmp_path / "content", FULL_YAML + f"as_of: {as_of}\n")
    hint = (
        f"content/site.yaml: 提示：2030年最新的月度推进情况截至2030年3月底，比数据截至日期 {as_of} 早 {behind} 个月："
        "栏目超过两个月不更新，在政府网站检查中不合格；请补上最近月份的推进情况，或核对 site.yaml 的 as_of"
    )
    code, _, err = check(content)
    assert (code, err) == (0, [hint] if behind > 2 else [])
