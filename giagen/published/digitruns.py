"""Figures that ran together when a table was flattened (`20 0 00 0 121`): split the way the
table's own arithmetic allows, when exactly one way does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

MAX_TRIED = 200_000  # splits looked at for one row, at the most
# and for one document: some 2.5 µs a split (23 rows of 79 digits each took 11 s)
MAX_TRIED_DOCUMENT = 400_000


def splits(runs: list[str], count: int) -> Iterator[list[int]]:
    """Every way to read the digit `runs` as `count` whole numbers, in order: each run gives one
    or more numbers, none written with a leading zero (`00` is two zeros)."""

    def pieces(run: str, n: int) -> Iterator[list[int]]:
        if n == 1:
            if len(run) == 1 or run[0] != "0":
                yield [int(run)]
            return
        for cut in range(1, len(run) - n + 2):
            head = run[:cut]
            if len(head) > 1 and head[0] == "0":
                break
            for rest in pieces(run[cut:], n - 1):
                yield [int(head), *rest]

    def walk(i: int, left: int) -> Iterator[list[int]]:
        if i == len(runs):
            if left == 0:
                yield []
            return
        later = len(runs) - i - 1  # each later run gives at least one number
        most = min(len(runs[i]), left - later)
        least = max(1, left - sum(len(r) for r in runs[i + 1 :]))
        for n in range(least, most + 1):
            for head in pieces(runs[i], n):
                for rest in walk(i + 1, left - n):
                    yield head + rest

    yield from walk(0, count)


def readings(
    runs: list[str],
    count: int,
    holds: Callable[[list[int]], bool],
    most: int = 3,
    left: list[int] | None = None,
) -> tuple[list[list[int]], bool]:
    """The splits of `runs` into `count` numbers for which `holds` (the table's arithmetic) is
    true, at most `most` of them (more than one means the row cannot be read for certain); and
    whether every split was looked at (when not, one found is no proof that it is the only).
    `left`: how many splits the document may still look at, one list for all its rows."""
    found, limit = [], MAX_TRIED if left is None else min(MAX_TRIED, left[0])
    tried, complete = 0, True
    for numbers in splits(runs, count):
        if tried >= limit:
            complete = False
            break
        tried += 1
        if holds(numbers):
            found.append(numbers)
            if len(found) >= most:
                break
    if left is not None:
        left[0] -= tried
    return found, complete


def parts_and_total(width: int) -> Callable[[list[int]], bool]:
    """The arithmetic of rows made of groups of `width` numbers, each group's last their total
    (三: six applicants and 总计; 四: four results and 总计, three times)."""

    def holds(numbers: list[int]) -> bool:
        return all(
            sum(numbers[i : i + width - 1]) == numbers[i + width - 1]
            for i in range(0, len(numbers), width)
        )

    return holds
