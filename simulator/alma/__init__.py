"""The simulated Alma: Community Zone, Network Zones, institutions and the complete real-time ordering engine.

Plain Python with no web framework inside it. `model` holds the world (a package, one module per aggregate);
`ordering` and `lifecycle` the librarian's and the vendor's operations; `funds` net prices, the three fund
checks, encumbering and fund transactions; `invoices` invoices and their workflow; `edi` the vendors' EDI
accounts (INVOIC in, ORDCHG out); `closing` how a PO line finishes; `queries` the searches and the In Review task list; `configuration`
what a librarian sets up; `alerts` the alerts a PO line can carry; `matching`, `normalization`, `validation`
and `portfolio_search` the registries (`registry`) users extend; `seed` builds a fresh world from `fixtures/`
and `snapshot` turns a world into JSON and back. `api` is Alma's HTTP face over all of them; nothing here
imports it.
"""
