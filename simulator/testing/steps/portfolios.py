"""Steps about electronic portfolios: the portfolio search, and the duplicate ebook orders of seed 000."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._alma import attempt, current_line, locate_record, mms_id_of, portfolios_of
from simulator.testing.steps._types import EXTRA_TYPES


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
    """The order form the librarian fills after clicking Order: the first library, the fund with most money left
    for it, GOBI as the vendor, purchase at 150.00 USD."""
    owner = alma.libraries()["library"][0]["code"]
    funds = alma.funds(mode="POL", library=owner)["fund"]
    fund = max(funds, key=lambda f: Decimal(str(f["available_balance"])))["code"]
    account = alma.vendor("GOBI")["account"][0]["code"]
    return {"owner": {"value": owner}, "type": {"value": line_type}, "vendor": {"value": "GOBI"},
            "vendor_account": account, "acquisition_method": {"value": "PURCHASE"},
            "price": {"sum": "150.00", "currency": {"value": "USD"}},
            "fund_distribution": [{"fund_code": {"value": fund}, "percent": "100"}],
            "access_provider": platform, "access_model": {"value": access_model}}


@dataclass(frozen=True)
class CommunityRecord:
    """A record the librarian located in the Community Zone, with its Portfolio List (one portfolio per platform)."""

    mms_id: str
    title: str
    portfolio_list: list[dict]


@given(parsers.parse('the librarian locates "{title}" in the Institution Zone'), target_fixture="record")
def locate(alma, title):
    bib = locate_record(alma, title)
    return Record(bib=bib, portfolios=_portfolios(alma, bib["mms_id"]))


@given(parsers.parse('the librarian locates "{title}" in the Community Zone'), target_fixture="community_record")
def locate_in_community_zone(alma, title):
    found = [p for p in alma.community_zone_portfolios(f"title~{title}")["portfolio"]
             if p["resource_metadata"]["title"] == title]
    records = {p["resource_metadata"]["mms_id"]["value"] for p in found}
    assert len(records) == 1, f"the Community Zone has {len(records)} records titled {title!r}"
    return CommunityRecord(mms_id=records.pop(), title=title, portfolio_list=found)


@when(parsers.parse('the librarian clicks Order and assigns the PO line type "License Upgrade" and the access model '
                    '"{model}", with "Assign inventory manually" {ticked:YesNo}', extra_types=EXTRA_TYPES),
      target_fixture="outcome")
def order_license_upgrade(alma, record, model, ticked):
    body = _librarian_order(alma, _code(alma, "PurchaseType", "License Upgrade"), "",
                            _code(alma, "AccessModel", model))
    return attempt(alma, lambda: alma.order_from_bib(record.bib["mms_id"], body, assign_inventory_manually=ticked))


@when(parsers.parse('the librarian clicks Order and creates an ebook order on "{platform}", with "Assign inventory '
                    'manually" {ticked:YesNo}', extra_types=EXTRA_TYPES), target_fixture="outcome")
def order_again_same_platform(alma, record, platform, ticked):
    body = _librarian_order(alma, "E_BOOK_OT", platform, _code(alma, "AccessModel", "3 concurrent users"))
    return attempt(alma, lambda: alma.order_from_bib(record.bib["mms_id"], body, assign_inventory_manually=ticked))


@when(parsers.parse('the librarian clicks Portfolio List, finds "{platform}" and clicks Order'),
      target_fixture="outcome")
def order_from_portfolio_list(alma, community_record, platform):
    listed = [p for p in community_record.portfolio_list if p["interface_name"] == platform]
    assert listed, f"the Portfolio List has {[p['interface_name'] for p in community_record.portfolio_list]}"
    body = _librarian_order(alma, "E_BOOK_OT", platform, _code(alma, "AccessModel", "Single user"))
    return attempt(alma, lambda: alma.order_from_community_portfolio(listed[0]["id"], body))


@then("no new portfolio is created for the record")
def no_new_portfolio(alma, record):
    now = _portfolios(alma, record.bib["mms_id"])
    assert [p["id"] for p in now] == [p["id"] for p in record.portfolios], now


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


def _institution_record(alma, outcome, title: str) -> str:
    mms_id = mms_id_of(current_line(alma, outcome))
    assert alma.bib(mms_id)["title"] == title, f"the PO line is on {alma.bib(mms_id)['title']!r}"
    return mms_id


@then(parsers.parse('the institution\'s record "{title}" has a portfolio on "{first}" and one on "{second}"'))
def one_portfolio_per_platform(alma, outcome, title, first, second):
    platforms = sorted(p["interface_name"] for p in _portfolios(alma, _institution_record(alma, outcome, title)))
    assert platforms == sorted([first, second]), platforms


@then("each of the record's portfolios has its own PO line")
def one_line_each(alma, outcome):
    lines = [p["po_line"] for p in _portfolios(alma, mms_id_of(current_line(alma, outcome)))]
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
