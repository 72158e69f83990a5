"""Writes to employees and their logins."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from salesrelay.audit.log import record, record_event
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee
from salesrelay.refs import give_ref, placeholder_ref

ROLE_DEPARTMENTS = {
    Role.HUNTER: {Department.ACQUISITION},
    Role.ACCOUNT_MANAGER: {Department.ACCOUNT_MANAGEMENT},
    Role.HEAD: {Department.ACQUISITION, Department.ACCOUNT_MANAGEMENT},
    Role.DIRECTOR: {Department.MANAGEMENT},
    Role.ACCOUNTANT: {Department.MANAGEMENT},
}


def check_role(department: str, role: str) -> str | None:
    """Why this department and role do not go together, or None when they do."""
    if department not in Department.values:
        return _("unknown department %(value)s") % {"value": department}
    if role not in Role.values:
        return _("unknown role %(value)s") % {"value": role}
    if department not in ROLE_DEPARTMENTS[Role(role)]:
        return _("a %(role)s does not work in %(department)s") % {
            "role": role, "department": department}
    return None


def sync_role_group(user, role: str) -> None:
    """The user is in exactly one role group, the employee's role."""
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))


@transaction.atomic
def hire_employee(
    *,
    name: str,
    email: str,
    department: str,
    role: str,
    hired_on: date,
    acting_user,
    username: str | None = None,
    password: str | None = None,
    pool_weight: Decimal = Decimal("1"),
    market_salary: Decimal | None = None,
) -> Employee:
    problem = check_role(department, role)
    if problem:
        raise ActionError(ErrorCode.INVALID, problem)
    employee = Employee.objects.create(
        ref=placeholder_ref(), name=name, email=email, department=department, role=role,
        hired_on=hired_on, pool_weight=pool_weight, market_salary=market_salary,
    )
    give_ref(employee)
    if username:
        link_login(employee, username=username, password=password, acting_user=acting_user)
    record("employee.hire", employee, actor=acting_user, role=role, hired_on=hired_on)
    return employee


@transaction.atomic
def link_login(employee: Employee, *, username: str, password: str | None, acting_user):
    User = get_user_model()
    if User.objects.filter(username=username).exclude(employee=employee).exists():
        raise ActionError(ErrorCode.INVALID, _("The login %(username)s is taken.") % {
            "username": username})
    user = employee.user or User(username=username, email=employee.email)
    user.username = username
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.is_staff = user.is_superuser = employee.role == Role.DIRECTOR
    user.save()
    if employee.user_id != user.pk:
        employee.user = user
        employee.save(update_fields=["user"])
    sync_role_group(user, employee.role)
    record("employee.link_login", employee, actor=acting_user, username=username)
    return user


@transaction.atomic
def record_departure(employee: Employee, *, left_on: date, acting_user) -> Employee:
    if left_on < employee.hired_on:
        raise ActionError(ErrorCode.DATE_ORDER, _("An employee cannot leave before being hired."))
    employee.left_on = left_on
    employee.save(update_fields=["left_on"])
    record("employee.leave", employee, actor=acting_user, left_on=left_on)
    return employee


@transaction.atomic
def create_token(user, *, actor=None):
    """A personal API token for ``user``, valid SALESRELAY_TOKEN_DAYS days (0: until revoked):
    ``(token, text)``. The text is shown once; only its hash is kept."""
    days = settings.SALESRELAY["TOKEN_DAYS"]
    token, text = AuthToken.objects.create(user, expiry=timedelta(days=days) if days else None)
    record_event("token.create", "user", user.get_username(), actor=actor, token=token.token_key)
    return token, text


@transaction.atomic
def revoke_token(token, *, actor=None) -> None:
    record_event("token.revoke", "user", token.user.get_username(), actor=actor,
                 token=token.token_key)
    token.delete()


UPDATABLE_EMPLOYEE_FIELDS = ("name", "email", "left_on")


@transaction.atomic
def update_employee_details(employee: Employee, *, changes: dict[str, object], acting_user,
                            source: str = "") -> Employee:
    """An employee's name, e-mail or (a first) leaving date changed in the source: stored, with
    one audit row naming each column and its old and new value."""
    unknown = set(changes) - set(UPDATABLE_EMPLOYEE_FIELDS)
    if unknown:
        raise ActionError(ErrorCode.INVALID, _("%(columns)s of an employee cannot be changed.")
                          % {"columns": ", ".join(sorted(unknown))})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = {name: getattr(employee, name) for name in changes}
    left_on = changes.get("left_on")
    if isinstance(left_on, date) and left_on < employee.hired_on:
        raise ActionError(ErrorCode.DATE_ORDER, _("An employee cannot leave before being hired."))
    for name, value in changes.items():
        setattr(employee, name, value)
    employee.save(update_fields=list(changes))
    record("employee.update", employee, actor=acting_user, source=source,
           changes={name: [before[name], getattr(employee, name)] for name in changes})
    return employee


@transaction.atomic
def record_leaver(employee: Employee, *, left_on: date, acting_user, hand_over: bool = True,
                  to: Employee | None = None):
    """An employee's last day, and, with ``hand_over``, everything they own handed over the day
    after, in the same transaction (``reassign_clients_of``: to ``to``, else round-robin among
    the account managers employed that day, a hunter's prospects back to the free pool). The
    clients moved are returned. A leaving date already stored is not changed here."""
    from salesrelay.clients.actions import reassign_clients_of  # the clients sit above people

    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.left_on is not None:
        raise ActionError(ErrorCode.INVALID, _("%(name)s has already left, on %(day)s.") % {
            "name": employee.name, "day": employee.left_on}, field="left_on")
    if left_on < employee.hired_on:
        raise ActionError(ErrorCode.DATE_ORDER, _("An employee cannot leave before being hired."),
                          field="left_on")
    if to is not None and to.pk == employee.pk:
        raise ActionError(ErrorCode.INVALID, _("Choose a colleague, not the leaver."), field="to")
    record_departure(employee, left_on=left_on, acting_user=acting_user)
    if not hand_over:
        return []
    return reassign_clients_of(employee, on=left_on + timedelta(days=1), acting_user=acting_user,
                               to=to)
