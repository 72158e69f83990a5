"""Who may read and who may write what (SPEC §7): the one module that knows the rules.

Two layers, both stated here:

- **Routes.** ``ROUTES`` names, for every page, partial and export of the site, the roles that may
  request it to read (GET) and to write (POST). ``RouteAccessMiddleware`` enforces it before any
  view runs; a route missing from the table is refused, and the route-by-route test fails.
- **Objects.** ``condition(viewer, Model, action)`` is the filter behind
  ``Model.objects.restrict(viewer, "read" | "write" | ...)``; views fetch every object through
  it, so an id that belongs to somebody else answers 404.

The rules in words:

- a hunter works their own prospects (and may claim one from the free pool); after the handoff a
  client and its deals belong to account management, and the hunter who brought it reads the card
  and the deals (to follow their first five) but writes nothing on it;
- an account manager reads the department's clients and works their own;
- a head reads and acts on their own department only (the head of acquisition: its prospects and
  the cards of the clients its hunters brought, read-only once handed over);
- the director reads and acts on everything; the accountant sees pay, periods and payments,
  nothing of the pipeline;
- pay: everybody reads their own statements, heads their department's, the director and the
  accountant everyone's. Nobody raises their own pay: a statement is approved, and a dispute on
  it resolved (with any manual adjustment), by someone else — heads approve their department's
  statements, the director the heads' (and the accountant's), the accountant the director's. A
  period is locked, by the accountant or the director, only when every statement is approved.
- the company's data pages: the director writes the targets, the fixed costs, the sales
  materials and the employees (hiring with a login; leaving, with the leaver's clients handed
  over); heads and the accountant read the targets and the fixed costs (the figures their pay
  and periods are calculated with); the sales roles read and download the materials (the
  accountant does not: nothing of the pipeline); the accountant reads the staff list (the
  payroll's people), heads have their Team page.

>>> sorted(ROUTES["compensation:simulate"].read)
['director', 'head_accounts', 'head_acquisition']
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponseNotAllowed
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission

from salesrelay.clients.models import Client, Segment
from salesrelay.compensation.models import Dispute, PayoutLine
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.imports.models import ImportJob
from salesrelay.notifications.models import Notification
from salesrelay.payments.models import Payment
from salesrelay.people.choices import AccessRole, Department, Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import Activity

log = logging.getLogger(__name__)

FREE_POOL = Q(owner__isnull=True, owning_department=Department.ACQUISITION,
              handed_off_on__isnull=True)
PROSPECT = Q(handed_off_on__isnull=True, owning_department=Department.ACQUISITION)


@dataclass(frozen=True)
class Viewer:
    user: object
    employee: Employee | None
    role: str | None
    department: str | None

    @property
    def access_role(self) -> str | None:
        """One of ``AccessRole``, or ``None`` for a login without an employee."""
        if self.role == Role.HEAD:
            heads: dict[str | None, str] = {Department.ACQUISITION: AccessRole.HEAD_ACQUISITION,
                                            Department.ACCOUNT_MANAGEMENT: AccessRole.HEAD_ACCOUNTS}
            return heads.get(self.department)
        return self.role if self.role in AccessRole.values else None

    def may(self, route: str, action: str = "read") -> bool:
        """Whether the route table lets this viewer's role request ``route``."""
        rule = ROUTES.get(route)
        return rule is not None and self.access_role in rule.allowed(action)

    @property
    def is_director(self) -> bool:
        return self.role == Role.DIRECTOR

    @property
    def is_hunter(self) -> bool:
        return self.role == Role.HUNTER

    @property
    def is_account_manager(self) -> bool:
        return self.role == Role.ACCOUNT_MANAGER

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD

    @property
    def works_acquisition(self) -> bool:
        return self.access_role in (AccessRole.HUNTER, AccessRole.HEAD_ACQUISITION,
                                    AccessRole.DIRECTOR)

    @property
    def works_accounts(self) -> bool:
        return self.access_role in (AccessRole.ACCOUNT_MANAGER, AccessRole.HEAD_ACCOUNTS,
                                    AccessRole.DIRECTOR)

    def team(self) -> QuerySet[Employee]:
        """The people whose clients this viewer assigns and hands over."""
        if self.is_director:
            return Employee.objects.filter(department__in=[Department.ACQUISITION,
                                                           Department.ACCOUNT_MANAGEMENT])
        if self.is_head:
            return Employee.objects.filter(department=self.department)
        return Employee.objects.none()

    def approves(self, employee: Employee) -> bool:
        """Whether this viewer approves ``employee``'s statements and resolves their disputes."""
        return Employee.objects.restrict(self, "approve").filter(pk=employee.pk).exists()

    def clients(self, action: str = "read") -> QuerySet[Client]:
        return Client.objects.restrict(self, action)

    def deals(self, action: str = "read") -> QuerySet[Deal]:
        return Deal.objects.restrict(self, action)

    def payment_clients(self) -> QuerySet[Client]:
        """The clients a payment may be recorded for."""
        return Client.objects.restrict(self, "pay")

    def owner_of_new_deal(self, client: Client) -> Employee | None:
        """Who owns a deal this viewer opens on ``client``: a hunter or an account manager owns
        their own; a head or the director opens it for the client's owner."""
        return self.employee if self.is_hunter or self.is_account_manager else client.owner


