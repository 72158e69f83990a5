"""One's own personal API tokens (create one, its text shown once; revoke them), and the
director's employee pages: the staff list, hiring with a login, leaving with the leaver's clients
handed over in the same action."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from salesrelay.clients.actions import reassign_clients_of
from salesrelay.clients.models import Client
from salesrelay.errors import ActionError
from salesrelay.people.access import viewer_of
from salesrelay.people.actions import create_token, hire_employee, record_leaver, revoke_token
from salesrelay.people.forms import HandOverForm, HireForm, LeaveForm
from salesrelay.people.models import Employee
from salesrelay.web.htmx import render_page


@login_required
def tokens(request):
    created = None
    if request.method == "POST":
        token, created = create_token(request.user, actor=request.user)
        messages.success(request, _("Token %(id)s created. Copy it now: it is not shown again.")
                         % {"id": token.token_key})
    return render_page(request, "people/tokens.html", {
        "tokens": AuthToken.objects.filter(user=request.user).order_by("-created"),
        "created": created,
    })


@login_required
@require_POST
def revoke(request, token_key: str):
    token = get_object_or_404(AuthToken, user=request.user, token_key=token_key)
    revoke_token(token, actor=request.user)
    messages.success(request, _("Token %(id)s revoked.") % {"id": token_key})
    return redirect("people:tokens")


# The director's employee pages --------------------------------------------------------------------
@login_required
def employees(request):
    viewer = viewer_of(request)
    today = date.today()
    people = Employee.objects.annotate(owned=Count("owned_clients")).order_by(
        "left_on", "department", "role", "name")
    return render_page(request, "people/employees.html", {
        "people": people, "today": today, "can_edit": viewer.may("people:hire", "write"),
    })


@login_required
def hire(request):
    form = HireForm(request.POST or None, initial={"hired_on": date.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = hire_employee(
                name=data["name"], email=data["email"], department=data["department"],
                role=data["role"], hired_on=data["hired_on"], market_salary=data["market_salary"],
                username=data["username"], password=data["password"], acting_user=request.user)
        except ActionError as error:
            form.add_error("username" if "login" in error.message.lower() else None,
                           error.message)
        else:
            messages.success(request, _("%(name)s hired (%(ref)s), with the login %(login)s.") % {
                "name": employee.name, "ref": employee.ref, "login": data["username"]})
            return redirect("people:employees")
    return render_page(request, "people/hire.html", {"form": form},
                       status=400 if form.errors else 200)


def _colleagues(employee: Employee, on: date):
    return Employee.objects.employed_on(on).filter(role=employee.role).exclude(
        pk=employee.pk).order_by("name")


@login_required
def leave(request, ref: str):
    """An employee's leaving: the last day, and the clients they own handed over in the same
    action; for someone who has left and still owns clients, the handover alone."""
    employee = get_object_or_404(Employee, ref=ref)
    today = date.today()
    day_after = (employee.left_on or today) + timedelta(days=1)
    colleagues = _colleagues(employee, day_after)
    clients = Client.objects.filter(owner=employee).order_by("name")
    leave_form = LeaveForm(initial={"left_on": today}, colleagues=colleagues)
    hand_form = HandOverForm(initial={"on": day_after}, colleagues=colleagues)
    if request.method == "POST":
        if "hand_over" in request.POST and employee.left_on is None:
            leave_form = LeaveForm(request.POST, colleagues=colleagues)
            if leave_form.is_valid():
                data = leave_form.cleaned_data
                to = _chosen(leave_form, colleagues, required=data["hand_over"] == "to")
                if not leave_form.errors:
                    try:
                        moved = record_leaver(employee, left_on=data["left_on"], to=to,
                                              hand_over=data["hand_over"] != "keep",
                                              acting_user=request.user)
                    except ActionError as error:
                        leave_form.add_error(error.field if error.field in leave_form.fields
                                             else None, error.message)
                    else:
                        messages.success(request, _(
                            "%(name)s leaves after %(day)s; %(n)s clients handed over.") % {
                            "name": employee.name, "day": data["left_on"], "n": len(moved)})
                        return redirect("people:leave", ref=employee.ref)
        elif employee.left_on is not None:
            hand_form = HandOverForm(request.POST, colleagues=colleagues)
            if hand_form.is_valid():
                to = _chosen(hand_form, colleagues, required=False)
                if not hand_form.errors:
                    try:
                        moved = reassign_clients_of(employee, on=hand_form.cleaned_data["on"],
                                                    to=to, acting_user=request.user)
                    except ActionError as error:
                        hand_form.add_error(None, error.message)
                    else:
                        messages.success(request, _("%(n)s clients of %(name)s handed over.") % {
                            "n": len(moved), "name": employee.name})
                        return redirect("people:leave", ref=employee.ref)
        else:
            leave_form = LeaveForm(request.POST, colleagues=colleagues)
            leave_form.is_valid()
    errors = leave_form.errors or hand_form.errors
    return render_page(request, "people/leave.html", {
        "employee": employee, "clients": clients, "leave_form": leave_form,
        "hand_form": hand_form, "today": today,
    }, status=400 if errors else 200)


def _chosen(form, colleagues, *, required: bool) -> Employee | None:
    ref = form.cleaned_data.get("to") or ""
    if not ref:
        if required:
            form.add_error("to", _("Choose the colleague who takes the clients."))
        return None
    chosen = colleagues.filter(ref=ref).first()
    if chosen is None:
        form.add_error("to", _("Choose a colleague of the same role employed that day."))
    return chosen
