from decimal import Decimal

import pytest

from giagen.core.definitions import AMOUNT, COUNT
from giagen.core.numbers import PRINTED, BadValue, format_value, parse_value


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("４", 4),
        ("12件", 12),
        ("1,234", 1234),
        ("　0　", 0),
        (" 7 ", 7),
        ("", 0),
        (3.0, 3),
        ("17个", 17),
        ("+16", 16),
        ("-32", -32),
        (None, None),
        (5, 5),
    ],
)
def test_counts_are_read_as_people_write_them(raw, expected):
    assert parse_value(raw, COUNT) == expected


@pytest.mark.parametrize("raw", ["—", "/", "无", "－"])
def test_does_not_apply_as_printed(raw):
    assert parse_value(raw, COUNT, PRINTED) is None


@pytest.mark.parametrize("raw", ["abc", "1.5", "4 5", True, "十二"])
def test_what_is_no_whole_number_is_refused(raw):
    with pytest.raises(BadValue):
        parse_value(raw, COUNT)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("20 万元", Decimal("20")),
        ("6350.86 万元", Decimal("6350.86")),
        ("174360元", Decimal("17.436")),
        ("35600万元", Decimal("35600")),
        (35600, Decimal("35600")),
        (0.5, Decimal("0.5")),
        ("0", Decimal(0)),
        ("1,000.50", Decimal("1000.5")),
    ],
)
def test_amounts_in_wan(raw, expected):
    assert parse_value(raw, AMOUNT) == expected


def test_amount_refuses_words():
    with pytest.raises(BadValue):
        parse_value("二十万", AMOUNT)


def test_format():
    assert format_value(16, "signed") == "+16"
    assert format_value(-32, "signed") == "-32"
    assert format_value(None) == "—"
    assert format_value(Decimal("20.00"), AMOUNT) == "20"
