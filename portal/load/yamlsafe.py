"""YAML without surprises: every scalar stays a string, no tags, no aliases, no duplicate keys.

Types come from the Table Schemas afterwards (frictionless casts "2020-06-02" to a date, "25" to
an integer), so YAML 1.1's guesses (``no`` → false, ``0012`` → 10) never reach the content, and
no tag can build an object. Mappings remember the line of each key for located messages.
"""

from __future__ import annotations

from typing import Any

import yaml

from portal.errors import Problem
from portal.load import chars

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

# PyYAML's own words, said again for a clerk.
_TRANSLATIONS = (
    ("found character '\\t' that cannot start any token", "含有 Tab 字符：YAML 只能用空格缩进"),
    ("found a tab character", "含有 Tab 字符：YAML 只能用空格缩进"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("could not find expected ':'", "缺少冒号（键: 值）"),
    ("mapping values are not allowed here", "这里不能出现冒号：含冒号的值请加引号"),
    ("found undefined alias", "不支持 YAML 别名（*name）"),
    ("expected <block end>, but found", "缩进不一致"),
    ("found unexpected ':'", "这里不能出现冒号：含冒号的值请加引号"),
    ("found invalid Unicode character escape code", "引号里的 \\u 转义不是有效的字符（如 \\ud800）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
)


class Mapping(dict):
    """A YAML mapping that knows the line of each of its keys (1-based)."""

    line: int
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


def load(text: str, path: str, first_line: int = 1) -> Any:
    """Parse one YAML document; raise a located Problem list on any fault."""
    unseen = chars.problems(text, path, first_line, chars.IN_YAML)
    if unseen:  # said in Chinese, line by line, before the parser says it in English
        raise YamlError(unseen)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is found at the end of the text: name the line where it opened.
        quote = exc.context == "while scanning a quoted scalar" and exc.context_mark
        mark = exc.context_mark if quote else exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError([Problem(path, line, None, "YAML 格式错误：" + _explain(exc, text, mark))]) from exc
    except yaml.YAMLError as exc:
        raise YamlError([Problem(path, first_line, None, "YAML 格式错误：" + str(exc))]) from exc
    finally:
        loader.dispose()
    if node is None:
        return None
    problems: list[Problem] = []
    value = _build(node, path, first_line, problems, set())
    if problems:
        raise YamlError(problems)
    return value


class YamlError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _explain(exc: yaml.MarkedYAMLError, source: str, mark: yaml.Mark | None) -> str:
    lines = source.split("\n")
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        return "含有 Tab 字符：YAML 只能用空格缩进"
    text = " ".join(filter(None, [exc.context, exc.problem]))
    for english, chinese in _TRANSLATIONS:
        if english in text:
            return chinese
    return text


def _build(
    node: yaml.Node, path: str, first: int, problems: list[Problem], seen: set[int], key: str | None = None
) -> Any:
    line = first + node.start_mark.line
    if id(node) in seen:
        problems.append(Problem(path, line, None, "不支持 YAML 锚点和别名（&name / *name）"))
        return None
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(path, line, None, f"不允许使用 YAML 标签 {node.tag}"))
        return None
    if isinstance(node, yaml.ScalarNode):
        if chars.FORBIDDEN.search(node.value):  # written as an escape ("\e", "\x07") in quotes
            problems.append(Problem(path, line, key, chars.message(node.value)))
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path, first, problems, seen, key) for item in node.value]
    mapping = Mapping()
    mapping.line = line
    mapping.lines = {}
    for key_node, value_node in node.value:
        key_line = first + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, key_line, None, "键必须是简单文字"))
            continue
        name = key_node.value
        if chars.FORBIDDEN.search(name):
            problems.append(Problem(path, key_line, None, chars.message(name)))
            continue
        if name in mapping.lines:
            problems.append(Problem(path, key_line, name, f"重复的键（第 {mapping.lines[name]} 行已有）"))
            continue
        mapping.lines[name] = key_line
        mapping[name] = _build(value_node, path, first, problems, seen, name if key is None else f"{key}.{name}")
    return mapping
