"""Who sees what (SPEC §7). Every list, card, form and export asks a ``Viewer``.

- hunters: their own prospects and clients they brought (they are paid on those), the free pool;
- account managers: the clients of their department;
- heads: their department's clients (acquisition: its prospects and everything its hunters
  brought);
- the director (and a superuser): everything;
- the accountant: payments and pay, no client cards.

Pay: everybody sees their own statements; heads those of their department; the director and the
accountant everyone's. Heads, the accountant and the director run the periods; the director
edits the plan; the director and the heads simulate plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from salesrelay.clients.models import Client
from salesrelay.deals.models import Deal
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee

FREE_POOL = Q(owner__isnull=True, owning_department=Department.ACQUISITION,
              handed_off_on__isnull=True)


@dataclass(frozen=True)
class Viewer:
    user: object
    employee: Employee | None
    role: str | None
    department: str | None

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
    def is_accountant(self) -> bool:
        return self.role == Role.ACCOUNTANT

    @property
    def works_acquisition(self) -> bool:
        return self.is_director or (
            self.department == Department.ACQUISITION and self.role in (Role.HUNTER, Role.HEAD)
        )

    @property
    def works_accounts(self) -> bool:
        return self.is_director or (
            self.department == Department.ACCOUNT_MANAGEMENT
            and self.role in (Role.ACCOUNT_MANAGER, Role.HEAD)
        )

    @property
    def sees_clients(self) -> bool:
        return self.works_acquisition or self.works_accounts

    @property
    def has_role(self) -> bool:
        return self.role is not None

    @property
    def records_payments(self) -> bool:
        return self.works_accounts or self.is_accountant

    @property
    def manages_team(self) -> bool:
        """Heads and the director assign clients and hand over a leaver's clients."""
        return self.is_director or self.is_head

    def team(self) -> QuerySet[Employee]:
        if self.is_director:
            return Employee.objects.filter(department__in=[Department.ACQUISITION,
                                                           Department.ACCOUNT_MANAGEMENT])
        if self.is_head:
            return Employee.objects.filter(department=self.department)
        return Employee.objects.none()

    @property
    def manages_periods(self) -> bool:
        return self.is_director or self.is_head or self.is_accountant

    @property
    def edits_plans(self) -> bool:
        return self.is_director

    @property
    def reads_plans(self) -> bool:
        return self.manages_periods

    @property
    def simulates(self) -> bool:
        return self.is_director or self.is_head

    @property
    def sees_all_pay(self) -> bool:
        return self.is_director or self.is_accountant

    def sees_pay_of(self, employee: Employee) -> bool:
        if self.sees_all_pay:
            return True
        if self.employee is not None and employee.pk == self.employee.pk:
            return True
        return self.is_head and employee.department == self.department

    def resolves_disputes_of(self, employee: Employee) -> bool:
        return self.is_director or (self.is_head and employee.department == self.department)

    def pay_filter(self) -> Q | None:
        """The employees whose pay this viewer may read."""
        if self.sees_all_pay:
            return Q()
        if self.is_head:
            return Q(department=self.department)
        if self.employee is not None:
            return Q(pk=self.employee.pk)
        return None

    def client_filter(self) -> Q | None:
        """The clients whose cards this viewer may open; ``None`` means none at all."""
        if self.is_director:
            return Q()
        if self.is_hunter and self.employee is not None:
            return Q(owner=self.employee) | Q(acquired_by=self.employee) | FREE_POOL
        if self.is_head and self.department == Department.ACQUISITION:
            return Q(owning_department=Department.ACQUISITION) | Q(
                acquired_by__department=Department.ACQUISITION
            )
        if self.works_accounts:
            return Q(owning_department=Department.ACCOUNT_MANAGEMENT)
        return None

    def clients(self) -> QuerySet[Client]:
        condition = self.client_filter()
        if condition is None:
            return Client.objects.none()
        return Client.objects.filter(condition)

    def payment_clients(self) -> QuerySet[Client]:
        """Clients a payment may be recorded for: the accountant books any client with a won deal."""
        if self.is_accountant:
            return Client.objects.filter(handed_off_on__isnull=False)
        if self.records_payments:
            return self.clients()
        return Client.objects.none()

    def deals(self) -> QuerySet[Deal]:
        condition = self.client_filter()
        if condition is None:
            return Deal.objects.none()
        prefixed = _prefix(condition, "client__") if condition else Q()
        if self.is_hunter and self.employee is not None:
            prefixed |= Q(owner=self.employee)
        return Deal.objects.filter(prefixed)


def _prefix(condition: Q, prefix: str) -> Q:
    """The same condition on a related model: ``Q(owner=x)`` becomes ``Q(client__owner=x)``."""
    result = Q()
    result.connector = condition.connector
    result.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_prefix(child, prefix))
        else:
            key, value = child
            result.children.append((prefix + key, value))
    return result


def viewer_with(request, capability: str) -> Viewer:
    """The request's viewer, or 403 when it lacks ``capability`` (a ``Viewer`` property)."""
    viewer = viewer_for(request.user)
    if not getattr(viewer, capability):
        raise PermissionDenied
    return viewer


def viewer_for(user) -> Viewer:
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    if user.is_authenticated and user.is_superuser and employee is None:
        return Viewer(user, None, Role.DIRECTOR, Department.MANAGEMENT)
    if employee is None or (employee.left_on is not None and employee.left_on < date.today()):
        return Viewer(user, None, None, None)
    return Viewer(user, employee, employee.role, employee.department)