# Objects -------------------------------------------------------------------------------------------
def condition(viewer: Viewer, model, action: str) -> Q | None:
    """The filter of ``model`` rows that ``viewer`` may ``action``; ``None`` means none at all."""
    rule = _RULES.get((model, action))
    if rule is None:
        raise ValueError(f"no access rule for {model.__name__} / {action}")
    if viewer.access_role is None:
        return None
    if viewer.access_role == AccessRole.DIRECTOR and action not in _DIRECTOR_LIMITED:
        return Q()
    return rule(viewer)


def _client_read(viewer: Viewer) -> Q | None:
    me = viewer.employee
    match viewer.access_role:
        case AccessRole.HUNTER:
            return Q(owner=me) | Q(acquired_by=me) | FREE_POOL
        case AccessRole.HEAD_ACQUISITION:
            return Q(owning_department=Department.ACQUISITION) | Q(
                acquired_by__department=Department.ACQUISITION)
        case AccessRole.ACCOUNT_MANAGER | AccessRole.HEAD_ACCOUNTS:
            return Q(owning_department=Department.ACCOUNT_MANAGEMENT)
    return None


def _client_write(viewer: Viewer) -> Q | None:
    me = viewer.employee
    match viewer.access_role:
        case AccessRole.HUNTER:
            return PROSPECT & Q(owner=me)
        case AccessRole.HEAD_ACQUISITION:
            return PROSPECT
        case AccessRole.ACCOUNT_MANAGER:
            return Q(owning_department=Department.ACCOUNT_MANAGEMENT, owner=me)
        case AccessRole.HEAD_ACCOUNTS:
            return Q(owning_department=Department.ACCOUNT_MANAGEMENT)
    return None


def _client_pay(viewer: Viewer) -> Q | None:
    """Clients a payment may be recorded for: the accountant books any client that has been
    handed over or has a won deal; account management its own clients."""
    if viewer.access_role == AccessRole.ACCOUNTANT:
        won = Deal.objects.filter(client=OuterRef("pk"), status=DealStatus.WON)
        return Q(handed_off_on__isnull=False) | Q(Exists(won))
    if viewer.access_role in (AccessRole.ACCOUNT_MANAGER, AccessRole.HEAD_ACCOUNTS):
        return _client_write(viewer)
    return None


def _department_clients(department: str) -> Q:
    """Rows (deals, payments, activities) of the clients a department owns, as a check of each
    row's client rather than a join. A department's rows are most of a big table, and a list
    reads them in its own order until its page is full; joined to the clients, SQLite gathers
    and sorts all of them first (4 s instead of 20 ms for a page of 1.2M payments)."""
    return Q(Exists(Client.objects.filter(pk=OuterRef("client_id"), owning_department=department)))


