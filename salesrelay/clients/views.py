from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesrelay.clients import actions
from salesrelay.clients.filters import ClientFilter
from salesrelay.clients.forms import (
    ContactForm,
    FirstDealForm,
    FirstDealLines,
    ProspectForm,
    SegmentForm,
)
from salesrelay.clients.models import Client, Segment
from salesrelay.clients.selectors import (
    client_card,
    with_orders_receivable_and_next_activity,
    with_segment_names,
)
from salesrelay.clients.tables import ClientTable, PortfolioTable, TeamTable
from salesrelay.deals import actions as deal_actions
from salesrelay.deals.actions import LineInput
from salesrelay.deals.forms import LineForm
from salesrelay.errors import ActionError
from salesrelay.materials.models import SalesMaterial
from salesrelay.people.access import FREE_POOL, viewer_of
from salesrelay.people.choices import Department, Role
from salesrelay.people.filters import TeamFilter
from salesrelay.people.models import Employee
from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.web.htmx import render_page
from salesrelay.web.lists import employee_choices, list_page


def _scoped(request, viewer):
    """The client list's "Show": everything the viewer may read, their own, or the free pool."""
    scope = request.GET.get("scope", "mine" if viewer.is_hunter else "all")
    clients = viewer.clients()
    if scope == "pool":
        clients = clients.filter(FREE_POOL)
    elif scope == "mine" and viewer.employee is not None:
        clients = clients.filter(Q(owner=viewer.employee) | Q(acquired_by=viewer.employee))
    return clients, scope


def _sales_people():
    return Employee.objects.filter(role__in=[Role.HUNTER, Role.ACCOUNT_MANAGER]).order_by("name")


@login_required
def client_list(request):
    viewer = viewer_of(request)
    clients, scope = _scoped(request, viewer)
    filterset = ClientFilter(request.GET, queryset=with_segment_names(
        clients.select_related("owner", "acquired_by")))
    employee_choices(filterset, _sales_people(), "owner", "acquired_by")
    return list_page(request, table=ClientTable, filterset=filterset, totals={"count": Count("id")},
                     filename="clients", template="clients/list.html", default_sort="name",
                     context={"scope": scope})


@login_required
def portfolio(request):
    viewer = viewer_of(request)
    clients = viewer.clients().filter(owning_department=Department.ACCOUNT_MANAGEMENT)
    scope = request.GET.get("scope", "mine" if viewer.is_account_manager else "")
    if scope == "mine" and viewer.employee is not None:
        clients = clients.filter(owner=viewer.employee)
    elif scope == "queue":
        clients = clients.filter(owner__isnull=True)
    filterset = ClientFilter(request.GET, queryset=with_segment_names(
        clients.select_related("owner")))
    employee_choices(filterset, _sales_people(), "owner", "acquired_by")
    return list_page(request, table=PortfolioTable, filterset=filterset,
                     totals={"count": Count("id")}, filename="portfolio",
                     template="clients/portfolio.html", default_sort="name",
                     complete=with_orders_receivable_and_next_activity, context={"scope": scope})


@login_required
def card(request, ref):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients().select_related("owner", "acquired_by"), ref=ref)
    context = {"client": client, **client_card(client),
               "materials": SalesMaterial.objects.all(),
               "activity_kinds": ActivityKind.choices, "outcomes": Outcome.choices,
               "contact_form": ContactForm(),
               "can_claim": viewer.is_hunter and client.owner is None and client.is_prospect,
               "can_write": viewer.clients("write").filter(pk=client.pk).exists(),
               "hunter_numbers": range(1, 6), "today": date.today()}
    return render_page(request, "clients/card.html", context)


