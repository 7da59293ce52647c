"""The librarian's view as an ASGI application: pages and the librarian's actions on one `AlmaService`.

Owns the routes under /almasim/ui/, who may see and do what, and the actions (approve from In Review, cancel
with a reason, receive an item, activate a portfolio, renew a line from the renewals task list). Every action
is one call through the edge every backend uses (`wire.serve` → `AlmaService.execute`), made with the
signed-in librarian's own API key by an `AlmaClient` over the in-process backend — an API call without the
bytes. So an action is admitted as an API call is (the key's scopes, strict mode, thresholds, injected faults),
it is in the request journal, and with `almasim serve --state FILE` it is in the durable command log before the
page says it is done. A refusal is the `AlmaError` Alma answers with, shown on the page as "Not done: …" with
Alma's own sentence. Pages read the domain through `simulator.ui.pages` (reads never change the world, so they
need not take the edge).
This is not Alma's API: its answers are pages, not error envelopes.

Access [decision]: the view is scoped to one institution by an API key, as a vendor's integration is. The
librarian signs in with a key (a form, or `?key=` on /almasim/ui/sign-in, which `almasim ui` prints); the key
is kept in a cookie (HttpOnly, SameSite=Strict). Pages show only that key's institution. A read-only key (or a
key without the acquisitions area) sees the pages without their buttons, and a post from it is refused (403).
Cross-site posts [decision]: every POST must carry an Origin (or, failing that, a Referer) of this very host;
anything else is refused (403) before it is read. With the SameSite=Strict cookie this is two locks on one door.
Imports starlette, jinja2, the domain model (read), simulator.backends (AlmaClient, the in-process backend),
simulator.admin.journal (read, through pages) and this package.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from simulator.admin.journal import LIBRARIAN
from simulator.alma.model import ApiKey, Institution, POLine
from simulator.api.service import AlmaService
from simulator.backends.base import AlmaClient
from simulator.backends.inprocess import InProcessBackend
from simulator.errors import AlmaError, HarnessError, NoAnswer
from simulator.ui import pages

__all__ = ["PREFIX", "COOKIE", "create_ui"]

PREFIX = "/almasim/ui"
COOKIE = "almasim_ui_key"
ACQUISITIONS = "acq"

_templates = Environment(loader=PackageLoader("simulator.ui", "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


Page = Callable[["LibrarianView", Request, Institution], Awaitable[Response]]


def _for_signed_in(page: Page) -> Callable[["LibrarianView", Request], Awaitable[Response]]:
    """A page shown to a signed-in librarian, for the institution of their key; anyone else goes to sign in."""

    @functools.wraps(page)
    async def shown(view: LibrarianView, request: Request) -> Response:
        who = view.signed_in(request)
        if isinstance(who, Response):
            return who
        return await page(view, request, who[1])

    return shown


class LibrarianView:
    """The pages and actions of the librarian's view on one service."""

    def __init__(self, service: AlmaService) -> None:
        self.service = service

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

    @_for_signed_in
    async def review(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "review.html", lines=pages.in_review(inst), title="In Review")

    @_for_signed_in
    async def lines(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "lines.html", lines=pages.all_lines(inst), title="PO lines")

    @_for_signed_in
    async def line(self, request: Request, inst: Institution) -> Response:
        number = request.path_params["number"]
        found = inst.po_lines.get(number)
        if found is None:
            return self.page(request, "message.html", status=404, title="No such PO line",
                             message=f"{inst.name} has no PO line {number}.")
        history = pages.history(self.service.journal.entries(institution=inst.code), found)
        return self.page(request, "line.html", line=pages.po_line(self.service.world, inst, found, history),
                         title=f"PO line {number}")

    @_for_signed_in
    async def funds(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "funds.html", ledgers=pages.ledgers(inst), title="Funds")

    @_for_signed_in
    async def fund(self, request: Request, inst: Institution) -> Response:
        fund = inst.funds.get(request.path_params["code"])
        if fund is None:
            return self.page(request, "message.html", status=404, title="No such fund",
                             message=f"{inst.name} has no fund {request.path_params['code']}.")
        return self.page(request, "fund.html", fund=pages.fund_row(fund),
                         transactions=pages.fund_transactions(inst, fund), title=f"Fund {fund.code}")

    @_for_signed_in
    async def portfolios(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "portfolios.html", titles=pages.titles_with_portfolios(inst), title="Portfolios")

    @_for_signed_in
    async def title_portfolios(self, request: Request, inst: Institution) -> Response:
        found = pages.portfolio_map(self.service.world, inst, request.path_params["mms_id"])
        return self.page(request, "portfolio_map.html", map=found, title=f"Portfolios of {found['title']}")

    @_for_signed_in
    async def renewals(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "renewals.html", lines=pages.renewals_task_list(inst),
                         waiting=pages.waiting_for_renewal(inst), today=self.service.clock.now().date().isoformat(),
                         title="Renewals")

    @_for_signed_in
    async def claims(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "claims.html", lines=pages.claims_task_list(inst),
                         today=self.service.clock.now().date().isoformat(), title="Claims")

    @_for_signed_in
    async def letters(self, request: Request, inst: Institution) -> Response:
        return self.page(request, "letters.html", letters=pages.letters_sent(self.service.world, inst),
                         title="Letters")

    @_for_signed_in
    async def activity(self, request: Request, inst: Institution) -> Response:
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
        alma = AlmaClient(InProcessBackend(service=self.service, institution=inst.code, api_key=key.key,
                                           caller=LIBRARIAN))
        try:
            # in a worker thread, as the in-process backend waits out an injected delay by sleeping; the domain
            # takes the institution's lock and a durable service its own, as for every API call
            done = await run_in_threadpool(perform, alma, number, form)
        except (AlmaError, HarnessError) as refusal_:
            message = getattr(refusal_, "message", str(refusal_))
            return RedirectResponse(f"{back}{'&' if '?' in back else '?'}refused={quote(message)}", status_code=303)
        except NoAnswer as lost:  # an injected dropped connection or a delay past the time-out [decision]
            message = f"{lost} Alma may have done it: look at the PO line."
            return RedirectResponse(f"{back}{'&' if '?' in back else '?'}refused={quote(message)}", status_code=303)
        return RedirectResponse(f"{back}{'&' if '?' in back else '?'}done={quote(done)}", status_code=303)

    def _line(self, number: str, code: str) -> tuple[Institution | None, POLine | None]:
        """The PO line as it is now (read after the call; the world may have been replaced meanwhile)."""
        inst = self.service.world.institutions.get(code)
        return inst, inst.po_lines.get(number) if inst else None

    def _actions(self) -> dict[str, Callable[[AlmaClient, str, dict[str, str]], str]]:
        """Each action: one call of Alma's API (or the simulator's librarian path where Alma has no REST one),
        then the sentence the page shows, read from the domain."""

        def status(alma: AlmaClient, number: str) -> str:
            _, line = self._line(number, alma.institution())
            return pages.status_label(line.status) if line else "gone"

        def approve(alma: AlmaClient, number: str, form: dict[str, str]) -> str:
            alma.approve_po_line(number)
            return f"PO line {number} approved: now {status(alma, number)}"

        def cancel(alma: AlmaClient, number: str, form: dict[str, str]) -> str:
            reason = form.get("reason", "")
            alma.cancel_po_line(number, reason, comment=form.get("comment") or None,
                                inform_vendor=form.get("inform_vendor") == "yes")
            inst, _ = self._line(number, alma.institution())
            return f"PO line {number} cancelled: {inst.cancellation_reasons.get(reason, reason) if inst else reason}"

        def receive(alma: AlmaClient, number: str, form: dict[str, str]) -> str:
            item_id = form.get("item", "")
            alma.receive_item(number, item_id or None)
            inst, _ = self._line(number, alma.institution())
            item = inst.items.get(item_id) if inst and item_id else None
            what = f"Item {item.barcode or item.id}" if item else "A new item"
            return f"{what} of PO line {number} received: line {status(alma, number)}"

        def activate(alma: AlmaClient, number: str, form: dict[str, str]) -> str:
            portfolio_id = form.get("portfolio", "")
            _, line = self._line(number, alma.institution())
            if line is None or portfolio_id not in line.portfolio_ids:
                raise HarnessError(f"Portfolio {portfolio_id} is not a portfolio of PO line {number}.")
            alma.activate_portfolio(portfolio_id)
            return f"Portfolio {portfolio_id} of PO line {number} activated: line {status(alma, number)}"

        def renew(alma: AlmaClient, number: str, form: dict[str, str]) -> str:
            alma.renew_po_line(number, renewal_date=form.get("renewal_date", "").strip() or None)
            _, line = self._line(number, alma.institution())
            when = line.draft.renewal_date.rstrip("Z") if line else "?"
            return f"PO line {number} renewed: it renews next on {when}, now {status(alma, number)}"

        return {"approve": approve, "cancel": cancel, "receive": receive, "activate": activate, "renew": renew}


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
        Route("/renewals", view.renewals), Route("/claims", view.claims), Route("/letters", view.letters),
    ]
    app = Starlette(routes=routes)
    app.state.view = view
    return app
