from giagen.core import definitions as d


def test_row_counts_match_the_format():
    assert len(d.EDITION_2019.request_lines) == 23
    assert len(d.EDITION_2021.request_lines) == 25
    assert [b.heading for b in d.EDITION_2019.blocks][-1] == "第二十条第（九）项"
    assert len(d.EDITION_2021.blocks) == 4


def test_ids_are_those_of_the_interface():
    ids_2021 = [ln.id for ln in d.EDITION_2021.request_lines]
    assert ids_2021[:4] == ["new_received", "carried_over", "granted", "partially_granted"]
    assert ids_2021[-5:] == [
        "other_no_correction",
        "other_fee_unpaid",
        "other_other",
        "total",
        "carried_forward",
    ]
    assert "other" in [ln.id for ln in d.EDITION_2019.request_lines]
    assert [f.id for f in d.REQUEST_FIELDS] == [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    ]
    assert [ln.id for ln in d.EDITION_2019.proactive_lines] == [
        "rules",
        "normative_documents",
        "licensing",
        "other_services",
        "penalty",
        "enforcement",
        "admin_fees",
        "procurement",
    ]


def test_result_rows_are_everything_between_two_and_seven():
    results = [ln.id for ln in d.EDITION_2021.result_lines]
    assert results[0] == "granted" and results[-1] == "other_other" and len(results) == 21


def test_edition_follows_year():
    assert d.edition_for_year(2020).id == "2019"
    assert d.edition_for_year(2021).id == "2021"