@login_required
def new_prospect(request):
    """A prospect, and with lines its first deal, from one form in one transaction: an error is
    shown next to its field and nothing is stored. "Add a line" only shows the page again."""
    viewer = viewer_of(request)
    hunters = None if viewer.is_hunter else viewer.team().filter(role=Role.HUNTER, left_on=None)
    data = request.POST if request.method == "POST" else None
    if data is not None and "add_line" in data:
        form, deal_form, lines = _with_one_more_line(data, hunters)
        return render_page(request, "clients/new.html",
                           {"form": form, "deal_form": deal_form, "lines": lines})
    form = ProspectForm(data, hunters=hunters)
    deal_form = FirstDealForm(data, prefix="deal")
    lines = FirstDealLines(data if data is not None and "lines-TOTAL_FORMS" in data else None,
                           prefix="lines")
    if data is not None and form.is_valid() & deal_form.is_valid() & (
            not lines.is_bound or lines.is_valid()):
        prospect = {k: v for k, v in form.cleaned_data.items() if k != "hunter"}
        hunter = viewer.employee if viewer.is_hunter else form.cleaned_data.get("hunter")
        rows = [LineInput(product=row["product"], quantity=row["quantity"],
                          unit_price=row.get("unit_price"))
                for row in (lines.cleaned_data if lines.is_bound else []) if row]
        try:
            if rows:
                deal = deal_actions.create_prospect_with_first_deal(
                    prospect=prospect, hunter=hunter, lines=rows, acting_user=request.user,
                    title=deal_form.cleaned_data["title"])
                client = deal.client
            else:
                client = actions.create_prospect(**prospect, hunter=hunter,
                                                 acting_user=request.user)
        except ActionError as error:
            if error.field == "lines":
                deal_form.add_error(None, error.message)
            else:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if rows:
                messages.success(request, _("Prospect %(name)s created with its first deal "
                                            "%(deal)s.") % {"name": client.name, "deal": deal.ref})
            else:
                messages.success(request, _("Prospect %(name)s created.") % {"name": client.name})
            return redirect("clients:card", client.ref)
    failed = bool(form.errors or deal_form.errors or (lines.is_bound and not lines.is_valid()))
    return render_page(request, "clients/new.html",
                       {"form": form, "deal_form": deal_form, "lines": lines},
                       status=400 if failed else 200)


def _with_one_more_line(data, hunters):
    """The page as posted, unchecked (no errors shown), with one more empty line."""
    values = {name: data.get(name, "") for name in ProspectForm.base_fields}
    form = ProspectForm(initial=values, hunters=hunters)
    deal_form = FirstDealForm(initial={"title": data.get("deal-title", "")}, prefix="deal")
    try:
        count = min(int(data.get("lines-TOTAL_FORMS", "0")), FirstDealLines.max_num)
    except ValueError:
        count = 0
    rows = [{name: data.get(f"lines-{i}-{name}", "") for name in LineForm.base_fields}
            for i in range(count)]
    rows = [row for row in rows if any(row.values())]
    lines = forms.formset_factory(LineForm, extra=max(1, count + 1 - len(rows)),
                                  max_num=FirstDealLines.max_num)(initial=rows, prefix="lines")
    return form, deal_form, lines


