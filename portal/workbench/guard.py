"""Who may use the workbench: whoever holds the secret printed at start, from its own pages only.

The workbench writes into the content folder, and any web page the operator opens can send
requests to 127.0.0.1 (a cross-site form, a script after DNS rebinding). So, beyond the preview's
Host allow-list: every request under /_workbench/ carries the token (the first visit in its
address, which sets a cookie that browsers send only with the workbench's own requests), every
change is a POST from the workbench's own origin carrying the token once more in its body or a
header (no other page knows it), and the pages forbid scripts, styles and forms from elsewhere.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

PREFIX = "/_workbench"
COOKIE = "workbench"
HEADER = "X-Workbench-Token"
FIELD = "token"
METHODS = ("GET", "HEAD", "POST")
READS = ("GET", "HEAD")
TOKEN_BYTES = 32  # 256 random bits
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
NO_TOKEN = (
    "403：工作台只对启动预览的人开放。请打开启动预览时窗口里显示的工作台地址"
    "（以 /_workbench/?token= 开头的那一行）；重新启动预览后要用新显示的地址。"
)
FOREIGN = "403：工作台只接受它自己的页面提交的修改，未写入任何文件。请在工作台页面上重新操作。"
UNSIGNED = "403：提交中缺少工作台的口令，未写入任何文件。请回到工作台页面，刷新后重新提交。"
METHOD = "405：工作台只接受 GET、HEAD 和 POST 请求。"


@dataclass(frozen=True)
class Denied:
    """A workbench request turned away at the door: its status and a short Chinese text."""

    status: int
    text: str
    allow: str = ""


@dataclass(frozen=True)
class Guard:
    """The workbench's secret and the checks made with it."""

    token: str

    @classmethod
    def new(cls) -> Guard:
        return cls(secrets.token_urlsafe(TOKEN_BYTES))

    @staticmethod
    def covers(target: str) -> bool:
        """Whether a request target (path and query) is the workbench's."""
        path = target.split("?", 1)[0]
        return path == PREFIX or path.startswith(PREFIX + "/")

    def refusal(self, method: str, target: str, headers: Mapping[str, str], same_origin: bool) -> Denied | None:
        """Why a workbench request is not answered, or None. Asked before its body is read."""
        if method not in METHODS:
            return Denied(405, METHOD, ", ".join(METHODS))
        if not self.admits(method, target, headers):
            return Denied(403, NO_TOKEN)
        if method == "POST" and not same_origin:
            return Denied(403, FOREIGN)
        return None

    def admits(self, method: str, target: str, headers: Mapping[str, str]) -> bool:
        """The request carries the token: in the cookie, the header, or (a page's address) the query."""
        if any(self.matches(value) for value in cookies(headers.get("Cookie", ""), COOKIE)):
            return True
        if self.matches(headers.get(HEADER)):
            return True
        query = parse_qs(target.partition("?")[2])
        return method in READS and any(self.matches(value) for value in query.get(FIELD, ()))

    def signed(self, form: Mapping[str, Iterable[str]], headers: Mapping[str, str]) -> bool:
        """A POST's body or header carries the token: what no other page can know or add."""
        return self.matches(headers.get(HEADER)) or any(self.matches(value) for value in form.get(FIELD, ()))

    def matches(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.token.encode())

    def cookie(self) -> str:
        """The Set-Cookie value: sent back only by the workbench's own pages, never read by a script."""
        return f"{COOKIE}={self.token}; Path={PREFIX}/; HttpOnly; SameSite=Strict"


def cookies(header: str, name: str) -> list[str]:
    """Every value of the cookie ``name`` in a Cookie header (one a path may be sent)."""
    pairs = (part.strip().partition("=") for part in header.split(";"))
    return [value.strip() for key, _, value in pairs if key.strip() == name]
