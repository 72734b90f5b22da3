"""A scaled, deterministic corpus in our content format, and the same posts for Hugo and Pelican.

A size of N posts is ``years`` × 25 projects × 12 monthly reports, plus other posts (news,
inspections, bulletins, notices) to make up N: 1k = 3 years + 100, 4k = 12 years + 400,
16k = 48 years + 1,600, 50k = 75 years of 50 projects + 5,000 (the portal takes years
2000–2099 only: past a century of years, each year has the 25 projects twice, the second
batch named 二期). Every number comes from a fixed seed (no clock), so the same size always
gives the same files.

    python bench/corpus.py 4k bench/out/4k      # writes content/, hugo/ and pelican/ there
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SEED = 20200602
FIRST_YEAR = 2001
PROJECTS_A_YEAR = 25
BATCHES = ("一期", "二期", "三期", "四期", "五期", "六期")
YEARS_AT_MOST = 99  # 2001–2099: the portal refuses years past 2099 (records.check_year)
DUE_DAY = 25
SIZES = {"1k": 1_000, "4k": 4_000, "16k": 16_000, "50k": 50_000}

SITE_YAML = """\
title: 基准测试区重点民生实事进展公开
publisher: 基准测试区人民政府办公室
site_url: https://bench.example.gov.cn
base_url: /
language: zh-CN
report_due_day: 25
demo: true
"""


@dataclass(frozen=True)
class IndicatorKind:
    name: str
    unit: str
    measure: str  # cumulative | level
    direction: str  # at_least | at_most
    low: int
    high: int
    decimals: int = 0


INDICATORS = {
    "toilets": IndicatorKind("新建公厕", "座", "cumulative", "at_least", 10, 60),
    "lifts": IndicatorKind("老旧住宅加装电梯", "台", "cumulative", "at_least", 50, 300),
    "estates": IndicatorKind("改造老旧小区", "个", "cumulative", "at_least", 5, 40),
    "parking": IndicatorKind("新增公共停车位", "个", "cumulative", "at_least", 500, 3000),
    "training": IndicatorKind("开展职业技能培训", "人次", "cumulative", "at_least", 1000, 8000),
    "roads": IndicatorKind("新建改建农村公路", "公里", "cumulative", "at_least", 20, 120, 1),
    "investment": IndicatorKind("完成投资", "万元", "cumulative", "at_least", 1000, 50000),
    "canteens": IndicatorKind("新建社区食堂", "个", "cumulative", "at_least", 5, 30),
    "beds": IndicatorKind("新增养老床位", "张", "cumulative", "at_least", 100, 800),
    "checkups": IndicatorKind("免费健康体检", "人次", "cumulative", "at_least", 5000, 40000),
    "coverage": IndicatorKind("服务覆盖率", "%", "level", "at_least", 80, 95),
    "enrolment": IndicatorKind("学前三年毛入园率", "%", "level", "at_least", 88, 92),
    "water": IndicatorKind("农村自来水普及率", "%", "level", "at_least", 85, 90),
    "zero-jobless": IndicatorKind("零就业家庭", "户", "level", "at_most", 0, 0),
}

# name, category, lead units, indicators (1–3 each): one of each every year.
PROJECTS = (
    ("发展普惠性学前教育", "教育", ("区教委",), ("enrolment", "coverage")),
    ("推进中小学课后服务", "教育", ("区教委",), ("coverage",)),
    ("新建改扩建中小学校", "教育", ("区教委", "区住建委"), ("investment",)),
    ("建设社区卫生服务中心", "医疗卫生", ("区卫生健康委",), ("investment", "coverage")),
    ("开展老年人免费健康体检", "医疗卫生", ("区卫生健康委",), ("checkups",)),
    ("推进社区养老服务全覆盖", "养老", ("区民政局",), ("beds", "canteens", "coverage")),
    ("开展老年助餐服务", "养老", ("区民政局", "区商务委"), ("canteens",)),
    ("老旧住宅增设电梯", "住房", ("区住建委",), ("lifts",)),
    ("实施老旧小区改造", "住房", ("区住建委", "区城管局"), ("estates", "investment")),
    ("加快安置房建设", "住房", ("区住建委",), ("investment",)),
    ("推进公共停车场建设", "交通", ("区交通局", "区城管局"), ("parking",)),
    ("治理城区交通拥堵", "交通", ("区交通局", "区公安分局"), ("roads", "investment")),
    ("实施四好农村路建设", "交通", ("区交通局",), ("roads",)),
    ("开展重点群体就业创业帮扶", "就业", ("区人力社保局",), ("training", "zero-jobless")),
    ("开展职业技能提升行动", "就业", ("区人力社保局",), ("training",)),
    ("开展厕所革命", "农村", ("区城管局", "区农业农村委"), ("toilets", "coverage")),
    ("实施农村饮水安全提升工程", "农村", ("区水利局",), ("water", "investment")),
    ("推进农村人居环境整治", "农村", ("区农业农村委",), ("toilets", "investment", "coverage")),
    ("建设社区体育文化公园", "文化", ("区文化旅游委", "区体育局"), ("investment",)),
    ("实施农村广播村村响工程", "文化", ("区文化旅游委",), ("coverage",)),
    ("建设城市书房", "文化", ("区文化旅游委",), ("investment", "coverage")),
    ("推进残疾人康复服务", "社会保障", ("区残联",), ("checkups", "coverage")),
    ("实施困难群众救助", "社会保障", ("区民政局",), ("zero-jobless", "coverage")),
    ("建设智慧社区", "城市建设", ("区大数据局", "区住建委"), ("estates",)),
    ("开展城市环境品质提升", "城市建设", ("区城管局",), ("investment", "toilets")),
)
LEVELS = ("市级", "区级", "市（区）级")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = "广成全明华建国志强文军平红玉兰海波丽娟敏静霞伟芳杰涛"

SENTENCES = (
    "各责任单位按照“清单化、项目化、责任化”的要求，倒排工期、挂图作战，确保各项任务按时完成。",
    "区发展改革委会同相关部门开展现场调度，逐项核实工程进度和资金拨付情况。",
    "项目实施过程中，牵头单位坚持问需于民，多次召开居民议事会听取群众意见。",
    "针对施工中遇到的管线迁改、用地协调等问题，区级部门建立了“绿色通道”，实行并联审批。",
    "本月共完成投资计划的阶段性目标，施工现场安全文明施工措施落实到位。",
    "街道和社区工作人员入户宣传政策，群众知晓率和参与度明显提高。",
    "下一步将加强质量监管，组织第三方机构开展抽查，确保工程经得起检验。",
    "资金方面，区财政按进度拨付专项资金，未发生挤占挪用情况。",
    "部分点位受雨季影响施工进度有所放缓，牵头单位已制定赶工方案。",
    "项目建成后将惠及周边数万名居民，进一步提升群众的获得感、幸福感、安全感。",
    "区人大代表深入项目现场视察，对推进情况给予肯定，并提出改进意见。",
    "为方便群众监督，项目进展情况已在社区公示栏和政务网站同步公开。",
    "牵头单位建立周调度、月通报机制，对滞后点位实行挂牌督办。",
    "在推进过程中注重与城市更新、乡村振兴等工作统筹结合，避免重复建设。",
    "已完成项目的运行维护责任落实到具体单位和人员，做到建管并重。",
)
LIST_ITEMS = (
    "完成方案设计和招标采购",
    "开工建设点位全部落实施工单位",
    "组织开展现场质量安全检查",
    "召开居民代表座谈会征求意见",
    "完成阶段性验收并整改发现的问题",
    "向社会公开项目进展和资金使用情况",
    "建立长效运行管护机制",
    "对接相关部门协调解决用地问题",
)
NEWS_KINDS = (
    ("news", "news", 70),
    ("inspection", "inspections", 15),
    ("bulletin", "bulletins", 10),
    ("notice", "notices", 5),
)
NEWS_TITLES = {
    "news": ("{name}取得新进展", "记者走访{name}现场", "{name}让居民受益", "{name}项目加紧推进"),
    "inspection": ("关于{name}的督查抽查情况", "{name}现场抽查发现的问题及整改"),
    "bulletin": ("关于{year}年重点民生实事推进情况的通报", "{year}年民生实事阶段性推进情况通报"),
    "notice": ("关于做好{year}年重点民生实事信息报送的通知", "关于开展{year}年民生实事满意度测评的通知"),
}


@dataclass(frozen=True)
class Project:
    id: str
    year: int
    seq: int
    name: str
    target: str
    leaders: tuple[str, ...]
    units: tuple[str, ...]
    level: str
    voted: bool
    category: str


@dataclass(frozen=True)
class Indicator:
    project: str
    id: str
    name: str
    target: Decimal
    unit: str
    measure: str
    direction: str


@dataclass(frozen=True)
class Post:
    """One post, whatever the generator: ``slug`` is its path under updates/ without .md."""

    slug: str
    title: str
    date: dt.date
    kind: str
    projects: tuple[str, ...]
    source: str
    body: str
    period: str = ""
    submitted: dt.date | None = None
    status: str = ""
    values: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Corpus:
    years: tuple[int, ...]
    projects: tuple[Project, ...]
    indicators: tuple[Indicator, ...]
    posts: tuple[Post, ...]


def parse_size(text: str) -> int:
    """'4k' → 4000, '1500' → 1500."""
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def make(size: int) -> Corpus:
    """``size`` posts: whole years of 25 projects × 12 reports, the rest other posts."""
    rng = random.Random(SEED)
    wanted = max(1, size * 9 // 10 // (PROJECTS_A_YEAR * 12))  # years of 25 projects
    batches = -(-wanted // YEARS_AT_MOST)  # the 25 projects once a year, or more past a century
    years = tuple(range(FIRST_YEAR, FIRST_YEAR + -(-wanted // batches)))
    others = max(0, size - len(years) * batches * PROJECTS_A_YEAR * 12)
    projects, indicators, posts = [], [], []
    for year in years:
        mine, targets = _projects(year, rng, batches)
        projects += mine
        indicators += targets
        posts += _reports(mine, targets, rng)
    posts += _other_posts(others, years, projects, rng)
    return Corpus(years, tuple(projects), tuple(indicators), tuple(posts))


def _leaders(year: int) -> tuple[str, ...]:
    """Eight lead officials a five-year term, the same names coming back across terms."""
    term = random.Random(f"{SEED}-{(year - FIRST_YEAR) // 5}")
    return tuple(term.choice(SURNAMES) + term.choice(GIVEN) + term.choice(GIVEN) for _ in range(8))


def _projects(year: int, rng: random.Random, batches: int = 1) -> tuple[list[Project], list[Indicator]]:
    leaders = _leaders(year)
    voted = set(rng.sample(range(PROJECTS_A_YEAR * batches), 10))
    projects, indicators = [], []
    kinds_of_project = [
        (f"{name}（{BATCHES[batch]}）" if batch else name, category, units, kinds)
        for batch in range(batches)
        for name, category, units, kinds in PROJECTS
    ]
    for n, (name, category, units, kinds) in enumerate(kinds_of_project):
        pid = f"{year}-{n + 1:02d}"
        targets = [_indicator(pid, key, rng) for key in kinds]
        target = "，".join(_target_text(i) for i in targets) + "。"
        lead = tuple(rng.sample(leaders, rng.choice((1, 1, 2))))
        level = rng.choice(LEVELS)
        projects.append(Project(pid, year, n + 1, name, target, lead, units, level, n in voted, category))
        indicators += targets
    return projects, indicators


def _indicator(pid: str, key: str, rng: random.Random) -> Indicator:
    kind = INDICATORS[key]
    if kind.decimals:
        target = Decimal(rng.randint(kind.low * 10, kind.high * 10)) / 10
    else:
        target = Decimal(rng.randint(kind.low, kind.high))
    return Indicator(pid, key, kind.name, target, kind.unit, kind.measure, kind.direction)


def _target_text(i: Indicator) -> str:
    if i.direction == "at_most":
        return f"{i.name}保持在{i.target}{i.unit}以下"
    if i.measure == "level":
        return f"{i.name}达到{i.target}{i.unit}以上"
    return f"{i.name}{i.target}{i.unit}"


def _reports(projects: list[Project], indicators: list[Indicator], rng: random.Random) -> list[Post]:
    posts = []
    for project in projects:
        mine = [i for i in indicators if i.project == project.id]
        pace = {i.id: rng.uniform(0.75, 1.25) for i in mine}
        last = {i.id: Decimal(0) for i in mine}
        for month in range(1, 13):
            values = []
            for i in mine:
                value = _value(i, month, pace[i.id], rng)
                if i.measure == "cumulative":
                    value = max(value, last[i.id])
                last[i.id] = value
                values.append((i.id, value))
            late = rng.random() < 0.1
            day = rng.randint(DUE_DAY + 1, 28) if late else rng.randint(10, DUE_DAY)
            submitted = dt.date(project.year, month, day)
            reached = all(_reached(i, v) for i, (_, v) in zip(mine, values, strict=True))
            behind = any(v < i.target * month / 12 for i, (_, v) in zip(mine, values, strict=True) if _cum(i))
            status = "done" if reached else "lagging" if behind and rng.random() < 0.7 else "on_track"
            period = f"{project.year}-{month:02d}"
            body = _report_body(project, mine, values, month, rng)
            posts.append(
                Post(
                    slug=f"reports/{period}/{project.id}",
                    title=f"{project.year}年{month}月推进情况：{project.name}",
                    date=submitted,
                    kind="report",
                    projects=(project.id,),
                    source=project.units[0],
                    body=body,
                    period=period,
                    submitted=submitted,
                    status=status,
                    values=tuple(values),
                )
            )
    return posts


def _cum(i: Indicator) -> bool:
    return i.measure == "cumulative"


def _reached(i: Indicator, value: Decimal) -> bool:
    return value <= i.target if i.direction == "at_most" else value >= i.target


def _value(i: Indicator, month: int, pace: float, rng: random.Random) -> Decimal:
    if i.direction == "at_most":
        return Decimal(rng.choice((0, 0, 0, 0, 1, 2)))
    if i.measure == "level":
        return (i.target + Decimal(rng.randint(-30, 30)) / 10).quantize(Decimal("0.1"))
    share = min(1.0, month / 12 * pace + rng.uniform(-0.03, 0.03))
    value = i.target * Decimal(str(max(0.0, share)))
    return value.quantize(Decimal("0.1") if INDICATORS[i.id].decimals else Decimal(1))


def _report_body(project: Project, mine: list[Indicator], values, month: int, rng: random.Random) -> str:
    facts = "，".join(f"{i.name}{v}{i.unit}" for i, (_, v) in zip(mine, values, strict=True))
    lead = f"截至{month}月底，{project.name}项目**{facts}**。"
    return _body(lead, project.year, rng)


def _body(lead: str, year: int, rng: random.Random) -> str:
    """A few paragraphs of Chinese text with a list, bold and a link."""
    paragraphs = [lead + "".join(rng.sample(SENTENCES, 2))]
    paragraphs.append("本月主要工作：\n\n" + "\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, 3)))
    paragraphs.append("".join(rng.sample(SENTENCES, rng.randint(2, 4))))
    link = f"[{year}年重点民生实事工作目标任务](https://bench.example.gov.cn/notice/{year}.html)"
    paragraphs.append(f"详见{link}。" + rng.choice(SENTENCES))
    return "\n\n".join(paragraphs) + "\n"


def _other_posts(count: int, years: tuple[int, ...], projects: list[Project], rng: random.Random) -> list[Post]:
    weights = [w for _, _, w in NEWS_KINDS]
    by_year = {y: [p for p in projects if p.year == y] for y in years}
    posts = []
    for n in range(count):
        year = years[n % len(years)]
        kind, folder, _ = rng.choices(NEWS_KINDS, weights)[0]
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        linked = rng.sample(by_year[year], rng.choice((0, 1, 1, 2))) if kind in ("news", "inspection") else []
        name = linked[0].name if linked else "重点民生实事"
        title = rng.choice(NEWS_TITLES[kind]).format(name=name, year=year)
        lead = f"{date.month}月{date.day}日，{name}工作取得阶段性成效。"
        posts.append(
            Post(
                slug=f"{folder}/{date.isoformat()}-{n:05d}",
                title=title,
                date=date,
                kind=kind,
                projects=tuple(p.id for p in linked),
                source="基准测试区融媒体中心" if kind == "news" else "区政府督查室",
                body=_body(lead, year, rng),
            )
        )
    return posts


def news_post(corpus: Corpus, n: int, tag: str) -> Post:
    """A news post like the corpus's own, about one of its newest year's projects and dated in
    that year; ``tag`` makes its slug new (a post the corpus has not seen)."""
    rng = random.Random(f"{SEED}-news-{n}")
    year = corpus.years[-1]
    project = rng.choice([p for p in corpus.projects if p.year == year])
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    lead = f"{date.month}月{date.day}日，{project.name}工作取得阶段性成效。"
    return Post(
        slug=f"news/{date.isoformat()}-{tag}",
        title=rng.choice(NEWS_TITLES["news"]).format(name=project.name, year=year),
        date=date,
        kind="news",
        projects=(project.id,),
        source="基准测试区融媒体中心",
        body=_body(lead, year, rng),
    )


# ------------------------------------------------------------------------- writers


def write_ours(corpus: Corpus, root: Path) -> None:
    """content/: site.yaml, projects/<year>.csv and -indicators.csv, updates/**/*.md."""
    _fresh(root)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (root / "projects").mkdir()
    for year in corpus.years:
        rows = [
            [
                p.id,
                p.seq,
                p.name,
                p.target,
                "、".join(p.leaders),
                "、".join(p.units),
                p.level,
                _bool(p.voted),
                p.category,
            ]
            for p in corpus.projects
            if p.year == year
        ]
        header = ["id", "seq", "name", "target", "leaders", "units", "level", "voted", "category"]
        _write_csv(root / "projects" / f"{year}.csv", header, rows)
        rows = [
            [i.project, i.id, i.name, i.target, i.unit, i.measure, i.direction]
            for i in corpus.indicators
            if i.project.startswith(f"{year}-")
        ]
        header = ["project", "id", "name", "target", "unit", "measure", "direction"]
        _write_csv(root / "projects" / f"{year}-indicators.csv", header, rows)
    for post in corpus.posts:
        write_our_post(post, root)


def write_our_post(post: Post, root: Path) -> Path:
    """One post in our format: content/updates/<slug>.md (front matter, then the body)."""
    front = [
        f"title: {post.title}",
        f"date: {post.date.isoformat()}",
        f"kind: {post.kind}",
        f"projects: [{', '.join(post.projects)}]",
        f"source: {post.source}",
    ]
    if post.kind == "report":
        front += [f"period: {post.period}", f"submitted: {post.submitted}", f"status: {post.status}", "values:"]
        front += [f"  {key}: {value}" for key, value in post.values]
    path = root / "updates" / f"{post.slug}.md"
    _write_post(path, "\n".join(front), post.body)
    return path


def write_hugo(corpus: Corpus, root: Path) -> None:
    """A Hugo site: bench/hugo/ (config, layouts) plus content/<section>/…md, one per post."""
    _fresh(root)
    shutil.copytree(BENCH / "hugo", root, dirs_exist_ok=True)
    for post in corpus.posts:
        front = [
            f'title: "{post.title}"',
            f"date: {post.date.isoformat()}",
            f"postkind: {post.kind}",  # Hugo reserves ``kind``
            f"projects: [{', '.join(repr(p) for p in post.projects)}]",
            f'source: "{post.source}"',
        ]
        if post.kind == "report":
            front += [f"period: '{post.period}'", f"submitted: {post.submitted}", f"status: {post.status}", "values:"]
            front += [f"  {key}: {value}" for key, value in post.values]
        _write_post(root / "content" / f"{post.slug}.md", "\n".join(front), post.body)


def write_pelican(corpus: Corpus, root: Path) -> None:
    """Pelican content: one Markdown file a post with Pelican's ``Key: value`` metadata."""
    _fresh(root)
    for post in corpus.posts:
        meta = [
            f"Title: {post.title}",
            f"Date: {post.date.isoformat()}",
            f"Category: {post.kind}",
            f"Slug: {post.slug.replace('/', '-')}",
            f"Source: {post.source}",
        ]
        if post.projects:
            meta.append(f"Tags: {', '.join(post.projects)}")
        if post.kind == "report":  # Pelican reserves ``Status`` (draft, published)
            meta += [f"Period: {post.period}", f"Submitted: {post.submitted}", f"Report_status: {post.status}"]
            meta.append("Values: " + "; ".join(f"{key}={value}" for key, value in post.values))
        path = root / f"{post.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(meta) + "\n\n" + post.body, encoding="utf-8")


def write_all(size: int, out: Path) -> Corpus:
    corpus = make(size)
    write_ours(corpus, out / "content")
    write_hugo(corpus, out / "hugo")
    write_pelican(corpus, out / "pelican")
    return corpus


def _fresh(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_post(path: Path, front: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a benchmark corpus (ours, Hugo, Pelican).")
    parser.add_argument("size", help="posts: 1k, 4k, 16k, 50k or a number")
    parser.add_argument("out", type=Path, help="folder to write content/, hugo/, pelican/ into")
    args = parser.parse_args(argv)
    corpus = write_all(parse_size(args.size), args.out)
    print(f"{args.out}: {len(corpus.posts)} posts, {len(corpus.projects)} projects, {len(corpus.years)} years")
    return 0


if __name__ == "__main__":
    sys.exit(main())
