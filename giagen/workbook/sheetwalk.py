"""A sheet walked with lxml, as any conforming reader reads it: either namespace, any encoding, no DTD."""

from __future__ import annotations

from ..core.numbers import NO_VALUE
from .sheetxml import (
    MAIN_NAMESPACES,
    MAX_STRAYS,
    Sheets,
    _of_kind,
    column_letter,
    excel_text,
    split_ref,
)


def local(tag) -> str:
    """An element's name without its namespace (transitional and Strict alike)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _runs(si):
    """The `t` elements of a string item, leaving out phonetic runs (`rPh`)."""
    for child in si:
        name = local(child.tag)
        if name == "t":
            yield child
        elif name == "r":
            yield from (t for t in child.iter() if local(t.tag) == "t")


def item_text(si) -> str:
    """A string item's text (`si` of the shared strings, `is` of an inline string)."""
    return excel_text("".join(t.text or "" for t in _runs(si)))


_ROW_CELL = tuple(f"{{{ns}}}{tag}" for ns in MAIN_NAMESPACES for tag in ("row", "c"))


class DeclaredTypes(ValueError):
    """A DTD in a part: Excel never writes one, so the file was made or changed by something else."""


def _cells(z, part):
    """(row, column, reference, cell element) of every cell of a sheet, in order, memory bounded."""
    # lazy: lxml (~15 ms) only for a sheet the quick path cannot cut
    from lxml import etree

    row, col, first = 0, 0, True
    with z.open(part) as f:
        # lxml in C, no entities resolved, no DTD loaded, no network; only rows and cells
        # (of either namespace) raise events
        for event, el in etree.iterparse(
            f,
            events=("start", "end"),
            tag=_ROW_CELL,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        ):
            if first:
                first = False
                if el.getroottree().docinfo.doctype:
                    raise DeclaredTypes(part)
            if el.tag.endswith("}row"):
                if event == "start":
                    row, col = int(el.get("r") or row + 1), 0
                else:
                    el.clear()
                    while el.getprevious() is not None:  # what was read is let go
                        del el.getparent()[0]
                continue
            if event == "start":
                continue
            ref = el.get("r")
            if ref:
                row, col = split_ref(ref)
            else:
                col += 1
                ref = f"{column_letter(col)}{row}"
            yield row, col, ref, el


def _sheet(z, part, name, wanted: set[str], extent, strings, sheets: Sheets):
    max_row, max_col = extent
    values = sheets.values.setdefault(name, {})
    styles = sheets.styles.setdefault(name, {})
    for row, col, ref, el in _cells(z, part):
        if ref in wanted:
            values[ref] = _value(el, strings)[0]
            if el.get("s"):
                styles[ref] = el.get("s")
        elif (row > max_row or col > max_col) and len(sheets.strays) < MAX_STRAYS:
            value, formula = _value(el, strings)
            if value not in ("", None) and not formula:
                sheets.strays.append((name, ref, value))


def _value(c, strings) -> tuple[object, bool]:
    kind = c.get("t", "n")
    f = c.find("{*}f")
    v = c.find("{*}v")
    raw = v.text if v is not None else None
    if kind == "inlineStr":
        item = c.find("{*}is")
        return ("" if item is None else item_text(item)), f is not None
    if raw is None or raw == "":
        return (NO_VALUE if f is not None else ""), f is not None
    if kind == "s":
        index = int(raw)
        return (strings[index] if 0 <= index < len(strings) else ""), f is not None
    if kind == "str":
        raw = excel_text(raw)
    return _of_kind(kind, raw), f is not None
