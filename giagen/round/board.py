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

UNREADABLE, UNMATCHED = (
    "无法读取",
    "无法对应",
)  # a unit whose file cannot be read; a file of no unit
MISSING, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS, READY = (
    "未报送",
    "未填写",
    "年度不符",
    "有错误",
    "有警告",
    "可发布",
)
STATUSES = (MISSING, UNREADABLE, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS, READY)
NEEDS_ACTION = (MISSING, UNREADABLE, UNFILLED, WRONG_YEAR, ERRORS, WARNINGS)


@dataclass
class Row:
    """A line of the board: a unit and its status, or a file that belongs to no unit."""

    unit: str  # the unit's name; "" for a file that matches none
    status: str
    file: str = ""
    record: Unit | None = None
    late: bool = False
    received: str = ""  # when giagen first saw the current file
    superseded: list[str] = field(default_factory=list)
    member: Member | None = None
    reason: str = ""  # for a file row: why it belongs to no unit
    name: str = ""  # the unit's file name in units/ and notices/
    notes: list[str] = field(default_factory=list)  # what the unit must also be told, in Chinese
    confirmed: list = field(default_factory=list)  # warnings the coordinator confirmed as true

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
    seen: dict[str, float],
    roster: Roster | None,
    year: int | None,
    deadline: dt.date | None,
    today: dt.date | None = None,
    clock: dict[str, float] | None = None,
) -> list[Row]:
    """Every unit with exactly one status, then every file that belongs to none.

    `seen`: when giagen first saw each file, which decides the newest and the late; `clock`:
    files whose modification time lies in the future, with that time (it is said, never used).
    A file whose name names one unit while its workbook names another is held back: it
    counts for neither, and both units are told."""
    today = today or dt.date.today()
    files = [u for u in units if u.kind != OWN]
    if roster is None:
        roster = _implied(files)
    by_member: dict[str, list[Unit]] = {}
    notes: dict[str, list[str]] = {}
    held: dict[str, str] = {}  # a held-back file → the unit its name names
    loose: list[Row] = []
    for u in files:
        name = Path(u.source).name
        member, candidates = roster.match(u.agency or "") if u.agency else (None, [])
        named = roster.named_in(Path(u.source).stem)
        if member is not None and named is not None and member is not named:
            why = (
                f"文件名是“{named.name}”，工作簿中的机关名称却是“{member.name}”"
                "（可能填写了别的单位的工作簿而未改机关名称）；此文件暂不计入任何单位"
            )
            loose.append(Row("", UNMATCHED, u.source, u, reason=why))
            held[u.source] = named.name
            notes.setdefault(named.name, []).append(
                f"贵单位报送的 {name} 中，机关名称写的是“{member.name}”，未计入贵单位；"
                "请把 基本信息!B3 改为贵单位名称后重新报送"
            )
            notes.setdefault(member.name, []).append(
                f"文件 {name}（文件名是“{named.name}”）中的机关名称写的是贵单位，未计入；"
                "如确为贵单位的报告，请以本单位名义重新报送"
            )
            continue
        if member is None and (u.kind == FILE_UNREADABLE or not u.agency):
            member = named  # a file we cannot read: its name may say whose
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
    _same_bytes(by_member, loose, notes, held)
    rows = []
    for member in roster.members:
        mine = sorted(by_member.get(member.name, []), key=lambda u: seen.get(u.source, 0))
        if not mine:
            rows.append(
                Row(
                    member.name,
                    MISSING,
                    member=member,
                    late=bool(deadline and today > deadline),
                    notes=notes.get(member.name, []),
                )
            )
            continue
        current = mine[-1]
        received = dt.datetime.fromtimestamp(seen.get(current.source, 0))
        mine_notes = list(notes.get(member.name, []))
        if clock and current.source in clock:
            told = dt.datetime.fromtimestamp(clock[current.source])
            mine_notes.append(
                f"{Path(current.source).name} 的修改时间是 {told:%Y-%m-%d %H:%M}，晚于现在"
                f"（报送电脑的时钟可能不准），按 giagen 首次收到的时间 {received:%Y-%m-%d %H:%M} 计"
            )
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
                notes=mine_notes,
            )
        )
    return rows + loose


def _same_bytes(
    by_member: dict[str, list[Unit]], loose: list[Row], notes: dict[str, list[str]], held: dict
):
    """Units whose files are byte for byte the same as another unit's: each is told of the other
    (a held-back file speaks for the unit its name names)."""
    owners: dict[str, list[tuple[str, str]]] = {}
    for member, files in by_member.items():
        for u in files:
            owners.setdefault(u.digest, []).append((member, Path(u.source).name))
    for row in loose:
        if row.record is not None and row.record.digest in owners:
            owners[row.record.digest].append((held.get(row.file, ""), Path(row.file).name))
    for group in owners.values():
        if len({m for m, _ in group}) > 1:
            for member, name in group:
                if member:
                    others = "、".join(f"{n}（{m or '未计入'}）" for m, n in group if n != name)
                    notes.setdefault(member, []).append(
                        f"{name} 与 {others} 完全相同（逐字节一致），请确认报送的是本单位的文件"
                    )


def _status(u: Unit, year: int | None) -> str:
    if u.kind == FILE_UNFILLED:
        return UNFILLED
    if u.kind == FILE_UNREADABLE:
        return UNREADABLE
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
    """How many units have each status, then the files of no unit (无法读取 counts both kinds)."""
    found = {s: sum(r.status == s for r in rows) for s in STATUSES if s != UNREADABLE}
    for s in (UNREADABLE, UNMATCHED):
        n = sum(r.status == s for r in rows)
        if n:
            found[s] = n
    return found
