"""The librarian's view as an ASGI application: pages and the librarian's actions on one `AlmaService`.

Owns the routes under /almasim/ui/, who may see and do what, and the actions (approve from In Review, cancel
with a reason, receive an item, activate a portfolio). Every action calls the domain's lifecycle — the same
engine the API's handlers call — under the service's lock; pages read the domain through
`simulator.ui.pages`. This is not Alma's API: it never goes through the wire, and its refusals are pages,
not error envelopes.

Access [decision]: the view is scoped to one institution by an API key, as a vendor's integration is. The
librarian signs in with a key (a form, or `?key=` on /almasim/ui/sign-in, which `almasim ui` prints); the key
is kept in a cookie (HttpOnly, SameSite=Strict). Pages show only that key's institution. A read-only key (or a
key without the acquisitions area) sees the pages without their buttons, and a post from it is refused (403).
Cross-site posts [decision]: every POST must carry an Origin (or, failing that, a Referer) of this very host;
anything else is refused (403) before it is read. With the SameSite=Strict cookie this is two locks on one door.
Imports starlette, jinja2, the domain (lifecycle, model), simulator.admin.journal (read) and this package.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from simulator.alma import lifecycle
from simulator.alma.model import ApiKey, Institution
from simulator.api.service import AlmaService
from simulator.errors import AlmaError, HarnessError
from simulator.ui import pages

__all__ = ["PREFIX", "COOKIE", "create_ui"]

PREFIX = "/almasim/ui"
COOKIE = "almasim_ui_key"
ACQUISITIONS = "acq"

_templates = Environment(loader=PackageLoader("simulator.ui", "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


class LibrarianView:
    """The pages and actions of the librarian's view on one service."""

    def __init__(self, service: AlmaService) -> None:
        self.service = service
        self.actions: deque[dict[str, str]] = deque(maxlen=2000)  # what librarians did here, newest last

    # -- who is looking --------------------------------------------------------------------------------------------
    def key_of(self, request: Request) -> ApiKey | None:
        key = request.cookies.get(COOKIE, "")
        return self.service.world.api_keys.get(key) if key else None

    def may_act(self, key: ApiKey) -> bool:
        return key.write and ACQUISITIONS in key.areas

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        key = self.key_of(request)
        inst = self.service.world.institutions.get(key.institution) if key else None
        html = _templates.get_template(template).render(
            base=PREFIX, institution=inst, may_act=bool(key and self.may_act(key)),
            done=request.query_params.get("done", ""), refused=request.query_params.get("refused", ""),
            watch=request.query_params.get("watch", ""), **values)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def signed_in(self, request: Request) -> tuple[ApiKey, Institution] | Response:
        key = self.key_of(request)
        if key is None or key.institution not in self.service.world.institutions:
            return RedirectResponse(f"{PREFIX}/sign-in", status_code=303)
        return key, self.service.world.institutions[key.institution]

    # -- pages -------------------------------------------------------------------------------------------------------
    async def sign_in(self, request: Request) -> Response:
        wanted = request.query_params.get("key", "")
        if request.method == "POST":
            refusal = self.cross_site(request)
            if refusal:
                return refusal
            wanted = dict(parse_qsl((await request.body()).decode("utf-8", "replace"))).get("key", "")
        if wanted:
            if wanted.strip() not in self.service.world.api_keys:
                return self.page(request, "sign_in.html", status=403, problem="This API key is not known here.")
            answer = RedirectResponse(f"{PREFIX}/review", status_code=303)
            answer.set_cookie(COOKIE, wanted.strip(), httponly=True, samesite="strict", path=PREFIX)
            return answer
        return self.page(request, "sign_in.html", problem="")

    async def sign_out(self, request: Request) -> Response:
        refusal = self.cross_site(request)
        if refusal:
            return refusal
        answer = RedirectResponse(f"{PREFIX}/sign-in", status_code=303)
        answer.delete_cookie(COOKIE, path=PREFIX)
        return answer

    async def home(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/review", status_code=303)

    async def review(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        return self.page(request, "review.html", lines=pages.in_review(inst), title="In Review")

    async def lines(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        return self.page(request, "lines.html", lines=pages.all_lines(inst), title="PO lines")

    async def line(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        number = request.path_params["number"]
        found = inst.po_lines.get(number)
        if found is None:
            return self.page(request, "message.html", status=404, title="No such PO line",
                             message=f"{inst.name} has no PO line {number}.")
        history = pages.history(self.service.journal.entries(institution=inst.code),
                                [a for a in self.actions if a["institution"] == inst.code], found)
        return self.page(request, "line.html", line=pages.po_line(self.service.world, inst, found, history),
                         title=f"PO line {number}")

    async def funds(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        return self.page(request, "funds.html", ledgers=pages.ledgers(inst), title="Funds")

    async def fund(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        fund = inst.funds.get(request.path_params["code"])
        if fund is None:
            return self.page(request, "message.html", status=404, title="No such fund",
                             message=f"{inst.name} has no fund {request.path_params['code']}.")
        return self.page(request, "fund.html", fund=pages.fund_row(fund),
                         transactions=pages.fund_transactions(inst, fund), title=f"Fund {fund.code}")

    async def portfolios(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        return self.page(request, "portfolios.html", titles=pages.titles_with_portfolios(inst), title="Portfolios")

    async def title_portfolios(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        found = pages.portfolio_map(self.service.world, inst, request.path_params["mms_id"])
        return self.page(request, "portfolio_map.html", map=found, title=f"Portfolios of {found['title']}")

    async def activity(self, request: Request) -> Response:
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        _, inst = who
        groups = pages.activity(self.service.journal.entries(institution=inst.code), inst)
        return self.page(request, "activity.html", groups=groups, title="Vendor activity")

    # -- actions -----------------------------------------------------------------------------------------------------
    def cross_site(self, request: Request) -> Response | None:
        """A POST from another site is refused: its Origin (or Referer) must name this host [decision]."""
        claimed = request.headers.get("origin") or request.headers.get("referer") or ""
        host = request.headers.get("host", "")
        if not claimed or claimed == "null" or urlsplit(claimed).netloc != host:
            return self.page(request, "message.html", status=403, title="Refused",
                             message="This form was not sent from this simulator's own pages, so nothing was done.")
        return None

    async def act(self, request: Request) -> Response:
        refusal = self.cross_site(request)
        if refusal:
            return refusal
        who = self.signed_in(request)
        if isinstance(who, Response):
            return who
        key, inst = who
        if not self.may_act(key):
            return self.page(request, "message.html", status=403, title="Read only",
                             message="This API key may read but not act: sign in with a read/write key.")
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        action = request.path_params["action"]
        number = request.path_params["number"]
        perform = self._actions().get(action)
        if perform is None:
            return self.page(request, "message.html", status=404, title="Unknown action",
                             message=f"There is no action {action!r} on a PO line.")
        back = form.get("back") or f"{PREFIX}/po-lines/{quote(number)}"
        if not back.startswith(PREFIX + "/"):
            back = f"{PREFIX}/po-lines/{quote(number)}"
        try:
            with self.service.lock:
                done = perform(inst, number, form)
        except (AlmaError, HarnessError) as refusal_:
            message = getattr(refusal_, "message", str(refusal_))
            return RedirectResponse(f"{back}{'&' if '?' in back else '?'}refused={quote(message)}", status_code=303)
        self.actions.append({"at": self.service.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
                             "institution": inst.code, "po_line": number, "text": f"{done} (librarian, here)"})
        return RedirectResponse(f"{back}{'&' if '?' in back else '?'}done={quote(done)}", status_code=303)

    def _actions(self) -> dict[str, Callable[[Institution, str, dict[str, str]], str]]:
        service = self.service

        def approve(inst: Institution, number: str, form: dict[str, str]) -> str:
            line = lifecycle.approve(service.world, inst.code, number, service.clock)
            return f"PO line {number} approved: now {pages.status_label(line.status)}"

        def cancel(inst: Institution, number: str, form: dict[str, str]) -> str:
            reason = form.get("reason", "")
            lifecycle.cancel(service.world, inst.code, number, reason, service.clock, comment=form.get("comment", ""),
                             inform_vendor=form.get("inform_vendor") == "yes")
            return f"PO line {number} cancelled: {inst.cancellation_reasons.get(reason, reason)}"

        def receive(inst: Institution, number: str, form: dict[str, str]) -> str:
            item = lifecycle.receive(service.world, inst.code, number, service.clock, item_id=form.get("item", ""))
            line = inst.po_lines[number]
            return f"Item {item.barcode or item.id} of PO line {number} received: line {pages.status_label(line.status)}"

        def activate(inst: Institution, number: str, form: dict[str, str]) -> str:
            portfolio_id = form.get("portfolio", "")
            line = inst.po_lines.get(number)
            if line is None or portfolio_id not in line.portfolio_ids:
                raise HarnessError(f"Portfolio {portfolio_id} is not a portfolio of PO line {number}.")
            lifecycle.activate_portfolio(service.world, inst.code, portfolio_id, service.clock)
            return f"Portfolio {portfolio_id} of PO line {number} activated: line {pages.status_label(line.status)}"

        return {"approve": approve, "cancel": cancel, "receive": receive, "activate": activate}


def create_ui(service: AlmaService) -> Starlette:
    """The librarian's view of `service`, to mount at /almasim/ui."""
    view = LibrarianView(service)
    routes = [
        Route("/", view.home), Route("/sign-in", view.sign_in, methods=["GET", "POST"]),
        Route("/sign-out", view.sign_out, methods=["POST"]),
        Route("/review", view.review), Route("/po-lines", view.lines), Route("/po-lines/{number}", view.line),
        Route("/po-lines/{number}/{action}", view.act, methods=["POST"]),
        Route("/funds", view.funds), Route("/funds/{code}", view.fund),
        Route("/portfolios", view.portfolios), Route("/titles/{mms_id}/portfolios", view.title_portfolios),
        Route("/activity", view.activity),
    ]
    app = Starlette(routes=routes)
    app.state.view = view
    return app