def _deal_read(viewer: Viewer) -> Q | None:
    if viewer.access_role in (AccessRole.ACCOUNT_MANAGER, AccessRole.HEAD_ACCOUNTS):
        return _department_clients(Department.ACCOUNT_MANAGEMENT)
    clients = _client_read(viewer)
    if clients is None:
        return None
    result = _prefix(clients, "client__")
    if viewer.access_role == AccessRole.HUNTER:
        result |= Q(owner=viewer.employee)
    return result


def _deal_write(viewer: Viewer) -> Q | None:
    clients = _client_write(viewer)
    return None if clients is None else _prefix(clients, "client__")


def _payment_read(viewer: Viewer) -> Q | None:
    if viewer.access_role == AccessRole.ACCOUNTANT:
        return Q()
    if viewer.access_role in (AccessRole.ACCOUNT_MANAGER, AccessRole.HEAD_ACCOUNTS):
        return _department_clients(Department.ACCOUNT_MANAGEMENT)
    return None


def _pay_read(viewer: Viewer) -> Q | None:
    """Whose pay: everyone's for the accountant, the department's for a head, one's own."""
    if viewer.access_role == AccessRole.ACCOUNTANT:
        return Q()
    if viewer.is_head:
        return Q(department=viewer.department)
    return Q(pk=viewer.employee.pk) if viewer.employee is not None else None


def _pay_approve(viewer: Viewer) -> Q | None:
    """Whose statements this viewer approves (and whose disputes they resolve): never their own."""
    me = viewer.employee.pk if viewer.employee is not None else None
    match viewer.access_role:
        case AccessRole.DIRECTOR:
            return ~Q(pk=me) if me is not None else Q()
        case AccessRole.HEAD_ACQUISITION | AccessRole.HEAD_ACCOUNTS:
            return Q(department=viewer.department) & ~Q(role=Role.HEAD) & ~Q(pk=me)
        case AccessRole.ACCOUNTANT:
            return Q(role=Role.DIRECTOR) & ~Q(pk=me)
    return None


def _on_employee(rule):
    def prefixed(viewer: Viewer) -> Q | None:
        employees = rule(viewer)
        return None if employees is None else _prefix(employees, "employee__")
    return prefixed


def _own_lines(viewer: Viewer) -> Q | None:
    return Q(employee=viewer.employee) if viewer.employee is not None else None


def _activity_read(viewer: Viewer) -> Q | None:
    if viewer.access_role in (AccessRole.ACCOUNT_MANAGER, AccessRole.HEAD_ACCOUNTS):
        return _department_clients(Department.ACCOUNT_MANAGEMENT)
    clients = _client_read(viewer)
    # A check of each row's client, not a join (as _department_clients): joined, SQLite reads
    # every client's activities and sorts them all for a page of the list or a year of meetings.
    return None if clients is None else Q(Exists(Client.objects.filter(clients,
                                                                       pk=OuterRef("client_id"))))


def _own_tasks(viewer: Viewer) -> Q | None:
    """Ticking a task done: everyone their own only, the director and the heads too (a task
    that changes hands is passed on, not done for someone)."""
    return Q(employee=viewer.employee) if viewer.employee is not None else None


def _own_notifications(viewer: Viewer) -> Q | None:
    return Q(recipient=viewer.employee) if viewer.employee is not None else None


def approvers_of(employee: Employee, on: date | None = None) -> QuerySet[Employee]:
    """Who approves ``employee``'s statements and resolves their disputes, as ``_pay_approve``
    puts it the other way round, among those employed ``on``: the head of their department for
    hunters and account managers (the director where the department has no head), the director
    for heads and the management, the accountant for the director."""
    employed = Employee.objects.employed_on(on or date.today()).exclude(pk=employee.pk)
    if employee.role == Role.DIRECTOR:
        return employed.filter(role=Role.ACCOUNTANT)
    directors = employed.filter(role=Role.DIRECTOR)
    if employee.role == Role.HEAD or employee.department == Department.MANAGEMENT:
        return directors
    heads = employed.filter(role=Role.HEAD, department=employee.department)
    return heads if heads.exists() else directors