@login_required
@require_POST
def claim(request, ref):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients().filter(FREE_POOL), ref=ref)
    if viewer.employee is None:
        raise PermissionDenied  # the route admits hunters, each an employee
    try:
        actions.claim_prospect(client, hunter=viewer.employee, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is now yours.") % {"name": client.name})
    return redirect("clients:card", client.ref)


@login_required
@require_POST
def add_contact(request, ref):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients("write"), ref=ref)
    form = ContactForm(request.POST)
    if form.is_valid():
        actions.add_contact(client, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Contact added."))
    else:
        messages.error(request, _("The contact needs a name."))
    return redirect("clients:card", client.ref)


def _owned():
    """How many clients each person owns: a count on the owner index per person, rather than
    grouping every client of the company by owner (a second on PostgreSQL for 100,000)."""
    count = (Client.objects.filter(owner=OuterRef("pk")).order_by().values("owner")
             .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(count), 0)


def _team_totals(people) -> dict:
    owned = [p.owned for p in people]
    return {"count": len(owned), "sum_owned": sum(owned)}


@login_required
def team(request):
    """The head's page: the people and the clients they own, the department queue to assign, and
    a leaver's clients to hand over."""
    viewer = viewer_of(request)
    today = date.today()
    people = list(viewer.team().filter(role__in=[Role.HUNTER, Role.ACCOUNT_MANAGER]).annotate(
        owned=_owned()).order_by("role", "name"))
    managers = Employee.objects.employed_on(today).filter(role=Role.ACCOUNT_MANAGER).order_by("name")
    queue = Client.objects.none()
    if viewer.is_director or viewer.department == Department.ACCOUNT_MANAGEMENT:
        queue = Client.objects.filter(owning_department=Department.ACCOUNT_MANAGEMENT,
                                      owner__isnull=True).order_by("handed_off_on", "name")[:200]
    leavers = [p for p in people if p.left_on is not None and p.left_on < today and p.owned]
    filterset = TeamFilter(request.GET, queryset=viewer.team().filter(
        role__in=[Role.HUNTER, Role.ACCOUNT_MANAGER]).annotate(owned=_owned()))
    return list_page(request, table=TeamTable, filterset=filterset,
                     totals=_team_totals, filename="team",
                     template="clients/team.html", default_sort="role", context={
                         "people": people, "managers": managers, "queue": queue, "today": today,
                         "leavers": leavers})


@login_required
@require_POST
def assign(request, ref):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients("write").filter(
        owning_department=Department.ACCOUNT_MANAGEMENT), ref=ref)
    to = Employee.objects.filter(ref=request.POST.get("to", ""), role=Role.ACCOUNT_MANAGER).first()
    if to is None:
        messages.error(request, _("Choose an account manager."))
        return redirect("clients:team")
    try:
        actions.assign_account_manager(client, to=to, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(client)s assigned to %(name)s.") % {
            "client": client.name, "name": to.name})
    return redirect("clients:team")


@login_required
@require_POST
def reassign(request):
    viewer = viewer_of(request)
    employee = get_object_or_404(viewer.team(), ref=request.POST.get("employee", ""))
    to_ref = request.POST.get("to", "")
    to = viewer.team().filter(ref=to_ref).first() if to_ref else None
    try:
        on = date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        messages.error(request, _("Give the date of the handover."))
        return redirect("clients:team")
    if to_ref and to is None:
        messages.error(request, _("Choose a colleague from your department."))
        return redirect("clients:team")
    try:
        moved = actions.reassign_clients_of(employee, on=on, acting_user=request.user, to=to)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s clients of %(name)s handed over.") % {
            "n": len(moved), "name": employee.name})
    return redirect("clients:team")


@login_required
def segments(request):
    """The director's list of segments: add one (its code is then fixed) or rename one."""
    viewer = viewer_of(request)
    form = SegmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Segment.objects.restrict(viewer, "write").filter(code=data["code"]).first()
        try:
            if existing is not None:
                actions.rename_segment(existing, name_en=data["name_en"], name_ru=data["name_ru"],
                                       acting_user=request.user)
                messages.success(request, _("Segment %(code)s renamed.") % {"code": data["code"]})
            else:
                actions.add_segment(code=data["code"], name_en=data["name_en"],
                                    name_ru=data["name_ru"], acting_user=request.user)
                messages.success(request, _("Segment %(code)s added.") % {"code": data["code"]})
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("clients:segments")
    rows = Segment.objects.restrict(viewer, "read").order_by("id")
    counts = dict(Client.objects.values_list("segment").annotate(n=Count("id")).values_list(
        "segment", "n"))
    return render_page(request, "clients/segments.html", {
        "form": form, "segments": [(s, counts.get(s.code, 0)) for s in rows]})
