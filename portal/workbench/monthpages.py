"""月度报送: the clerk's pages. The month page (pick the month; download every lead unit's form
in one .zip or one unit's; upload the filled ones), the review of an upload (every refusal,
every hold to confirm one by one, each report new, corrected with its before/after or unchanged,
and a reason for corrections), and the import.

Every GET reads. The upload (POST month/check) writes nothing into the content folder: it keeps
the files in a private temporary folder (monthfiles.py) and shows what the import would do. The
import (POST month/import) plans again from the same files and the content as it is then, and
writes only when every hold is ticked, a correction has its reason, and nothing changed since
the review; the browser is shown the summary ``form import`` prints, and where the preview
shows the month.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from portal import load
from portal.errors import ContentError
from portal.forms.compose import Options
from portal.model.portfolio import Portfolio
from portal.model.records import Month
from portal.workbench import monthexport, monthfiles, monthplan
from portal.workbench.monthplan import Review
from portal.workbench.pages import not_found, page
from portal.workbench.web import Bench, Request, Response

ZIP = "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_FILES = "请先选择填好的表格（可以一次选多个），再点“上传并核对”"
GONE = "这批表格已经导入，或已超过一天没有导入而被清除：请回到“月度报送”重新上传。没有写入任何文件。"
CHANGED = "内容文件夹在你核对之后有了变化（可能刚有人导入了表格）：请重新核对下面的内容，再点“确认导入”。"
UNTICKED = "请核对这条提示，确认无误后勾选"
NO_REASON = "这次导入会更正已有的推进情况：请写明更正原因（会随更正公开在项目页上）"


def month(bench: Bench, request: Request) -> Response:
    """The month page: ?period=YYYY-MM, else the month after the newest one reported."""
    loaded = _portfolio(bench)
    if isinstance(loaded, list):
        return page(bench, "month.html", title="月度报送", problems=loaded)
    period, message = _period(loaded, request.arg("period"))
    return _month(bench, loaded, period, 200 if not message else 404, message=message)


def download_all(bench: Bench, request: Request) -> Response:
    """Every lead unit's form of ?period= in one .zip."""
    loaded = _portfolio(bench)
    period = None if isinstance(loaded, list) else _period(loaded, request.arg("period"), strict=True)[0]
    if isinstance(loaded, list) or period is None:
        return not_found(bench, request)
    name, data = monthexport.zipped(loaded, period)
    return _download(name, data, ZIP, f"forms-{period}.zip")


def download_one(bench: Bench, request: Request) -> Response:
    """The form of ?unit= for ?period=, as an .xlsx."""
    loaded = _portfolio(bench)
    period = None if isinstance(loaded, list) else _period(loaded, request.arg("period"), strict=True)[0]
    found = None if isinstance(loaded, list) or period is None else monthexport.one(loaded, period, request.arg("unit"))
    if found is None:
        return not_found(bench, request)
    return _download(*found, XLSX, f"form-{period}.xlsx")


def check(bench: Bench, request: Request) -> Response:
    """The upload: the files kept aside, and what importing them would do. Writes no content."""
    loaded = _portfolio(bench)
    if isinstance(loaded, list):
        return page(bench, "month.html", 422, title="月度报送", problems=loaded)
    period, message = _period(loaded, request.field("period"), strict=True)
    if period is None:
        return _month(bench, loaded, _period(loaded, "")[0], 400, message=message)
    submitted = request.field("submitted").strip()
    day = _day(submitted)
    uploads = _uploads(request)
    errors = {"forms": [NO_FILES] if not uploads else [], "submitted": [day] if isinstance(day, str) else []}
    if not uploads or isinstance(day, str):
        shown = "" if isinstance(day, str) else submitted  # a date field holds a date or nothing
        return _month(bench, loaded, period, 422, errors=errors, submitted=shown)
    kept, refused = monthfiles.keep(uploads)
    result = monthplan.review(bench, kept, refused, period, Options(day, False, None, False))
    if result.refusals and kept is not None:
        monthfiles.discard(kept)  # nothing can be imported: the clerk corrects and uploads again
    return _review(bench, result, kept, submitted, 422 if result.refusals else 200)


