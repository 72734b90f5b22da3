"""The command line: build, check, serve, form export/import, new.

Exit status: 0 success, 1 content problems (each printed as ``path:line[:field]: message``),
2 wrong usage. A traceback only with -v.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
import traceback
from importlib import metadata
from pathlib import Path

from portal.errors import ContentError, ToolError, UsageError, visible
from portal.write.staging import OutputError, explain

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; say it in both languages
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: 用法错误 (usage error): {message}\n")


def parser(prog: str = "build.py") -> argparse.ArgumentParser:
    top = _Parser(
        prog=prog,
        description="民生实事进展公开：把 content/ 生成为静态网站。Build the livelihood-projects portal.",
    )
    top.add_argument("-v", "--verbose", action="store_true", help="出错时显示完整的调用栈 (show tracebacks)")
    sub = top.add_subparsers(dest="command", parser_class=_Parser)
    _site_commands(sub)
    _form_commands(sub.add_parser("form", help="月度推进情况表（附件2）的导出和导入 (the monthly form)"))
    _new_command(sub.add_parser("new", help="新建一篇动态文章 (scaffold a post)"))
    return top


def _content_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", default="content", help="内容文件夹 (content folder), 默认 content/")


def _site_commands(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("build", help="生成网站 (build the site)")
    _content_option(b)
    b.add_argument("--out", default="site", help="输出文件夹 (output folder), 默认 site/")
    b.add_argument(
        "-j", "--jobs", type=int, default=0, help="并行进程数，默认为 CPU 核数 (processes; default: all cores)"
    )
    _content_option(sub.add_parser("check", help="只检查内容，不生成 (validate only)"))
    s = sub.add_parser("serve", help="本机预览并自动刷新，附带工作台 (preview with live reload, and the workbench)")
    _content_option(s)
    s.add_argument("--port", type=int, default=8000, help="端口 (port), 默认 8000")
    s.add_argument(
        "--host", default="127.0.0.1", type=_loopback, help="本机监听地址 (loopback address), 默认 127.0.0.1"
    )


def _form_commands(form: argparse.ArgumentParser) -> None:
    fsub = form.add_subparsers(dest="form_command", parser_class=_Parser, required=True)
    fe = fsub.add_parser("export", help="导出某月的预填表格 .xlsx (export the month's form)")
    fe.add_argument("--period", required=True, help="截至月份 YYYY-MM")
    who = fe.add_mutually_exclusive_group()
    who.add_argument("--unit", help="只导出某个牵头单位的项目 (one lead unit only)")
    who.add_argument(
        "--each-unit", action="store_true", help="每个牵头单位一个文件，写入 -o 文件夹 (one file a unit, into -o DIR)"
    )
    fe.add_argument("-o", "--output", help="输出文件；用 --each-unit 时为输出文件夹 (output file, or folder)")
    _content_option(fe)
    fi = fsub.add_parser("import", help="把填好的表格导入为月度推进情况 (import filled forms)")
    fi.add_argument("files", nargs="+", metavar="FILE", help=".xlsx 或 .csv")
    fi.add_argument("--period", help="截至月份 YYYY-MM（不填则读表头）")
    fi.add_argument("--submitted", help="报送日期 YYYY-MM-DD（不填则为导入当天）")
    fi.add_argument(
        "--replace", action="store_true", help="更正已导入的同月推进情况 (replace, recorded as a correction)"
    )
    fi.add_argument("--reason", metavar="TEXT", help="更正原因，与 --replace 一起用 (why, with --replace)")
    fi.add_argument("--confirm", action="store_true", help="核对无误后，接受提示项照常导入 (accept the held values)")
    _content_option(fi)


def _new_command(n: argparse.ArgumentParser) -> None:
    n.add_argument("title", help="标题 (title)")
    n.add_argument("--date", required=True, help="发布日期 YYYY-MM-DD (publication date)")
    n.add_argument(
        "--kind", default="news", help="类型 (kind): news, inspection, bulletin, assessment, evaluation, notice"
    )
    n.add_argument("--project", action="append", default=[], help="关联项目编号，可多次 (project id, repeatable)")
    n.add_argument("--source", default="", help="来源 (source)")
    n.add_argument("--slug", help="文件名（不含 .md）(file name)")
    _content_option(n)


def _loopback(host: str) -> str:
    """--host: the preview shows drafts and answers whoever reaches it, so it listens on this
    computer only (127.0.0.0/8, ::1, localhost)."""
    try:
        here = host.lower() == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        here = False
    if not here:
        raise argparse.ArgumentTypeError(
            f"{host} 不是本机地址：预览只在这台电脑上监听，不供其他电脑访问。"
            "请去掉 --host，或用 127.0.0.1、::1、localhost (the preview listens on this computer only)"
        )
    return host


def console() -> None:
    """The ``minsheng`` command that ``pip install .`` makes."""
    sys.exit(main(prog="minsheng"))


def main(argv: list[str] | None = None, prog: str = "build.py") -> int:
    """Run one command; every failure a user can cause or meet ends in located Chinese lines and
    exit status 1 (content, a tool, the disk) or 2 (usage, setup), a traceback only with -v."""
    args = parser(prog).parse_args(argv)
    command = args.command or "build"
    if args.command is None:
        args.content, args.out, args.jobs = "content", "site", 0
    try:
        return _run(command, args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _failed(args, f"共 {len(exc.problems)} 个问题，未生成任何文件。({len(exc.problems)} problem(s))", 1)
    except (OutputError, UsageError) as exc:
        return _failed(args, f"{prog}: {exc}", USAGE_ERROR)
    except ToolError as exc:
        return _failed(args, f"{prog}: {exc}", 1)
    except OSError as exc:  # a full disk, a permission, a path the system refuses
        kept = f"；网站未生成，{args.out.rstrip('/') or '/'} 保持原样" if command == "build" else ""
        return _failed(args, f"{prog}: {explain(exc)}{kept}", 1)
    except (ImportError, metadata.PackageNotFoundError) as exc:  # a library missing from this Python
        name = getattr(exc, "name", None) or str(exc)
        setup = "请在项目文件夹运行 make site（或 pip install -r requirements.txt）安装依赖后再试"
        return _failed(args, f"{prog}: 缺少程序依赖的软件包 {name}：{setup} (missing dependency)", USAGE_ERROR)


def _failed(args: argparse.Namespace, message: str, status: int) -> int:
    """The last line of a failed command (control characters made visible), the traceback with -v."""
    if args.verbose:
        traceback.print_exc()
    print(visible(message), file=sys.stderr)
    return status


def _content(args: argparse.Namespace) -> Path:
    path = Path(args.content)
    if not path.is_dir():
        raise UsageError(f"找不到内容文件夹 {args.content} (no such content folder)")
    return path


def _run(command: str, args: argparse.Namespace) -> int:
    from portal import pipeline

    if command == "build":
        portfolio = pipeline.build(_content(args), Path(args.out), args.content.rstrip("/"), jobs=args.jobs)
        if portfolio is None:
            print(f"{args.out}/ 已是最新：内容、模板和程序都没有改变 (up to date)")
        else:
            print(f"已生成 {args.out}/：{len(portfolio.projects)} 个项目，{len(portfolio.updates)} 篇动态")
        return 0
    if command == "check":
        portfolio, hints = pipeline.check(_content(args), args.content.rstrip("/"))
        for hint in hints:
            print(hint, file=sys.stderr)
        hinted = f"；另有 {len(hints)} 条提示（见上），不影响生成" if hints else ""
        print(f"内容无误：{len(portfolio.projects)} 个项目，{len(portfolio.updates)} 篇动态{hinted}")
        return 0
    if command == "serve":
        from portal.preview import serve

        return serve.serve(_content(args), args.host, args.port, args.content.rstrip("/") or "/")
    if command == "new":
        from portal import newpost

        path = newpost.create(_content(args), args.title, args.date, args.kind, args.project, args.source, args.slug)
        print(f"已新建 {path}")
        return 0
    if command == "form":
        from portal.forms import command as form

        return form.run(args)
    raise UsageError(command)
