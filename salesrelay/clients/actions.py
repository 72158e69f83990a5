"""Writes to clients: prospects, claims, handoffs, reassignments, the free pool.

Each action is one transaction and writes its audit row. Ownership changes go through
``_move_ownership`` so that the history and the client's current owner always agree.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from salesrelay.audit.log import record, record_event
from salesrelay.clients.choices import OwnershipReason
from salesrelay.clients.models import Client, Contact, Ownership, Segment
from salesrelay.clients.names import normalize_name
from salesrelay.engine.handoff import next_account_manager
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_day, require_fields, tax_id_problem
from salesrelay.notifications.actions import notify
from salesrelay.notifications.choices import NotificationKind
from salesrelay.payments.collected import restating
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee
from salesrelay.refs import give_ref, placeholder_ref

SEGMENT_CODE = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def _require_employed(employee: Employee, role: str, on: date) -> None:
    if employee.role != role:
        code = ErrorCode.NOT_A_HUNTER if role == Role.HUNTER else ErrorCode.NOT_AN_ACCOUNT_MANAGER
        raise ActionError(code, _("%(name)s is not a %(role)s.") % {
            "name": employee.name, "role": Role(role).label})
    if not employee.is_employed_on(on):
        raise ActionError(ErrorCode.NOT_EMPLOYED, _("%(name)s is not employed on %(day)s.") % {
            "name": employee.name, "day": on.isoformat()})


def find_duplicate(name: str, tax_id: str | None, *, exclude: Client | None = None) -> Client | None:
    """The client that a new prospect with this name or tax id would duplicate, if any."""
    match = Q(normalized_name=normalize_name(name))
    if tax_id:
        match |= Q(tax_id=tax_id)
    candidates = Client.objects.filter(match).select_related("owner")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return candidates.order_by("id").first()


def _refuse_duplicate(existing: Client, hunter: Employee | None) -> None:
    if existing.owner is not None and existing.owner != hunter:
        raise ActionError(ErrorCode.DUPLICATE_CLIENT, _(
            "%(client)s (%(ref)s) is already owned by %(owner)s.") % {
            "client": existing.name, "ref": existing.ref, "owner": existing.owner.name})
    if existing.owner is None and existing.owning_department == Department.ACQUISITION:
        raise ActionError(ErrorCode.DUPLICATE_CLIENT, _(
            "%(client)s (%(ref)s) is already in the free pool: claim it instead.") % {
            "client": existing.name, "ref": existing.ref})
    raise ActionError(ErrorCode.DUPLICATE_CLIENT, _(
        "%(client)s (%(ref)s) already exists.") % {"client": existing.name, "ref": existing.ref})


def _move_ownership(
    client: Client, *, employee: Employee | None, department: str, on: date, reason: str
) -> Ownership:
    current = Ownership.objects.select_for_update().filter(client=client, ended_on__isnull=True)
    row = current.first()
    if row is not None and row.started_on > on:
        raise ActionError(ErrorCode.DATE_ORDER, _(
            "%(client)s has had its current owner since %(since)s; a change cannot be dated "
            "%(day)s.") % {"client": client.name, "since": row.started_on, "day": on})
    # The collections by owner count the client's allocations from ``on`` under the new owner
    # (a change dated in the past moves what was counted under the old one since then).
    with restating([client.pk], since=on):
        if row is not None:
            row.ended_on = on
            row.save(update_fields=["ended_on"])
        client.owner = employee
        client.owning_department = department
        client.save(update_fields=["owner", "owning_department"])
        return Ownership.objects.create(
            client=client, employee=employee, department=department, started_on=on,
            reason=reason)


@transaction.atomic
def create_prospect(
    *,
    name: str,
    segment: str,
    hunter: Employee | None,
    acting_user,
    tax_id: str | None = None,
    source: str = "",
    created_on: date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Client:
    """A new prospect for a hunter (or for the free pool when ``hunter`` is None)."""
    on = created_on or date.today()
    name = name.strip()
    tax_id = (tax_id or "").strip() or None
    if not normalize_name(name):
        raise ActionError(ErrorCode.INVALID, _("A client needs a name."))
    require_day(on, _("created on"))
    require_fields(Client, name=name, tax_id=tax_id, source=source)
    if tax_id is not None and (problem := tax_id_problem(tax_id)) is not None:
        raise ActionError(ErrorCode.INVALID, problem, field="tax_id")
    require_fields(Contact, name=contact_name, phone=contact_phone, email=contact_email)
    _require_segment(segment)
    if hunter is not None:
        _require_employed(hunter, Role.HUNTER, on)
    existing = find_duplicate(name, tax_id)
    if existing is not None:
        _refuse_duplicate(existing, hunter)
    client = Client.objects.create(
        ref=placeholder_ref(), name=name, normalized_name=normalize_name(name), tax_id=tax_id,
        segment=segment, source=source, created_on=on, acquired_by=hunter, owner=hunter,
        owning_department=Department.ACQUISITION,
    )
    give_ref(client)
    Ownership.objects.create(client=client, employee=hunter, department=Department.ACQUISITION,
                             started_on=on, reason=OwnershipReason.CREATED)
    if contact_name.strip():
        Contact.objects.create(client=client, name=contact_name.strip(), phone=contact_phone,
                               email=contact_email)
    record("client.create", client, actor=acting_user, name=name, tax_id=tax_id,
           hunter=hunter.ref if hunter else None)
    return client


@transaction.atomic
def claim_prospect(client: Client, *, hunter: Employee, acting_user, on: date | None = None) -> Client:
    """A hunter takes a prospect from the free pool (or a head assigns one to a hunter)."""
    on = on or date.today()
    client = Client.objects.select_for_update(of=("self",)).select_related("owner").get(pk=client.pk)
    _require_employed(hunter, Role.HUNTER, on)
    if client.handed_off_on is not None or client.owning_department != Department.ACQUISITION:
        raise ActionError(ErrorCode.NOT_IN_FREE_POOL, _(
            "%(client)s is already a client of account management.") % {"client": client.name})
    if client.owner is not None:
        if client.owner == hunter:
            raise ActionError(ErrorCode.NOT_IN_FREE_POOL, _("%(client)s is already yours.") % {
                "client": client.name})
        raise ActionError(ErrorCode.DUPLICATE_CLIENT, _(
            "%(client)s (%(ref)s) is already owned by %(owner)s.") % {
            "client": client.name, "ref": client.ref, "owner": client.owner.name})
    _move_ownership(client, employee=hunter, department=Department.ACQUISITION, on=on,
                    reason=OwnershipReason.CLAIMED)
    client.acquired_by = hunter
    client.save(update_fields=["acquired_by"])
    record("client.claim", client, actor=acting_user, hunter=hunter.ref, on=on)
    return client


def round_robin_account_manager(on: date, *, exclude: Employee | None = None) -> Employee | None:
    """The account manager who takes the next handoff (SPEC §2.3)."""
    active = Employee.objects.employed_on(on).filter(role=Role.ACCOUNT_MANAGER)
    if exclude is not None:
        active = active.exclude(pk=exclude.pk)
    ids = list(active.values_list("pk", flat=True))
    last = (
        Ownership.objects.filter(reason=OwnershipReason.HANDOFF, employee__isnull=False)
        .order_by("-id").values_list("employee_id", flat=True).first()
    )
    chosen = next_account_manager(ids, last=last)
    return None if chosen is None else Employee.objects.get(pk=chosen)


def hand_off(client: Client, *, on: date, to: Employee | None, acting_user) -> Ownership:
    """Move a client to account management; called inside the transaction that wins deal 1."""
    if to is not None:
        _require_employed(to, Role.ACCOUNT_MANAGER, on)
    else:
        to = round_robin_account_manager(on)
    row = _move_ownership(client, employee=to, department=Department.ACCOUNT_MANAGEMENT, on=on,
                          reason=OwnershipReason.HANDOFF)
    client.handed_off_on = on
    client.save(update_fields=["handed_off_on"])
    passed = _pass_planned_activities(client, to) if to is not None else 0
    record("client.handoff", client, actor=acting_user, to=to.ref if to else None, on=on,
           hunter=client.acquired_by.ref if client.acquired_by else None,
           planned_activities=passed)
    notify([to], NotificationKind.CLIENT_HANDED_OFF, link=_card(client), client=client.name,
           hunter=client.acquired_by.name if client.acquired_by else "—")
    return row


def _card(client: Client) -> str:
    return reverse("clients:card", args=[client.ref])


def _pass_planned_activities(client: Client, to: Employee) -> int:
    """The calls and meetings still planned with a client go to its new owner: a hunter's
    follow-up after the first deal is the account manager's to make."""
    from salesrelay.pipeline.models import Activity  # the pipeline sits above the clients

    return Activity.objects.filter(client=client, done_on__isnull=True).exclude(
        employee=to).update(employee=to)


