"""The status board of a round: one row per unit — missing, blank, wrong year, errors, ready."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.identity import name_key
from .roster import Member, Roster
from .units import (
    ERRORS as FILE_ERRORS,
)
from .units import (
    OK,
    OWN,
    Unit,
)
from .units import (
    UNFILLED as FILE_UNFILLED,
)
from .units import (
    UNREADABLE as FILE_UNREADABLE,
)
from .units import WARNINGS as FILE_WARNINGS

MISSING, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS, READY = (
    "未报送",
    "未填写",
    "年度不符",
    "有错误",
    "有警告",
    "可发布",
)
UNREADABLE, UNMATCHED = "无法读取", "无法对应"
STATUSES = (MISSING, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS, READY)
NEEDS_ACTION = (MISSING, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS)


@dataclass
class Row:
    """A line of the board: a unit and its status, or a file that belongs to no unit."""

    unit: str  # the unit's name; "" for a file that matches none
    status: str
    file: str = ""
    record: Unit | None = None
    late: bool = False
    received: str = ""  # when the current file arrived (its modification time)
    superseded: list[str] = field(default_factory=list)
    member: Member | None = None
    reason: str = ""  # for a file row: why it belongs to no unit
    name: str = ""  # the unit's file name in units/ and notices/

    @property
    def findings(self) -> list:
        """The findings of the file that counts for this unit."""
        return self.record.findings if self.record else []

    @property
    def errors(self) -> int:
        """How many of them are errors."""
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many of them are warnings."""
        return sum(f.severity == "warning" for f in self.findings)


def assemble(
    units: list[Unit],
    mtimes: dict[str, float],
    roster: Roster | None,
    year: int | None,
    deadline: dt.date | None,
    today: dt.date | None = None,
) -> list[Row]:
    """Every unit with exactly one status, then every file that belongs to none."""
    today = today or dt.date.today()
    files = [u for u in units if u.kind != OWN]
    if roster is None:
        roster = _implied(files)
    by_member: dict[str, list[Unit]] = {}
    loose: list[Row] = []
    for u in files:
        member, candidates = roster.match(u.agency or "") if u.agency else (None, [])
        if member is None and (u.kind == FILE_UNREADABLE or not u.agency):
            member, _ = roster.match(
                Path(u.source).stem
            )  # a file we cannot read: its name may say whose
        if member is not None:
            by_member.setdefault(member.name, []).append(u)
        elif u.kind == FILE_UNREADABLE:
            why = u.findings[0].message if u.findings else ""
            # the row names its file already: the message's own "path：" would say it twice
            loose.append(Row("", UNREADABLE, u.source, u, reason=why.removeprefix(f"{u.source}：")))
        else:
            why = (
                f"机关名称“{u.agency}”可能是：{'、'.join(m.name for m in candidates)}，无法确定"
                if candidates
                else f"机关名称“{u.agency or '（空）'}”不在单位名单中"
            )
            loose.append(Row("", UNMATCHED, u.source, u, reason=why))
    rows = []
    for member in roster.members:
        mine = sorted(by_member.get(member.name, []), key=lambda u: mtimes.get(u.source, 0))
        if not mine:
            rows.append(
                Row(member.name, MISSING, member=member, late=bool(deadline and today > deadline))
            )
            continue
        current = mine[-1]
        received = dt.datetime.fromtimestamp(mtimes.get(current.source, 0))
        rows.append(
            Row(
                member.name,
                _status(current, year),
                current.source,
                current,
                late=bool(deadline and received.date() > deadline),
                received=received.strftime("%Y-%m-%d %H:%M"),
                superseded=[u.source for u in mine[:-1]],
                member=member,
            )
        )
    return rows + loose


def _status(u: Unit, year: int | None) -> str:
    if u.kind == FILE_UNFILLED:
        return UNFILLED
    if u.kind == FILE_UNREADABLE:
        return ERRORS
    if year is not None and u.year != year:
        return WRONG_YEAR
    return {FILE_ERRORS: ERRORS, FILE_WARNINGS: WARNINGS, OK: READY}[u.kind]


def _implied(files: list[Unit]) -> Roster:
    """Without a unit list, the units are the agencies the files name."""
    members, seen = [], set()
    for u in files:
        if u.agency and name_key(u.agency) not in seen:
            seen.add(name_key(u.agency))
            members.append(Member(u.agency))
    return Roster(members)


def counts(rows: list[Row]) -> dict[str, int]:
    """How many units have each status, then the files of no unit."""
    found = {s: sum(r.status == s for r in rows if r.unit) for s in STATUSES}
    for s in (UNREADABLE, UNMATCHED):
        n = sum(r.status == s for r in rows if not r.unit)
        if n:
            found[s] = n
    return found