def _import_jobs(viewer: Viewer) -> Q | None:
    """Imports: the accountant sees and applies every one, the director's too (the director
    sees everything): it is the same company's data."""
    return Q() if viewer.access_role == AccessRole.ACCOUNTANT else None


def _everyone(viewer: Viewer) -> Q | None:
    return Q()


def _nobody(viewer: Viewer) -> Q | None:
    return None


_RULES = {
    # Segments: everyone with a role reads the list; the director (who writes everything) edits it.
    (Segment, "read"): _everyone,
    (Segment, "write"): _nobody,
    (Client, "read"): _client_read,
    (Client, "write"): _client_write,
    (Client, "pay"): _client_pay,
    (Deal, "read"): _deal_read,
    (Deal, "write"): _deal_write,
    (Payment, "read"): _payment_read,
    (Activity, "read"): _activity_read,
    (Activity, "complete"): _own_tasks,
    (Notification, "own"): _own_notifications,
    (Employee, "read"): _pay_read,
    (Employee, "approve"): _pay_approve,
    (PayoutLine, "read"): _on_employee(_pay_read),
    (PayoutLine, "dispute"): _own_lines,
    (Dispute, "read"): _on_employee(_pay_read),
    (Dispute, "resolve"): _on_employee(_pay_approve),
    (ImportJob, "read"): _import_jobs,
    (ImportJob, "write"): _import_jobs,
}
# The director reads and writes everything, but approves and disputes like anyone else.
_DIRECTOR_LIMITED = {"approve", "dispute", "resolve", "complete", "own"}


def _prefix(condition: Q, prefix: str) -> Q:
    """The same condition on a related model: ``Q(owner=x)`` becomes ``Q(client__owner=x)``."""
    result = Q()
    result.connector = condition.connector
    result.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_prefix(child, prefix))
        elif isinstance(child, tuple):
            key, value = child
            if isinstance(value, Exists):
                raise ValueError("an Exists condition cannot be moved to a related model")
            result.children.append((prefix + key, value))
        else:  # an expression such as Q(Exists(...)) names no field to prefix
            raise ValueError(f"the condition {child!r} cannot be moved to a related model")
    return result