@transaction.atomic
def assign_account_manager(client: Client, *, to: Employee, acting_user, on: date | None = None):
    """A head gives a client (from the queue or from another manager) to an account manager."""
    on = on or date.today()
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.owning_department != Department.ACCOUNT_MANAGEMENT:
        raise ActionError(ErrorCode.INVALID, _("%(client)s has not been handed off yet.") % {
            "client": client.name})
    _require_employed(to, Role.ACCOUNT_MANAGER, on)
    _move_ownership(client, employee=to, department=Department.ACCOUNT_MANAGEMENT, on=on,
                    reason=OwnershipReason.ASSIGNED)
    record("client.assign", client, actor=acting_user, to=to.ref, on=on,
           planned_activities=_pass_planned_activities(client, to))
    notify([to], NotificationKind.CLIENT_ASSIGNED, link=_card(client), client=client.name)
    return client


@transaction.atomic
def reassign_clients_of(
    employee: Employee, *, on: date, acting_user, to: Employee | None = None
) -> list[Client]:
    """Everything a leaving employee owns, moved in one action.

    With ``to`` all clients go to that colleague. Without it an account manager's clients are
    dealt round-robin to the other active account managers (the queue when there are none) and a
    hunter's prospects return to the free pool. Open deals follow their client's new owner.
    """
    from salesrelay.deals.choices import DealStatus
    from salesrelay.deals.models import Deal

    if to is not None:
        _require_employed(to, employee.role, on)
    clients = list(
        Client.objects.select_for_update().filter(owner=employee).order_by("pk")
    )
    active_ids = list(
        Employee.objects.employed_on(on).filter(role=Role.ACCOUNT_MANAGER)
        .exclude(pk=employee.pk).values_list("pk", flat=True)
    )
    last: int | None = None
    moved = []
    received: dict[int, tuple[Employee, list[str]]] = {}  # new owner → the clients' names
    for client in clients:
        if to is not None:
            new_owner: Employee | None = to
        elif client.owning_department == Department.ACCOUNT_MANAGEMENT:
            chosen = next_account_manager(active_ids, last=last)
            last = chosen
            new_owner = None if chosen is None else Employee.objects.get(pk=chosen)
        else:
            new_owner = None
        reason = OwnershipReason.REASSIGNED if new_owner else OwnershipReason.RELEASED
        _move_ownership(client, employee=new_owner, department=client.owning_department, on=on,
                        reason=reason)
        if new_owner is None and client.handed_off_on is None:
            Client.objects.filter(pk=client.pk).update(acquired_by=None)
        if new_owner is not None:
            Deal.objects.filter(client=client, owner=employee, status=DealStatus.OPEN).update(
                owner=new_owner
            )
            _pass_planned_activities(client, new_owner)
        moved.append(client)
        if new_owner is not None:
            received.setdefault(new_owner.pk, (new_owner, []))[1].append(client.name)
    record("employee.reassign_clients", employee, actor=acting_user, on=on,
           to=to.ref if to else None, clients=[c.ref for c in moved])
    for new_owner, names in received.values():
        notify([new_owner], NotificationKind.CLIENTS_REASSIGNED, link=reverse(
            "clients:portfolio" if new_owner.role == Role.ACCOUNT_MANAGER else "clients:list"),
            leaver=employee.name, clients=", ".join(names))
    return moved