def confirm(bench: Bench, request: Request) -> Response:
    """The import: planned again, and written only when everything the review asked is done."""
    kept = monthfiles.reopen(request.field("batch"))
    if kept is None:
        return page(bench, "missing.html", 410, title="这批表格已不在", message=GONE)
    period, submitted = _month_of(request.field("period")), request.field("submitted").strip()
    day = _day(submitted)
    if period is None or isinstance(day, str):
        return not_found(bench, request)
    reason = request.field("reason").strip()
    ticked = set(request.fields("hold"))
    result = monthplan.review(bench, kept, [], period, Options(day, False, reason or None, False))
    errors = _unconfirmed(result, ticked, reason, request.field("seen"))
    if result.refusals or any(errors.values()):
        if result.refusals:
            monthfiles.discard(kept)
        return _review(bench, result, kept, submitted, 422, errors, ticked & {h.key for h in result.holds}, reason)
    assert result.plan is not None
    options = Options(day, bool(result.corrected), reason or None, True)
    lines, refusals = monthplan.write(bench, result.plan, options, kept.shown)
    monthfiles.discard(kept)
    if refusals:
        return _review(bench, Review(period, result.files, tuple(refusals)), None, submitted, 422)
    seen = "/" + quote(period.url)
    return page(bench, "monthdone.html", title=f"已导入{period.label}的推进情况", lines=lines, period=period, seen=seen)


def _unconfirmed(result: Review, ticked: set[str], reason: str, seen: str) -> dict[str, list[str]]:
    """What the clerk has still to do before the import: each hold unticked, a missing reason;
    or review again what changed since."""
    if seen != result.seen:
        return {"seen": [CHANGED]}
    errors = {f"hold-{hold.key}": [UNTICKED] for hold in result.holds if hold.key not in ticked}
    if result.corrected and not reason:
        errors["reason"] = [NO_REASON]
    return errors


def _review(
    bench: Bench,
    result: Review,
    kept: monthfiles.Kept | None,
    submitted: str,
    status: int,
    errors: dict[str, list[str]] | None = None,
    ticked: set[str] | None = None,
    reason: str = "",
) -> Response:
    errors = errors or {}
    places = {f"hold-{hold.key}": hold for hold in result.holds}
    listed = [
        (name, f"{places[name].file} {places[name].cell}：{text}" if name in places else text)
        for name, texts in errors.items()
        for text in texts
    ]
    return page(
        bench,
        "monthreview.html",
        status,
        title=f"核对{result.period.label}的推进情况",
        review=result,
        batch=kept.id if kept and not result.refusals else "",
        submitted=submitted,
        errors=errors,
        listed=listed,
        ticked=ticked or set(),
        reason=reason,
    )


def _month(
    bench: Bench,
    portfolio: Portfolio,
    period: Month | None,
    status: int,
    message: str = "",
    errors: dict[str, list[str]] | None = None,
    submitted: str = "",
) -> Response:
    units = monthexport.units(portfolio, period) if period is not None else ()
    return page(
        bench,
        "month.html",
        status,
        title="月度报送",
        problems=[],
        period=period,
        months=monthexport.months(portfolio),
        units=units,
        message=message,
        errors=errors or {},
        submitted=submitted,
    )


def _portfolio(bench: Bench) -> Portfolio | list[str]:
    """The content as ``form export`` and ``form import`` load it, or what keeps it from loading."""
    try:
        return Portfolio.build(load.load(bench.content, bench.shown))
    except ContentError as exc:
        return [str(problem) for problem in exc.problems]


def _period(portfolio: Portfolio, text: str, strict: bool = False) -> tuple[Month | None, str]:
    """The month asked for, or (not ``strict``) the default one; and why the one asked is refused."""
    chosen = _month_of(text) if text else None
    message = ""
    if text and (chosen is None or chosen.year not in portfolio.years):
        years = "、".join(str(year) for year in portfolio.years) or "无"
        message = f"没有“{text}”这个月份的项目清单（已有年份：{years}）：请在下面选择月份"
        chosen = None
    elif not text and strict:
        message = "请先选择月份"
    if chosen is None and not strict:
        chosen = monthexport.default(portfolio)
    return chosen, message


def _month_of(text: str) -> Month | None:
    try:
        return Month.parse(text)
    except ValueError:
        return None


def _day(text: str) -> dt.date | None | str:
    """The 报送日期 field: a day, None when left empty, or what is wrong with it."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return f"报送日期“{text}”格式不对：应为 YYYY-MM-DD，如 2020-12-20；也可以不填"


def _uploads(request: Request) -> list[tuple[str, bytes]]:
    """Each file chosen, with the name the browser sent for it (an empty input sends one empty
    file without a name, which is no upload)."""
    names = list(request.names.get("forms", ()))
    files = request.files.get("forms", ())
    found = [(names[n] if n < len(names) else "", data) for n, data in enumerate(files)]
    return [(name, data) for name, data in found if data or name]


def _download(name: str, data: bytes, kind: str, plain: str) -> Response:
    """A file to save: its name in UTF-8 (RFC 6266), and a plain one for the oldest browsers."""
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return Response(200, data, kind, (("Content-Disposition", disposition),))
