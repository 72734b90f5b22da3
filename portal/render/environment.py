"""The one Jinja Environment (autoescape, StrictUndefined) and what every template sees.

``context()`` is the whole contract between code and templates: numbers a template shows are
computed in Python (the views, model/present.py), not there. ``render_pages`` turns pages into
HTML; writing them, in one process or several, is write/parallel.py's job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from portal import cache as kept
from portal.model import records as model
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.present import number, target_text
from portal.model.progress import Compliance, schedule
from portal.paths import TEMPLATES_DIR
from portal.render import deps, duties

if TYPE_CHECKING:
    from portal.render.pages import Page


@cache
def environment() -> jinja2.Environment:
    """The one Environment of a process: each template compiled once (again when it changes)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled(),
    )
    env.filters.update(
        num=number, target=target_text, pct=pct, cn_date=cn_date, json_attr=json_attr, compliance=compliance_tag
    )
    env.globals.update(
        KINDS=model.KINDS,
        STATUSES=model.STATUSES,
        VERDICTS=model.VERDICTS,
        COMPLIANCE=model.COMPLIANCE,
        RESULTS=model.RESULTS,
        MEASURES=model.MEASURES,
    )
    return env


def _compiled() -> jinja2.BytecodeCache | None:
    """Templates compiled by an earlier process, kept in the cache folder (Jinja checks each
    against its source): a build in a new process that renders a few pages need not compile
    them all again (0.3 s)."""
    root = kept.folder()
    if root is None:
        return None
    try:
        (root / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(root / "jinja"))


def compile_templates() -> None:
    """Compile every template into this process's environment ahead of its first page."""
    env = environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


SHORT_COMPLIANCE = {"on_time": "按时", "late": "逾期", "missing": "未报"}  # the reporting matrix's cells
_COMPLIANCE_TAGS = {
    (state, short): Markup('<span class="compliance compliance-{}">{}</span>').format(state, labels[state])
    for short, labels in ((False, model.COMPLIANCE), (True, SHORT_COMPLIANCE))
    for state in model.COMPLIANCE
}


def compliance_tag(c: Compliance, short: bool = False) -> Markup:
    """A month's reporting as a tag, one of six made once: a filter, not a macro, since the
    reporting tables show thousands a build (a Jinja macro call costs many times a look-up)."""
    return _COMPLIANCE_TAGS[c.state, short]


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def cn_date(value: dt.date | None) -> str:
    return "—" if value is None else f"{value.year}年{value.month}月{value.day}日"


def json_attr(value: Any) -> Markup:
    """JSON for a data- attribute or a <script type=application/json>: no markup can break out."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text.replace('"', "&quot;"))


def context(portfolio: Portfolio, page: Page, url: Callable[..., str] | None = None) -> dict[str, Any]:
    """Everything a template sees: the site, the page, and the page's own data. Every address a
    template writes comes from a record's ``url`` or from ``urls`` (model/urls.py), then through
    ``url`` (a link under base_url) or ``address`` (absolute)."""
    p = portfolio
    post = page.data["update"] if page.template == "update.html" else None
    # Only a page with a clock dep shows an as-of date: a new month re-renders only these.
    clock = next((dep for dep in page.deps if dep.kind is deps.DepKind.CLOCK), None)
    day = None if clock is None else p.as_of_date if clock.key is None else p.as_of_date_in(int(clock.key))
    return {
        "site": p.config,
        "meta": duties.meta(p.config, page.url, post),
        "duties": duties.footer(p.config),
        "portfolio": p,
        "page": page,
        "urls": urls,
        "url": url or urls.linker(p.config.base_url),
        "address": partial(urls.address, p.config),
        "clock": clock is not None,
        "as_of": model.Month(day.year, day.month) if day else None,
        "as_of_date": day,
        "years": p.years,
        "current_year": p.current_year if clock == deps.CLOCK else None,
        "state": p.state,
        "schedule": schedule,
        **page.data,
    }


def render_pages(p: Portfolio, chosen: list[Page]) -> Iterator[tuple[str, str]]:
    """Each page's output path and HTML, in the order given."""
    env, url = environment(), urls.linker(p.config.base_url)
    for page in chosen:
        template = env.get_template(page.template)
        yield page.path, template.render(context(p, page, url))