@transaction.atomic
def release_idle_prospects(*, on: date | None = None, idle_days: int | None = None,
                           acting_user=None) -> list[Client]:
    """Prospects with no activity for ``idle_days`` (default from settings) go to the free pool."""
    on = on or date.today()
    days = _idle_days(idle_days)
    cutoff = on - timedelta(days=days)
    idle_ids = list(
        Client.objects.filter(owning_department=Department.ACQUISITION,
                              handed_off_on__isnull=True, owner__isnull=False)
        .annotate(last_done=Max("activities__done_on"))
        .filter(Q(last_done__lt=cutoff) | Q(last_done__isnull=True, created_on__lt=cutoff))
        .values_list("pk", flat=True)
    )
    # Locked apart from the aggregate: PostgreSQL refuses FOR UPDATE with GROUP BY.
    idle = Client.objects.select_for_update().filter(pk__in=idle_ids, owner__isnull=False)
    released = []
    for client in idle.order_by("pk"):
        _move_ownership(client, employee=None, department=Department.ACQUISITION, on=on,
                        reason=OwnershipReason.RELEASED)
        client.acquired_by = None
        client.save(update_fields=["acquired_by"])
        record("client.release_idle", client, actor=acting_user, on=on, idle_days=days)
        released.append(client)
    return released


