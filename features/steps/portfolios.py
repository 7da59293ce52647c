"""Steps about electronic portfolios: the portfolio search, and the duplicate ebook orders of seed 000."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_bdd import given, parsers, then, when

from features.steps._alma import attempt, current_line, locate_record, mms_id_of, portfolios_of
from features.steps._types import EXTRA_TYPES


@dataclass(frozen=True)
class Record:
    """A record the librarian located, with its portfolios as they were then."""

    bib: dict
    portfolios: list[dict]

    def on(self, platform: str) -> dict:
        return next(p for p in self.portfolios if p["interface_name"] == platform)


def _portfolios(alma, mms_id: str) -> list[dict]:
    return alma.bib_portfolios(mms_id)["portfolio"]


def _code(alma, table: str, label: str) -> str:
    rows = alma.code_table(table)["row"]
    found = [r["code"] for r in rows if r["description"] == label]
    assert found, f"{label!r} is not in {table}: {[r['description'] for r in rows]}"
    return found[0]


def _librarian_order(alma, line_type: str, platform: str, access_model: str) -> dict:
    account = alma.vendor("GOBI")["account"][0]["code"]
    return {"owner": {"value": "MAIN"}, "type": {"value": line_type}, "vendor": {"value": "GOBI"},
            "vendor_account": account, "acquisition_method": {"value": "PURCHASE"},
            "price": {"sum": "150.00", "currency": {"value": "USD"}},
            "fund_distribution": [{"fund_code": {"value": "EBOOKS-GEN"}, "percent": "100"}],
            "access_provider": platform, "access_model": {"value": access_model}}


@given(parsers.parse('the librarian locates "{title}" in the Institution Zone'), target_fixture="record")
def locate(alma, title):
    bib = locate_record(alma, title)
    return Record(bib=bib, portfolios=_portfolios(alma, bib["mms_id"]))


@when(parsers.parse('the librarian orders it as a License Upgrade to "{model}" with "Assign inventory manually" '
                    '{ticked:YesNo}', extra_types=EXTRA_TYPES), target_fixture="outcome")
def order_license_upgrade(alma, record, model, ticked):
    body = _librarian_order(alma, "LICENSE_UPGRADE", "", _code(alma, "AccessModel", model))
    return attempt(alma, lambda: alma.order_from_bib(record.bib["mms_id"], body, assign_inventory_manually=ticked))


@when(parsers.parse('the librarian orders it again as an ebook on "{platform}" with "Assign inventory manually" '
                    '{ticked:YesNo}', extra_types=EXTRA_TYPES), target_fixture="outcome")
def order_again_same_platform(alma, record, platform, ticked):
    body = _librarian_order(alma, "E_BOOK_OT", platform, "3U")
    return attempt(alma, lambda: alma.order_from_bib(record.bib["mms_id"], body, assign_inventory_manually=ticked))


@when(parsers.parse('the librarian orders the "{platform}" portfolio from its Community Zone portfolio list'),
      target_fixture="outcome")
def order_from_portfolio_list(alma, record, platform):
    listed = alma.community_zone_portfolios(f"isbn~{record.bib['isbn']}")["portfolio"]
    chosen = next(p for p in listed if p["interface_name"] == platform)
    body = _librarian_order(alma, "E_BOOK_OT", platform, "1U")
    return attempt(alma, lambda: alma.order_from_community_portfolio(chosen["id"], body))


@then("no new portfolio is created for the record")
def no_new_portfolio(alma, record):
    now = _portfolios(alma, record.bib["mms_id"])
    assert [p["id"] for p in now] == [p["id"] for p in record.portfolios], now


@then(parsers.parse("the record has {count:d} portfolios"))
def portfolio_count(alma, record, count):
    assert len(_portfolios(alma, record.bib["mms_id"])) == count


@then(parsers.parse('the PO line is an additional PO line of the "{platform}" portfolio'))
def additional_line(alma, outcome, record, platform):
    portfolio = alma.portfolio(record.on(platform)["id"])
    assert portfolio["po_line"] == record.on(platform)["po_line"], "the portfolio's ordering PO line changed"
    assert outcome.po_line["number"] in portfolio["additional_po_line"], portfolio["additional_po_line"]


@then(parsers.parse('the "{platform}" portfolio shows the access model "{model}"'))
def shows_access_model(alma, record, platform, model):
    assert alma.portfolio(record.on(platform)["id"])["access_model"]["desc"] == model


@then("the PO line is linked to the record only, not to a portfolio")
def bib_only(alma, outcome, record):
    line = current_line(alma, outcome)
    assert mms_id_of(line) == record.bib["mms_id"] and portfolios_of(line) == [], line["portfolios"]


@then(parsers.parse('the "{platform}" portfolio is still ordered by its original PO line only'))
def keeps_single_line(alma, record, platform):
    portfolio = alma.portfolio(record.on(platform)["id"])
    assert (portfolio["po_line"], portfolio["additional_po_line"]) == (record.on(platform)["po_line"], [])


@then(parsers.parse('the record has a second portfolio on "{platform}" for the new PO line'))
def second_portfolio(alma, outcome, record, platform):
    now = _portfolios(alma, record.bib["mms_id"])
    new = [p for p in now if p["id"] not in {q["id"] for q in record.portfolios}]
    assert [(p["interface_name"], p["po_line"]) for p in new] == [(platform, outcome.po_line["number"])], new


@then("each portfolio of the record has its own PO line")
def one_line_each(alma, record):
    lines = [p["po_line"] for p in _portfolios(alma, record.bib["mms_id"])]
    assert all(lines) and len(set(lines)) == len(lines), lines


@then(parsers.parse("the PO line's portfolio is {origin:Origin}", extra_types=EXTRA_TYPES))
def portfolio_origin(alma, outcome, origin):
    line = current_line(alma, outcome)
    assert len(portfolios_of(line)) == 1, line["portfolios"]
    portfolio = alma.portfolio(portfolios_of(line)[0])
    same_platform = [p for p in alma.bib_portfolios(mms_id_of(line))["portfolio"]
                     if p["interface_name"] == portfolio["interface_name"]]
    assert len(same_platform) == 1, f"{len(same_platform)} portfolios on {portfolio['interface_name']}"
    if origin == "iz":
        assert portfolio["availability"]["desc"] == "Available", "the portfolio is new, not the existing one"
    else:
        assert portfolio["linked_to_cz"] == (origin == "cz") and portfolio["is_local"] == (origin == "local"), \
            {k: portfolio[k] for k in ("is_local", "linked_to_cz")}


@then(parsers.parse('the portfolio is on "{platform}"'))
def portfolio_platform(alma, outcome, platform):
    line = current_line(alma, outcome)
    assert alma.portfolio(portfolios_of(line)[0])["interface_name"] == platform


@then(parsers.re(r"the portfolio is (?P<availability>not yet available|available)"))
def portfolio_availability(alma, outcome, availability):
    line = current_line(alma, outcome)
    wanted = {"not yet available": "Not Available", "available": "Available"}[availability]
    assert alma.portfolio(portfolios_of(line)[0])["availability"]["desc"] == wanted


@then(parsers.parse('the PO line is linked to the record "{title}" only, not to a portfolio'))
def linked_to_record_only(alma, outcome, title):
    line = current_line(alma, outcome)
    assert alma.bib(mms_id_of(line))["title"] == title and portfolios_of(line) == [], line.get("portfolios")


@then(parsers.parse('Alma notes that the "{platform}" portfolio is already ordered by another PO line, and names '
                    'that PO line'))
def portfolio_already_ordered(alma, outcome, platform):
    line = current_line(alma, outcome)
    portfolio = next(p for p in _portfolios(alma, mms_id_of(line)) if p["interface_name"] == platform)
    other = portfolio["po_line"]
    assert other and other != line["number"], f"the {platform} portfolio is ordered by {other!r}"
    notes = [a["desc"] for a in line.get("alert", []) if a["value"] == "PORTFOLIO_HAS_PO_LINE"]
    assert notes and other in notes[0], f"{line['number']} alerts: {line.get('alert')}"
