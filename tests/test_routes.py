"""Every route of the site, requested as every role and as an anonymous visitor, for reading
(GET, and GET as htmx) and for writing (POST), with the ids of objects that belong to the viewer
and to somebody else, compared with the access rules (SPEC §7).

The route level is ``ROUTES`` in ``salesrelay.people.access``; the object level is stated below,
by hand, for the small organisation of the fixture: which clients, deals and statements each
login may read and write. Each request runs in a transaction that is rolled back, so that what
one request changes cannot change what the next one is allowed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from salesrelay.clients.actions import create_prospect
from salesrelay.compensation.actions import calculate_period, raise_dispute
from salesrelay.compensation.models import PayoutLine, PlanVersion, Statement
from salesrelay.compensation.plans import load_plan
from salesrelay.deals.actions import win_deal
from salesrelay.engine.periods import Month
from salesrelay.finance.models import FixedCost, Target
from salesrelay.imports.choices import JobStatus
from salesrelay.imports.models import ImportJob
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.actions import record_payment
from salesrelay.people.access import ADMIN_NAMESPACE, ROUTES
from salesrelay.people.actions import create_token
from salesrelay.pipeline.actions import log_activity
from tests.conftest import PASSWORD

SUBJECTS = {  # login → access role; None: not signed in
    None: None, "anna": "hunter", "boris": "account_manager", "hanna": "head_acquisition",
    "mila": "head_accounts", "dora": "director", "ada": "accountant",
}
EVERYBODY = ["anna", "pavel", "boris", "vera", "hanna", "mila", "dora", "ada"]
CLIENTS = ["mine", "theirs", "pool", "won", "other_won"]
DEALS = ["open", "their_open", "deal", "other_deal"]

# What each login may do with each object of the fixture (routes that allow their role).
VISIBLE = {
    ("client", "read"): {
        "anna": {"mine", "pool", "won"}, "boris": {"won", "other_won"},
        "hanna": set(CLIENTS), "mila": {"won", "other_won"}, "dora": set(CLIENTS)},
    ("client", "write"): {
        "anna": {"mine"}, "boris": {"won"}, "hanna": {"mine", "theirs", "pool"},
        "mila": {"won", "other_won"}, "dora": set(CLIENTS)},
    ("client", "claim"): {"anna": {"pool"}},
    ("client", "assign"): {"mila": {"won", "other_won"}, "dora": {"won", "other_won"}},
    ("deal", "read"): {
        "anna": {"open", "deal"}, "boris": {"deal", "other_deal"}, "hanna": set(DEALS),
        "mila": {"deal", "other_deal"}, "dora": set(DEALS)},
    ("deal", "write"): {
        "anna": {"open"}, "boris": {"deal"}, "hanna": {"open", "their_open"},
        "mila": {"deal", "other_deal"}, "dora": set(DEALS)},
    ("pay", "read"): {
        "anna": {"anna"}, "boris": {"boris"}, "hanna": {"anna", "pavel", "hanna"},
        "mila": {"boris", "vera", "mila"}, "dora": set(EVERYBODY), "ada": set(EVERYBODY)},
    ("pay", "approve"): {  # statements and disputes: never one's own
        "hanna": {"anna", "pavel"}, "mila": {"boris", "vera"},
        "dora": set(EVERYBODY) - {"dora"}, "ada": {"dora"}},
    ("pay", "dispute"): {login: {login} for login in SUBJECTS if login},
    ("payment", "read"): {login: {"paid", "other_paid"} for login in ["boris", "mila", "dora", "ada"]},
    ("activity", "read"): {
        "anna": {"call_mine", "call_won"}, "boris": {"call_won"}, "hanna": {"call_mine", "call_won"},
        "mila": {"call_won"}, "dora": {"call_mine", "call_won"}},
    # Ticking a task done: one's own only, whoever one is.
    ("activity", "complete"): {"anna": {"call_mine"}, "boris": {"call_won"}},
    ("token", "revoke"): {"anna": {"anna"}},
    # Imports: whoever may import sees and applies everybody's (the same company's data).
    ("import", "read"): {"dora": {"dora_job", "ada_job"}, "ada": {"dora_job", "ada_job"}},
    ("import", "write"): {"dora": {"dora_job", "ada_job"}, "ada": {"dora_job", "ada_job"}},
    ("team", "reassign"): {
        "hanna": {"anna", "pavel", "hanna"}, "mila": {"boris", "vera", "mila"},
        "dora": set(EVERYBODY) - {"dora", "ada"}},
}
POSTED = {"pipeline:move": {"stage": "proposal"}}  # what a write sends besides its URL
DELETED = {"api:token-detail"}  # routes whose write is a DELETE
OBJECTS = {  # route → (kind of object in its URL, what the route does with it)
    "clients:card": ("client", "read"),
    "clients:claim": ("client", "claim"),
    "clients:assign": ("client", "assign"),
    "clients:add_contact": ("client", "write"),
    "pipeline:log_activity": ("client", "write"),
    "deals:new": ("client", "write"),
    "deals:detail": ("deal", "read"),
    "deals:add_line": ("deal", "write"),
    "deals:remove_line": ("deal", "write"),
    "deals:add_cost": ("deal", "write"),
    "deals:close": ("deal", "write"),
    "pipeline:move": ("deal", "write"),
    "pipeline:mark_done": ("activity", "complete"),
    "compensation:statement": ("pay", "read"),
    "compensation:approve_statement": ("pay", "approve"),
    "compensation:dispute": ("pay", "dispute"),
    "compensation:resolve": ("pay", "approve"),
    "clients:reassign": ("team", "reassign"),
    "imports:job": ("import", "read"),
    "imports:progress": ("import", "read"),
    "imports:apply": ("import", "write"),
    # The API
    "api:client-detail": ("client", "read"),
    "api:client-claim": ("client", "claim"),
    "api:client-assign": ("client", "assign"),
    "api:client-contacts": ("client", "write"),
    "api:deal-detail": ("deal", "read"),
    **{f"api:deal-{verb}": ("deal", "write")
       for verb in ("lines", "costs", "move", "win", "lose", "cancel")},
    "api:payment-detail": ("payment", "read"),
    "api:activity-detail": ("activity", "read"),
    "api:employee-detail": ("pay", "read"),
    "api:line-detail": ("pay", "read"),
    "api:statement-detail": ("pay", "read"),
    "api:statement-approve": ("pay", "approve"),
    "api:dispute-detail": ("pay", "read"),
    "api:dispute-resolve": ("pay", "approve"),
    "api:token-detail": ("token", "revoke"),
    "people:revoke_token": ("token", "revoke"),
}
# What a route's URL names, for the routes whose objects are the same for everybody.
SHARED = {"api:material-detail": "material", "api:target-detail": "target",
          "api:fixed-cost-detail": "fixed_cost", "api:plan-detail": "plan"}
# The same for the pages: (what the URL names, its URL keyword and attribute).
SHARED_PAGES = {"finance:remove_target": ("target", "pk"),
                "finance:remove_fixed_cost": ("fixed_cost", "pk"),
                "materials:file": ("material", "ref"), "people:leave": ("leaver", "ref")}
PLAN = """
[[plans]]
id = "everyone"
roles = ["hunter", "account_manager", "head", "director", "accountant"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
"""


def _routes(resolver=None, namespace=""):
    """(name, URL pattern) of every named route, the admin's apart."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def site_routes():
    return {name: p for name, p in _routes() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def test_every_route_has_a_rule_and_every_rule_a_route():
    assert sorted(site_routes()) == sorted(ROUTES)


@pytest.fixture
def world(org, company):
    people, objects = org
    people["vera"] = company.manager("Vera", username="vera", password=PASSWORD)
    other = company.prospect("Pavel's Won", people["other_hunter"])
    other_deal = company.deal(other, people["other_hunter"])
    win_deal(other_deal, acting_user=None, won_on=date(2026, 2, 1), account_manager=people["vera"])
    pool = create_prospect(name="Nobody's Prospect", segment="dealer", hunter=None,
                           acting_user=None, created_on=date(2026, 1, 10))
    their_open = company.deal(objects["theirs"], people["other_hunter"])
    load_plan(PLAN, actor=None)
    calculate_period(Month(2026, 2))
    logins = {e.user.username: e for e in people.values() if e.user_id}
    lines = {login: PayoutLine.objects.filter(employee=e).first() for login, e in logins.items()}
    disputes = {login: raise_dispute(line, employee=line.employee, comment="why?", actor=None)
                for login, line in lines.items()}
    statements = {login: Statement.objects.get(employee=e) for login, e in logins.items()}
    payments = {
        "paid": record_payment(deal=objects["deal"], amount=D("100.00"),
                               received_on=date(2026, 2, 5), acting_user=None),
        "other_paid": record_payment(deal=other_deal, amount=D("100.00"),
                                     received_on=date(2026, 2, 5), acting_user=None)}
    calls = {key: log_activity(client=objects[client], employee=owner, kind="call",
                               acting_user=None, planned_on=date(2026, 3, 1))
             for key, client, owner in [("call_mine", "mine", people["hunter"]),
                                        ("call_won", "won", people["manager"])]}
    token, _text = create_token(people["hunter"].user)
    shared = {
        "material": SalesMaterial.objects.create(ref="CAT-1", title="Catalog", kind="catalog",
                                                 link="https://example.com/catalog.pdf"),
        "leaver": people["other_hunter"],
        "target": Target.objects.create(month=date(2026, 2, 1), metric="new_clients", value=10),
        "fixed_cost": FixedCost.objects.create(month=date(2026, 2, 1), category="rent",
                                               amount=D("1000.00")),
        "plan": PlanVersion.objects.get()}
    return {
        "client": {"mine": objects["mine"], "theirs": objects["theirs"], "pool": pool,
                   "won": objects["won"], "other_won": other},
        "deal": {"open": objects["open"], "their_open": their_open, "deal": objects["deal"],
                 "other_deal": other_deal},
        "employee": logins, "line": lines, "dispute": disputes, "statement": statements,
        "payment": payments, "activity": calls, "token": {"anna": token}, "shared": shared,
        # Finished imports: applying one again is refused with a message, nothing queued.
        "import": {f"{login}_job": ImportJob.objects.create(
            created_by=logins[login].user, files=["deals.csv"], status=JobStatus.DONE)
            for login in ("dora", "ada")},
    }


def _requests(name, pattern, world):
    """(object key or None, URL, what a write posts) for every object the route takes."""
    for key, url, *data in _urls(name, pattern, world):
        yield key, url, data[0] if data else POSTED.get(name, {})


API_KWARGS = {  # the kind of object of an API route → its URL keyword and the value to put
    "client": ("ref", "ref"), "deal": ("ref", "ref"), "payment": ("ref", "ref"),
    "activity": ("ref", "ref"), "employee": ("ref", "ref"), "line": ("pk", "pk"),
    "statement": ("pk", "pk"), "dispute": ("pk", "pk"), "token": ("token_key", "token_key"),
}
API_OBJECTS = {"api:employee-detail": "employee", "api:line-detail": "line",
               "api:statement-detail": "statement", "api:statement-approve": "statement",
               "api:dispute-detail": "dispute", "api:dispute-resolve": "dispute"}


def _api_urls(name, params, world):
    if name in SHARED:
        shared = world["shared"][SHARED[name]]
        (param,) = params
        return [(None, reverse(name, kwargs={param: getattr(shared, param, shared.pk)}))]
    if params == {"month"}:
        return [(None, reverse(name, kwargs={"month": "2026-02"}))]
    kind = API_OBJECTS.get(name) or OBJECTS[name][0]
    param, attribute = API_KWARGS[kind]
    return [(key, reverse(name, kwargs={param: getattr(obj, attribute)}))
            for key, obj in world[kind].items()]


def _urls(name, pattern, world):
    """(object key or None, URL) for every object the route takes."""
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    kind = OBJECTS.get(name, (None,))[0]
    if name == "deals:new":
        return [(key, f"{reverse(name)}?client={c.ref}") for key, c in world["client"].items()]
    if name == "clients:reassign":  # the leaver is named in the form
        return [(key, reverse(name), {"employee": e.ref}) for key, e in world["employee"].items()]
    if name == "compensation:period_action":
        return [(None, reverse(name, kwargs={"month": "2026-02", "action": a}))
                for a in ("calculate", "approve", "lock")]
    if name == "deals:close":
        return [(key, reverse(name, kwargs={"ref": d.ref, "outcome": "lost"}))
                for key, d in world["deal"].items()]
    if not params:
        return [(None, reverse(name))]
    if name in SHARED_PAGES:
        what, param = SHARED_PAGES[name]
        return [(None, reverse(name, kwargs={param: getattr(world["shared"][what], param)}))]
    if name.startswith("api:") or name == "people:revoke_token":
        return _api_urls(name, params, world)
    if kind == "client":
        return [(key, reverse(name, kwargs={"ref": c.ref})) for key, c in world["client"].items()]
    if kind == "deal":
        result = []
        for key, deal in world["deal"].items():
            kwargs = {"ref": deal.ref}
            if "line_id" in params:
                kwargs["line_id"] = deal.lines.first().pk
            result.append((key, reverse(name, kwargs=kwargs)))
        return result
    if name == "compensation:dispute":
        return [(key, reverse(name, kwargs={"pk": line.pk})) for key, line in world["line"].items()]
    if kind == "activity":
        return [(key, reverse(name, kwargs={"ref": a.ref})) for key, a in world["activity"].items()]
    if kind == "import":
        return [(key, reverse(name, kwargs={"pk": j.pk})) for key, j in world["import"].items()]
    if name == "compensation:resolve":
        return [(key, reverse(name, kwargs={"pk": d.pk})) for key, d in world["dispute"].items()]
    if params == {"month", "employee"}:
        return [(key, reverse(name, kwargs={"month": "2026-02", "employee": e.ref}))
                for key, e in world["employee"].items()]
    if params == {"month"}:
        return [(None, reverse(name, kwargs={"month": "2026-02"}))]
    raise AssertionError(f"route {name} takes {sorted(params)}: say which objects to try")


def expected(login, name, method, key) -> str:
    rule = ROUTES[name]
    action = "read" if method == "GET" else "write"
    allowed = rule.allowed(action)
    if not allowed:
        return "not allowed"
    if login is None:
        return "served" if rule.anonymous else "login"
    if SUBJECTS[login] not in allowed:
        return "denied"
    if key is None or name not in OBJECTS:
        return "served"
    return "served" if key in VISIBLE[OBJECTS[name]].get(login, set()) else "hidden"


def outcome(response) -> str:
    status = response.status_code
    if status == 302 and response.url.startswith("/login/") or status == 401:
        return "login"
    return {403: "denied", 404: "hidden", 405: "not allowed"}.get(
        status, "served" if status < 500 else f"error {status}")


@pytest.mark.parametrize("login", list(SUBJECTS), ids=[str(s) for s in SUBJECTS])
def test_every_route_as_every_role(client, world, login):
    if login is not None:
        assert client.login(username=login, password=PASSWORD)
    wrong = []
    for name, pattern in sorted(site_routes().items()):
        if name in ("logout", "login"):
            continue  # they change the session itself; their rules are checked below
        for key, url, data in _requests(name, pattern, world):
            for method, headers in (("GET", {}), ("GET", {"HTTP_HX_REQUEST": "true"}),
                                    ("POST", {})):
                with transaction.atomic():
                    if method == "GET":
                        got = outcome(client.get(url, **headers))
                    elif name in DELETED:
                        got = outcome(client.delete(url, **headers))
                    else:
                        got = outcome(client.post(url, data, **headers))
                    transaction.set_rollback(True)
                want = expected(login, name, method, key)
                if got != want:
                    wrong.append(f"{method} {url} {'htmx ' if headers else ''}→ {got}, "
                                 f"the rules say {want}")
    assert wrong == []


@pytest.mark.parametrize("login", list(SUBJECTS), ids=[str(s) for s in SUBJECTS])
def test_login_and_logout_as_every_role(client, world, login):
    assert outcome(client.get("/login/")) == "served"
    if login is not None:
        assert client.login(username=login, password=PASSWORD)
    assert outcome(client.get("/logout/")) == "not allowed"
    response = client.post("/logout/")
    assert (response.status_code, response.url) == (302, "/login/")
    assert outcome(client.get("/")) == "login"


ADMIN_PAGES = ["/admin/", "/admin/clients/client/", "/admin/people/employee/",
               "/admin/finance/target/add/", "/admin/deals/deal/"]


@pytest.mark.parametrize("login", list(SUBJECTS), ids=[str(s) for s in SUBJECTS])
def test_the_admin_is_the_directors_only(client, world, login):
    if login is not None:
        assert client.login(username=login, password=PASSWORD)
    got = []
    for url in ADMIN_PAGES:
        response = client.get(url)
        got.append("admin login" if response.status_code == 302
                   and response.url.startswith("/admin/login/") else response.status_code)
    assert got == [200 if login == "dora" else "admin login"] * len(ADMIN_PAGES)
