"""月度报送's first half: which month, and every lead unit's prefilled form to send out.

The forms are those ``form export`` writes (forms/export.py, the same bytes): one a lead unit,
all in one .zip with the names ``form export --each-unit`` gives them, or one unit's .xlsx. The
.zip is the same bytes every time for the same content: its entries sorted by name, each with
one fixed time.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from portal.forms import export, labels
from portal.model.portfolio import Portfolio
from portal.model.records import Month, Project

STAMP = (1980, 1, 1, 0, 0, 0)  # the zip format's first day, as formfile.py stamps a workbook's parts


@dataclass(frozen=True)
class Listed:
    """A project on a unit's form: 序号, name, and how a co-led one is filed ("" when not co-led)."""

    seq: int
    name: str
    note: str


@dataclass(frozen=True)
class Unit:
    name: str
    projects: tuple[Listed, ...]


def default(portfolio: Portfolio) -> Month | None:
    """The month after the newest one reported in the current year (December stays December);
    with none reported yet, the month reporting began, else January. None without projects."""
    year = portfolio.current_year
    if year is None:
        return None
    reported = [r.period for p in portfolio.of_year(year) for r in portfolio.reports.get(p.id, ())]
    if reported:
        newest = max(reported)
        return newest.next() if newest.month < 12 else newest
    start = Month.parse(portfolio.config.reporting_from) if portfolio.config.reporting_from else None
    return start if start is not None and start.year == year else Month(year, 1)


def months(portfolio: Portfolio) -> tuple[tuple[int, tuple[Month, ...]], ...]:
    """Every month of each year that has a project list, newest year first."""
    return tuple((year, tuple(Month(year, m) for m in range(1, 13))) for year in portfolio.years)


def units(portfolio: Portfolio, period: Month) -> tuple[Unit, ...]:
    """Each lead unit of the period's year with the projects on its form, a co-led one noted."""
    projects = export.select(portfolio, period, None)
    return tuple(
        Unit(unit, tuple(Listed(p.seq, p.name, _note(p, unit)) for p in projects if unit in p.units))
        for unit in export.units(portfolio, period)
    )


def _note(project: Project, unit: str) -> str:
    if len(project.units) < 2:
        return ""
    together = "、".join(project.units)
    if export.files(project, unit):
        return f"{together}共同牵头，由本单位汇总填报"
    return f"{together}共同牵头，由{labels.filer(project)}汇总填报，本表不填"


def zipped(portfolio: Portfolio, period: Month) -> tuple[str, bytes]:
    """Every lead unit's form in one .zip (its name, its bytes), as ``--each-unit`` names them."""
    forms = sorted(
        (export.export(portfolio, period, unit) for unit in export.units(portfolio, period)), key=lambda form: form.name
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for form in forms:
            entry = zipfile.ZipInfo(form.name, STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, form.data)
    return f"附件2-推进情况-{period}-各牵头单位.zip", out.getvalue()


def one(portfolio: Portfolio, period: Month, unit: str) -> tuple[str, bytes] | None:
    """One lead unit's form (its name, its bytes), or None when no unit of that year has the name."""
    if unit not in export.units(portfolio, period):
        return None
    form = export.export(portfolio, period, unit)
    return form.name, form.data