def _idle_days(idle_days: int | None) -> int:
    return settings.SALESRELAY["IDLE_PROSPECT_DAYS"] if idle_days is None else idle_days


def returns_to_pool_on(last_done: date | None, created_on: date, idle_days: int) -> date:
    """The first day ``release_idle_prospects`` takes the prospect back: the day after its last
    done activity (else its creation) plus ``idle_days``.

    >>> returns_to_pool_on(date(2026, 1, 10), date(2025, 12, 1), 90)
    datetime.date(2026, 4, 11)
    """
    return (last_done or created_on) + timedelta(days=idle_days + 1)


@transaction.atomic
def warn_expiring_prospects(*, on: date | None = None, within: int | None = None,
                            idle_days: int | None = None) -> list[Client]:
    """Each hunter is told, once per return date, of their prospects that go back to the free
    pool within ``within`` days (``POOL_NOTICE_DAYS``) of ``on`` unless an activity is done."""
    on = on or date.today()
    days = _idle_days(idle_days)
    within = settings.SALESRELAY["POOL_NOTICE_DAYS"] if within is None else within
    # Returning by on + within: last done (or created) before on + within - days.
    cutoff = on + timedelta(days=within) - timedelta(days=days)
    prospects = (
        Client.objects.filter(owning_department=Department.ACQUISITION,
                              handed_off_on__isnull=True, owner__isnull=False)
        .annotate(last_done=Max("activities__done_on"))
        .filter(Q(last_done__lt=cutoff) | Q(last_done__isnull=True, created_on__lt=cutoff))
        .select_related("owner").order_by("pk"))
    warned: list[Client] = []
    for client in prospects:
        owner = client.owner
        if owner is None:  # never: owner__isnull=False above
            continue
        day = returns_to_pool_on(client.last_done, client.created_on, days).isoformat()
        if owner.notifications.filter(kind=NotificationKind.PROSPECT_EXPIRING,
                                      args__client_ref=client.ref, args__day=day).exists():
            continue
        notify([owner], NotificationKind.PROSPECT_EXPIRING, link=_card(client),
               client=client.name, client_ref=client.ref, day=day)
        warned.append(client)
    return warned


@transaction.atomic
def add_contact(client: Client, *, name: str, acting_user, position: str = "", phone: str = "",
                email: str = "") -> Contact:
    if not name.strip():
        raise ActionError(ErrorCode.INVALID, _("A contact needs a name."))
    require_fields(Contact, name=name, position=position, phone=phone, email=email)
    contact = Contact.objects.create(client=client, name=name.strip(), position=position,
                                     phone=phone, email=email)
    record("client.add_contact", client, actor=acting_user, contact=contact.name)
    return contact


UPDATABLE_CLIENT_FIELDS = ("name", "segment", "tax_id")


