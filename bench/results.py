"""What a bench run measured for one size, the table of it, and bench/out/results.json."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

# (label, key) of the timed cases, in the table's order
SECONDS = (
    ("ours cold", "ours_cold"),
    ("ours warm (nothing changed)", "ours_warm"),
    ("ours cached (no output, cache full)", "ours_cached"),
    ("ours, a news post added (output present)", "ours_new_post"),
    ("ours, a post's body edited (output present)", "ours_edited_post"),
    ("ours, a month's reports added (output present)", "ours_new_month"),
    ("Pagefind alone on our output", "pagefind_alone"),
    ("serve: one edited post until served", "serve_edit"),
    ("serve: first build until served", "serve_first_build"),
    ("Hugo cold", "hugo_cold"),
    ("Pelican cold", "pelican_cold"),
)
CPU = (
    ("ours cold", "ours_cold"),
    ("ours cached", "ours_cached"),
    ("ours, a news post added", "ours_new_post"),
    ("ours, a post's body edited", "ours_edited_post"),
    ("ours, a month's reports added", "ours_new_month"),
    ("Pagefind alone", "pagefind_alone"),
    ("Hugo cold (uses both cores)", "hugo_cold"),
    ("Pelican cold", "pelican_cold"),
)
PEAKS = (
    ("ours_cold", "ours cold (largest process)"),
    ("ours_python", "ours cold, main Python process"),
    ("ours_warm", "ours warm (largest process)"),
    ("ours_new_post", "ours, a news post added"),
    ("ours_new_month", "ours, a month's reports added"),
    ("serve", "serve (whole session)"),
    ("hugo_cold", "Hugo cold"),
    ("pelican_cold", "Pelican cold"),
)
RATIOS = {
    "ours cold / Hugo cold": ("ours_cold", "hugo_cold"),
    "ours cold / Pelican cold": ("ours_cold", "pelican_cold"),
    "ours warm / Hugo cold": ("ours_warm", "hugo_cold"),
    "ours cached / Hugo cold": ("ours_cached", "hugo_cold"),
    "news post added / Hugo cold": ("ours_new_post", "hugo_cold"),
    "post's body edited / Hugo cold": ("ours_edited_post", "hugo_cold"),
    "month's reports added / Hugo cold": ("ours_new_month", "hugo_cold"),
    "serve edit / Hugo cold": ("serve_edit", "hugo_cold"),
}
CPU_RATIOS = {  # CPU time: steadier than wall time when other work shares the machine
    "CPU ours cold / Hugo cold": ("ours_cold", "hugo_cold"),
    "CPU ours cold / Pelican cold": ("ours_cold", "pelican_cold"),
}


@dataclass
class Result:
    size: str
    posts: int
    pages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    samples: dict[str, list[float]] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)
    # the output the changed-posts cases left against a whole build (see bench/incremental.py)
    verify: dict[str, object] = field(default_factory=dict)

    def ratios(self) -> dict[str, float]:
        s, c = self.seconds, self.cpu
        ratios = {name: s[a] / s[b] for name, (a, b) in RATIOS.items() if a in s and s.get(b)}
        ratios |= {name: c[a] / c[b] for name, (a, b) in CPU_RATIOS.items() if a in c and c.get(b)}
        return ratios


def verdict(result: Result) -> str:
    """The check of the changed-posts cases' output, in a table cell."""
    v = result.verify
    if not v:
        return "—"
    return "same" if v.get("identical") else f"DIFFERS ({v.get('different', '?')})"


def report(results: list[Result], info: dict[str, str]) -> str:
    width, cell = 48, 14
    lines = ["", "machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), ""]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<{width}}" + "".join(f"{v:>{cell}}" for v in values))

    def rows(table: tuple[tuple[str, str], ...], numbers: str, prefix: str = "", digits: int = 2) -> None:
        for label, key in table:
            cells = [getattr(r, numbers).get(key) for r in results]
            row(prefix + label, [f"{v:.{digits}f}" if v is not None else "—" for v in cells])

    row("median seconds", [f"{r.size} ({r.posts})" for r in results])
    lines.append("-" * (width + cell * len(results)))
    rows(SECONDS, "seconds")
    lines.append("")
    row("median CPU seconds (user + system)", ["" for r in results])
    rows(CPU, "cpu")
    row("load average before → after", [f"{r.load[0]:.1f} → {r.load[1]:.1f}" for r in results])
    lines.append("")
    for name in {name: None for r in results for name in r.ratios()}:
        row(name, [f"{r.ratios()[name]:.2f}×" if name in r.ratios() else "—" for r in results])
    lines.append("")
    rows(tuple((label, key) for key, label in PEAKS), "peak_mib", "peak MiB ", 0)
    for gen in ("ours", "hugo", "pelican"):
        row(f"HTML pages {gen}", [str(r.pages.get(gen, 0)) for r in results])
    row("changed-posts output = whole build", [verdict(r) for r in results])
    replaced = [f"{r.verify['replaced']} of {r.verify['builds']}" if r.verify else "—" for r in results]
    row("  builds that replaced the whole output", replaced)
    return "\n".join(lines)


def save(path: Path, results: list[Result], info: dict[str, str], repeat: int) -> None:
    """One entry a size, the newest run of each size kept."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        kept = []
    new = {r.size: asdict(r) | {"ratios": r.ratios(), "machine": info, "repeat": repeat} for r in results}
    merged = [entry for entry in kept if entry.get("size") not in new] + list(new.values())
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"results": merged}, ensure_ascii=False, indent=2), encoding="utf-8")


def print_saved(path: Path) -> int:
    """The table of every size in ``path``, smallest first."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        sys.exit("no bench/out/results.json yet: run bench/run.py first")
    fields = set(Result.__dataclass_fields__)
    results = [Result(**{k: v for k, v in entry.items() if k in fields}) for entry in saved]
    results.sort(key=lambda r: r.posts)
    info = next((entry["machine"] for entry in saved if "machine" in entry), {})
    print(report(results, info))
    return 0
