"""What a government website carries on its pages (政府网站发展指引 and the yearly inspection
indicators), from site.yaml and nothing else: the footer's duties, the <meta name> tags outside
checks read, a post's 信息来源, and the public's 意见建议 channels. A key not set shows nothing;
only 主办单位 falls back, to the publisher.

The two filing sites below are the only addresses on another host that the templates write
themselves (every other one comes from site.yaml or a post): an ICP or police filing number is
shown linked to the register that confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from portal.model import urls
from portal.model.records import Feedback, SiteConfig, Update

ICP_REGISTER = "https://beian.miit.gov.cn/"  # 工业和信息化部政务服务平台: ICP备案
POLICE_REGISTER = "https://beian.mps.gov.cn/"  # 全国互联网安全管理服务平台: 公安机关备案
HOME_COLUMN = "首页"
# Each column's name (ColumnName) and the addresses of its pages; any other page is the home's.
COLUMNS = (
    ("项目", (urls.PROJECTS, urls.YEARS, urls.UNITS, urls.LEADERS)),
    ("月度报送", (urls.REPORTS,)),
    ("人大监督", (urls.DEPUTIES,)),
    ("工作动态", (urls.UPDATES, urls.KINDS, urls.ARCHIVE)),
    ("关于", (urls.ABOUT,)),
)


@dataclass(frozen=True)
class Item:
    """One labelled line of the footer, the 关于 page or an 意见建议 box, with its link if any."""

    label: str
    text: str
    href: str = ""


def footer(config: SiteConfig) -> tuple[tuple[Item, ...], ...]:
    """The duties as the footer shows them, a line each for who runs the site, how to reach it
    and its filings; only what site.yaml sets (主办单位 always: the publisher by default)."""
    contact = config.contact
    lines = (
        (Item("主办单位", config.organized_by), Item("承办单位", config.operator)),
        (
            Item("联系电话", contact.phone),
            Item("电子邮箱", contact.email, mailto(contact.email)),
            Item("联系地址", contact.address),
        ),
        (
            Item("网站标识码", config.site_code),
            Item("ICP备案号", config.icp, ICP_REGISTER),
            Item("公安机关备案号", config.police_record, POLICE_REGISTER),
        ),
    )
    return tuple(shown for line in lines if (shown := tuple(item for item in line if item.text)))


def column(url: str) -> str:
    """The column (ColumnName) of the page at a site-relative URL."""
    return next((name for name, prefixes in COLUMNS if url.startswith(prefixes)), HOME_COLUMN)


def source(config: SiteConfig, update: Update) -> str:
    """A post's 信息来源: its own source, else the publisher."""
    return update.source_unit or config.publisher


def meta(config: SiteConfig, url: str, post: Update | None) -> tuple[tuple[str, str], ...]:
    """The <meta name> tags of a page, (name, content) in order; a post's page adds its own."""
    tags = [("SiteName", config.title), ("SiteDomain", config.domain)]
    if config.site_code:
        tags.append(("SiteIDCode", config.site_code))
    tags.append(("ColumnName", column(url)))
    if post is not None:
        tags += [
            ("ArticleTitle", post.title),
            ("PubDate", post.date.isoformat()),
            ("ContentSource", source(config, post)),
        ]
    return tuple(tags)


def channels(feedback: Feedback | None, subject: str) -> tuple[Item, ...]:
    """An 意见建议 box's channels, () without ``feedback``; a mail's subject says what it is about."""
    if feedback is None:
        return ()
    found = (
        Item("热线电话", feedback.hotline, "tel:" + feedback.hotline.replace(" ", "")),
        Item("电子邮件", feedback.email, mailto(feedback.email, subject)),
        Item("网上留言", feedback.url, feedback.url),
    )
    return tuple(item for item in found if item.text)


def mailto(email: str, subject: str = "") -> str:
    """A mailto: address, the subject percent-encoded (UTF-8); "" without an address."""
    if not email:
        return ""
    return f"mailto:{quote(email, safe='@')}" + (f"?subject={quote(subject, safe='')}" if subject else "")