@transaction.atomic
def update_client_details(client: Client, *, changes: dict[str, object], acting_user,
                          source: str = "") -> Client:
    """A client's name, segment or tax id changed in the source (a later export): stored, with
    one audit row naming each column and its old and new value. Its history (who acquired it,
    when, its deals and money) is not touched."""
    unknown = set(changes) - set(UPDATABLE_CLIENT_FIELDS)
    if unknown:
        raise ActionError(ErrorCode.INVALID, _("%(columns)s of a client cannot be changed.") % {
            "columns": ", ".join(sorted(unknown))})
    client = Client.objects.select_for_update().get(pk=client.pk)
    before = {name: getattr(client, name) for name in changes}
    moved = False
    if "name" in changes:
        name = str(changes["name"])
        if not normalize_name(name):
            raise ActionError(ErrorCode.INVALID, _("A client needs a name."), field="name")
        require_fields(Client, name=name)
        client.name = name
        client.normalized_name = normalize_name(name)
    if "segment" in changes:
        client.segment = _require_segment(str(changes["segment"]))
        moved = client.segment != before["segment"]
    if "tax_id" in changes:
        tax_id = changes["tax_id"]
        client.tax_id = str(tax_id) if tax_id else None
        if client.tax_id:
            require_fields(Client, tax_id=client.tax_id)
            if (problem := tax_id_problem(client.tax_id)) is not None:
                raise ActionError(ErrorCode.INVALID, problem, field="tax_id")
    fields = [*changes, *(["normalized_name"] if "name" in changes else [])]
    # The collections by owner hold each segment's money: all of the client's moves along.
    with restating([client.pk] if moved else []):
        client.save(update_fields=fields)
    record("client.update", client, actor=acting_user, source=source,
           changes={name: [before[name], getattr(client, name)] for name in changes})
    return client


def _require_segment(code: str) -> str:
    if not Segment.objects.filter(code=code).exists():
        raise ActionError(ErrorCode.UNKNOWN_SEGMENT, _(
            "Unknown segment %(segment)s: the segments are %(known)s.") % {
            "segment": code, "known": ", ".join(Segment.objects.values_list("code", flat=True))},
            field="segment")
    return code


def _segment_names(name_en: str, name_ru: str) -> tuple[str, str]:
    name_en, name_ru = name_en.strip(), name_ru.strip()
    if not name_en:
        raise ActionError(ErrorCode.INVALID, _("A segment needs an English name."),
                          field="name_en")
    require_fields(Segment, name_en=name_en, name_ru=name_ru)
    return name_en, name_ru


@transaction.atomic
def add_segment(*, code: str, name_en: str, name_ru: str = "", acting_user) -> Segment:
    """A new segment the director (or an import with ``--create-segments``) adds; its code is
    what files and plans name it by, and is never changed afterwards."""
    code = code.strip()
    if not SEGMENT_CODE.fullmatch(code):
        raise ActionError(ErrorCode.INVALID, _(
            "%(code)s is not a segment code: lower-case Latin letters, digits, _ and -, at most "
            "32, starting with a letter.") % {"code": code}, field="code")
    name_en, name_ru = _segment_names(name_en, name_ru)
    if Segment.objects.filter(code=code).exists():
        raise ActionError(ErrorCode.INVALID, _("The segment %(code)s already exists.") % {
            "code": code}, field="code")
    segment = Segment.objects.create(code=code, name_en=name_en, name_ru=name_ru)
    record_event("segment.add", "segment", code, actor=acting_user, name_en=name_en,
                 name_ru=name_ru)
    return segment


@transaction.atomic
def rename_segment(segment: Segment, *, name_en: str, name_ru: str, acting_user) -> Segment:
    """New names for a segment; its code, and so every client, file and plan naming it, stays."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    name_en, name_ru = _segment_names(name_en, name_ru)
    before = [segment.name_en, segment.name_ru]
    segment.name_en, segment.name_ru = name_en, name_ru
    segment.save(update_fields=["name_en", "name_ru"])
    record_event("segment.rename", "segment", segment.code, actor=acting_user, before=before,
                 after=[name_en, name_ru])
    return segment
