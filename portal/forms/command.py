"""``build.py form export|import``: the command line's words checked and handed to export or intake.

Every argument is checked here (the content folder, --period, --submitted, --reason) so that a
wrong one stops the command with exit 2, in both languages, before any file is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from portal.errors import UsageError
from portal.model.records import Month


def run(args: argparse.Namespace) -> int:
    """``build.py form export|import``: 0 done, 1 content problems (raised), 2 wrong usage (raised)."""
    content = Path(args.content)
    if not content.is_dir():
        raise UsageError(f"找不到内容文件夹 {args.content} (no such content folder)")
    shown = args.content.rstrip("/") or args.content
    if args.form_command == "export":
        from portal.forms import export

        return export.run(content, shown, parse_period(args.period), args.unit, args.output, each_unit=args.each_unit)
    from portal.forms import intake
    from portal.forms.compose import Options

    if args.reason is not None and not args.replace:
        raise UsageError("--reason 只用于 --replace：更正已导入的推进情况时写明原因 (--reason needs --replace)")
    reason = args.reason.strip() if args.reason else None
    options = Options(submitted_option(args.submitted), args.replace, reason or None, args.confirm)
    period = parse_period(args.period) if args.period else None
    return intake.run(content, shown, [Path(f) for f in args.files], period, options)


def parse_period(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise UsageError(f"截至月份“{text}”不对：{exc} (--period YYYY-MM)") from None


def submitted_option(text: str | None) -> dt.date | None:
    """--submitted as a date."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"报送日期“{text}”格式不对：应为 YYYY-MM-DD，如 2020-06-20 (--submitted)") from None