# Routes --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """Who may request a route: ``read`` for GET and HEAD, ``write`` for POST. ``anonymous``: a
    visitor who is not signed in may too (the login page)."""

    read: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()
    anonymous: bool = False
    signed_in: bool = False  # any signed-in user, with a role or without

    def allowed(self, action: str) -> frozenset[str]:
        return self.read if action == "read" else self.write

    def for_method(self, method: str) -> frozenset[str]:
        """The roles that may request the route with ``method`` (GET and HEAD read)."""
        return self.allowed("read" if method in SAFE_METHODS else "write")

    def admits(self, viewer: Viewer, allowed: frozenset[str]) -> bool:
        return viewer.access_role in allowed or (self.signed_in and viewer.access_role is None)


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


R = AccessRole
EVERY_ROLE = _roles(*AccessRole.values)
SALES = _roles(R.HUNTER, R.ACCOUNT_MANAGER, R.HEAD_ACQUISITION, R.HEAD_ACCOUNTS, R.DIRECTOR)
ACQUISITION = _roles(R.HUNTER, R.HEAD_ACQUISITION, R.DIRECTOR)
ACCOUNTS = _roles(R.ACCOUNT_MANAGER, R.HEAD_ACCOUNTS, R.DIRECTOR)
HEADS = _roles(R.HEAD_ACQUISITION, R.HEAD_ACCOUNTS, R.DIRECTOR)
MONEY = _roles(R.ACCOUNT_MANAGER, R.HEAD_ACCOUNTS, R.DIRECTOR, R.ACCOUNTANT)
PAY_OFFICE = _roles(R.HEAD_ACQUISITION, R.HEAD_ACCOUNTS, R.DIRECTOR, R.ACCOUNTANT)
# Locking a period: only these roles, and only when every statement is approved.
LOCKS_PERIODS = _roles(R.DIRECTOR, R.ACCOUNTANT)
IMPORTERS = _roles(R.DIRECTOR, R.ACCOUNTANT)

ROUTES: dict[str, Rule] = {
    "home": Rule(read=EVERY_ROLE, signed_in=True),
    # The hunter's home card of what their open deals are worth, loaded after the page.
    "at_stake": Rule(read=_roles(R.HUNTER)),
    "login": Rule(read=EVERY_ROLE, write=EVERY_ROLE, anonymous=True, signed_in=True),
    "logout": Rule(write=EVERY_ROLE, anonymous=True, signed_in=True),
    "set_language": Rule(write=EVERY_ROLE, anonymous=True, signed_in=True),
    # The CRM
    "clients:list": Rule(read=SALES),
    "clients:new": Rule(read=ACQUISITION, write=ACQUISITION),
    "clients:portfolio": Rule(read=ACCOUNTS),
    "clients:team": Rule(read=HEADS),
    "clients:reassign": Rule(write=HEADS),
    "clients:segments": Rule(read=_roles(R.DIRECTOR), write=_roles(R.DIRECTOR)),
    "clients:card": Rule(read=SALES),
    "clients:claim": Rule(write=_roles(R.HUNTER)),
    "clients:assign": Rule(write=_roles(R.HEAD_ACCOUNTS, R.DIRECTOR)),
    "clients:add_contact": Rule(write=SALES),
    "pipeline:board": Rule(read=ACQUISITION),
    "pipeline:move": Rule(write=ACQUISITION),
    "pipeline:log_activity": Rule(write=SALES),
    "pipeline:mark_done": Rule(write=SALES),
    "deals:new": Rule(read=SALES, write=SALES),
    "deals:detail": Rule(read=SALES),
    "deals:add_line": Rule(write=SALES),
    "deals:remove_line": Rule(write=SALES),
    "deals:add_cost": Rule(write=SALES),
    "deals:close": Rule(write=SALES),
    "payments:list": Rule(read=MONEY),
    "payments:new": Rule(read=MONEY, write=MONEY),
    # The payment form's client field: the clients the viewer may book a payment for.
    "payments:clients": Rule(read=MONEY),
    "deals:list": Rule(read=SALES),
    "pipeline:activities": Rule(read=SALES),
    # The search box of every page: each kind restricted to what the viewer may read.
    "search": Rule(read=EVERY_ROLE),
    "materials:list": Rule(read=SALES),
    "materials:file": Rule(read=SALES),
    "materials:upload": Rule(read=_roles(R.DIRECTOR), write=_roles(R.DIRECTOR)),
    # The company's data: the director writes, heads and the accountant read.
    "finance:targets": Rule(read=PAY_OFFICE, write=_roles(R.DIRECTOR)),
    "finance:remove_target": Rule(write=_roles(R.DIRECTOR)),
    "finance:fixed_costs": Rule(read=PAY_OFFICE, write=_roles(R.DIRECTOR)),
    "finance:remove_fixed_cost": Rule(write=_roles(R.DIRECTOR)),
    "people:employees": Rule(read=_roles(R.DIRECTOR, R.ACCOUNTANT)),
    "people:hire": Rule(read=_roles(R.DIRECTOR), write=_roles(R.DIRECTOR)),
    "people:leave": Rule(read=_roles(R.DIRECTOR), write=_roles(R.DIRECTOR)),
    # Analytics (SPEC §4): each page shows the viewer's own slice; salesrelay/analytics/selectors.py
    # says which. Its CSV is the same route with ?format=csv.
    "analytics:index": Rule(read=PAY_OFFICE),
    "analytics:new_clients": Rule(read=_roles(R.HUNTER, *HEADS)),
    "analytics:funnel": Rule(read=ACQUISITION),
    "analytics:conversion": Rule(read=ACQUISITION),
    "analytics:order_value": Rule(read=_roles(R.ACCOUNT_MANAGER, *HEADS)),
    "analytics:collections": Rule(read=MONEY),
    "analytics:breakeven": Rule(read=EVERY_ROLE),
    "analytics:pay": Rule(read=EVERY_ROLE),
    "analytics:cohorts": Rule(read=_roles(R.HUNTER, *HEADS)),
    # Pay
    "compensation:home": Rule(read=EVERY_ROLE),
    "compensation:periods": Rule(read=PAY_OFFICE),
    "compensation:period": Rule(read=PAY_OFFICE),
    "compensation:xlsx": Rule(read=PAY_OFFICE),
    "compensation:period_action": Rule(write=PAY_OFFICE),
    "compensation:statement": Rule(read=EVERY_ROLE),
    "compensation:approve_statement": Rule(write=PAY_OFFICE),
    "compensation:dispute": Rule(write=EVERY_ROLE),
    "compensation:disputes": Rule(read=PAY_OFFICE),
    "compensation:resolve": Rule(write=PAY_OFFICE),
    "compensation:plan": Rule(read=PAY_OFFICE, write=_roles(R.DIRECTOR)),
    "compensation:plan_form": Rule(read=_roles(R.DIRECTOR), write=_roles(R.DIRECTOR)),
    "compensation:simulate": Rule(read=HEADS, write=HEADS),
    # The plan designer: heads see their department's pay in it; the director stores its plan.
    "compensation:design": Rule(read=HEADS, write=_roles(R.DIRECTOR)),
    # The web import (SPEC §5 files): upload, its job's page and progress, apply.
    "imports:upload": Rule(read=IMPORTERS, write=IMPORTERS),
    "imports:job": Rule(read=IMPORTERS),
    "imports:progress": Rule(read=IMPORTERS),
    "imports:apply": Rule(write=IMPORTERS),
    "people:tokens": Rule(read=EVERY_ROLE, write=EVERY_ROLE),
    # The bell's list: one's own notifications, marked read (and one's e-mail language).
    "notifications:list": Rule(read=EVERY_ROLE, write=EVERY_ROLE),
    "people:revoke_token": Rule(write=EVERY_ROLE),
    # The REST API (salesrelay/api.py): the same rules, the same querysets.
    "api:schema": Rule(read=EVERY_ROLE, anonymous=True, signed_in=True),
    "api:docs": Rule(read=EVERY_ROLE, anonymous=True, signed_in=True),
    "api:token-list": Rule(read=EVERY_ROLE, write=EVERY_ROLE),
    "api:token-detail": Rule(write=EVERY_ROLE),
    "api:employee-list": Rule(read=EVERY_ROLE),
    "api:employee-detail": Rule(read=EVERY_ROLE),
    "api:client-list": Rule(read=SALES, write=ACQUISITION),
    "api:client-detail": Rule(read=SALES),
    "api:client-claim": Rule(write=_roles(R.HUNTER)),
    "api:client-assign": Rule(write=_roles(R.HEAD_ACCOUNTS, R.DIRECTOR)),
    "api:client-contacts": Rule(write=SALES),
    "api:deal-list": Rule(read=SALES, write=SALES),
    "api:deal-detail": Rule(read=SALES),
    "api:deal-lines": Rule(write=SALES),
    "api:deal-costs": Rule(write=SALES),
    "api:deal-move": Rule(write=ACQUISITION),
    "api:deal-win": Rule(write=SALES),
    "api:deal-lose": Rule(write=SALES),
    "api:deal-cancel": Rule(write=SALES),
    "api:payment-list": Rule(read=MONEY, write=MONEY),
    "api:payment-detail": Rule(read=MONEY),
    "api:activity-list": Rule(read=SALES, write=SALES),
    "api:activity-detail": Rule(read=SALES),
    "api:material-list": Rule(read=SALES),
    "api:material-detail": Rule(read=SALES),
    "api:target-list": Rule(read=PAY_OFFICE),
    "api:target-detail": Rule(read=PAY_OFFICE),
    "api:fixed-cost-list": Rule(read=PAY_OFFICE),
    "api:fixed-cost-detail": Rule(read=PAY_OFFICE),
    "api:plan-list": Rule(read=PAY_OFFICE, write=_roles(R.DIRECTOR)),
    "api:plan-detail": Rule(read=PAY_OFFICE),
    "api:period-list": Rule(read=PAY_OFFICE),
    "api:period-detail": Rule(read=PAY_OFFICE),
    "api:period-calculate": Rule(write=PAY_OFFICE),
    "api:period-approve": Rule(write=PAY_OFFICE),
    "api:period-lock": Rule(write=LOCKS_PERIODS),
    "api:line-list": Rule(read=EVERY_ROLE),
    "api:line-detail": Rule(read=EVERY_ROLE),
    "api:statement-list": Rule(read=EVERY_ROLE),
    "api:statement-detail": Rule(read=EVERY_ROLE),
    "api:statement-approve": Rule(write=PAY_OFFICE),
    "api:dispute-list": Rule(read=EVERY_ROLE, write=EVERY_ROLE),
    "api:dispute-detail": Rule(read=EVERY_ROLE),
    "api:dispute-resolve": Rule(write=PAY_OFFICE),
    "api:simulation-list": Rule(write=HEADS),
    "api:design-list": Rule(write=HEADS),
}
# The analytics through the API: the same readers as each page.
ROUTES.update({
    f"api:analytics-{page.replace('_', '-')}": Rule(read=ROUTES[f"analytics:{page}"].read)
    for page in ("new_clients", "funnel", "conversion", "order_value", "collections",
                 "breakeven", "pay", "cohorts")
})
ROUTES["api:analytics-dashboard"] = Rule(read=PAY_OFFICE)
# The Django admin checks its own staff flag (the director's login); its routes are not listed.
ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api"

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RouteAccessMiddleware:
    """Refuses a request the route table does not allow, before the view runs: an anonymous
    visitor goes to the login page, a signed-in one gets 403, a method nobody may use 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or ADMIN_NAMESPACE in match.namespaces or API_NAMESPACE in match.namespaces:
            return None  # the admin checks its staff flag; the API, RoutePermission
        rule = ROUTES.get(match.view_name)
        if rule is None:
            log.error("route %s has no access rule: refused", match.view_name)
            raise PermissionDenied
        allowed = rule.for_method(request.method)
        if not allowed:
            return HttpResponseNotAllowed(["GET"] if rule.read else ["POST"])
        if not request.user.is_authenticated:
            return None if rule.anonymous else redirect_to_login(request.get_full_path())
        viewer = viewer_for(request.user)
        if not rule.admits(viewer, allowed):
            raise PermissionDenied
        request.viewer = viewer
        return None


class RoutePermission(BasePermission):
    """The same route table for the API, checked after the API has read the session or token:
    a visitor without either gets 401, a role the table leaves out 403."""

    def has_permission(self, request, view) -> bool:
        rule = ROUTES.get(request.resolver_match.view_name)
        if rule is None:
            log.error("API route %s has no access rule: refused", request.resolver_match.view_name)
            return False
        allowed = rule.for_method(request.method)
        if not allowed:
            raise MethodNotAllowed(request.method)
        if not request.user or not request.user.is_authenticated:
            return rule.anonymous
        viewer = viewer_for(request.user)
        request.viewer = viewer
        return rule.admits(viewer, allowed)


def viewer_of(request) -> Viewer:
    """The request's viewer (the middleware has checked the route already)."""
    viewer = getattr(request, "viewer", None)
    return viewer if viewer is not None else viewer_for(request.user)


def viewer_for(user) -> Viewer:
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    if user.is_authenticated and user.is_superuser and employee is None:
        return Viewer(user, None, Role.DIRECTOR, Department.MANAGEMENT)
    if employee is None or (employee.left_on is not None and employee.left_on < date.today()):
        return Viewer(user, None, None, None)
    return Viewer(user, employee, employee.role, employee.department)
