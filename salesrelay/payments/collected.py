"""The two stored roll-ups of the allocations, and the writers' one way to keep them.

- ``Deal.received``: Σ of the deal's allocations, all dates (a cancellation's reversal brings it
  to 0). The receivables on a day are then the won deals with ``received < amount`` (a partial
  index holds them) plus the few with an allocation after the day or cancelled after it; the
  exact amount owed is computed on those only.
- ``Collected``: the company's collections per month, by the owner of the client on each
  allocation's effective day (employee, department) and by the client's segment. The
  collections page reads it instead of looking up the owner of each allocation of its range.

Who keeps them (every one in the writer's own transaction):

- :func:`record_allocations`, after every write of allocations by an action
  (``payments.ledger.store_allocations``: a payment, a win that takes credit, a cancellation and
  its re-allocations, a refund);
- :func:`restating`, around every change of what a client's allocations are counted under: a
  move of its ownership (``clients.actions._move_ownership``: handoff, assignment,
  reassignment, release, a leaver's handover; a back-dated one too, as it states again every
  allocation from the day of the change) and a change of its segment;
- the importer's write stage, which writes allocations in bulk: ``received`` goes in with each
  new deal's row, :func:`refresh_received` sums again the stored deals it added to, and
  :func:`rebuild` states ``Collected`` again from all the allocations;
- the data migrations that added them (:func:`rebuild`, :func:`refresh_received`). A backup
  holds both tables whole, and a restore puts them back with the allocations they sum.

:func:`differences` compares both with what the allocations and the ownerships give
(``salesrelay collected``), the owners searched the analytics' way rather than as the writers
find them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.models import Deal
from salesrelay.payments.models import Allocation, Collected

ZERO = Decimal("0.00")
BATCH = 5000

Key = tuple[date, int | None, str, str]
"""(month's first day, owner's employee pk or None, owning department or '', segment)."""


def _owners(clients: Iterable[int]) -> dict[int, list[tuple[date, int, date | None, int | None, str]]]:
    """Each client's ownership rows (started, id, ended, employee, department), the latest
    started first: two queries' worth of rows instead of a search per allocation."""
    ids = sorted(set(clients))
    spans: dict[int, list[tuple[date, int, date | None, int | None, str]]] = defaultdict(list)
    for start in range(0, len(ids), BATCH):
        for client, started, pk, ended, employee, department in Ownership.objects.filter(
                client_id__in=ids[start:start + BATCH]).values_list(
                "client_id", "started_on", "id", "ended_on", "employee_id", "department"):
            spans[client].append((started, pk, ended, employee, department))
    for rows in spans.values():
        rows.sort(reverse=True)
    return spans


def owner_on(spans: list[tuple[date, int, date | None, int | None, str]],
             day: date) -> tuple[int | None, str]:
    """(employee pk or None, department or '') of the row covering ``day``, the latest started
    (then the latest written) of them, as the analytics' ``_owner_on`` picks it."""
    for started, _pk, ended, employee, department in spans:
        if started <= day and (ended is None or ended > day):
            return employee, department
    return None, ""


def sums(allocations: QuerySet[Allocation]) -> dict[Key, tuple[Decimal, int]]:
    """What ``allocations`` add to each ``Collected`` key (amount, number of allocations):
    their sums per day and client (one query), each given the owner that day from the clients'
    ownership rows (:func:`owner_on`), folded by month (the same on both databases)."""
    rows = list(allocations.values("effective_on", "deal__client_id", "deal__client__segment")
                .annotate(total=Sum("amount"), n=Count("id")).order_by().values_list(
                    "effective_on", "deal__client_id", "deal__client__segment", "total", "n"))
    spans = _owners(client for _day, client, _segment, _total, _n in rows)
    found: dict[Key, tuple[Decimal, int]] = {}
    for day, client, segment, total, n in rows:
        owner, owning = owner_on(spans.get(client, []), day)
        key = (day.replace(day=1), owner, owning, segment)
        amount, count = found.get(key, (ZERO, 0))
        found[key] = (amount + total, count + n)
    return found


def _sums_searched(allocations: QuerySet[Allocation]) -> dict[Key, tuple[Decimal, int]]:
    """As :func:`sums`, the owner searched for each allocation in the database (the analytics'
    own query): what :func:`differences` compares with, a second way to the same figures."""
    day = OuterRef("effective_on")
    span = Ownership.objects.filter(client=OuterRef("deal__client"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)).order_by("-started_on", "-id")
    found: dict[Key, tuple[Decimal, int]] = {}
    for on, owner, owning, segment, total, n in allocations.annotate(
            owner=Subquery(span.values("employee_id")[:1]),
            owning=Subquery(span.values("department")[:1])).values(
            "effective_on", "owner", "owning", "deal__client__segment").annotate(
            total=Sum("amount"), n=Count("id")).order_by().values_list(
            "effective_on", "owner", "owning", "deal__client__segment", "total", "n"):
        key = (on.replace(day=1), owner, owning or "", segment)
        amount, count = found.get(key, (ZERO, 0))
        found[key] = (amount + total, count + n)
    return found


def _less(after: dict[Key, tuple[Decimal, int]],
          before: dict[Key, tuple[Decimal, int]]) -> dict[Key, tuple[Decimal, int]]:
    zero = (ZERO, 0)
    return {key: (after.get(key, zero)[0] - before.get(key, zero)[0],
                  after.get(key, zero)[1] - before.get(key, zero)[1])
            for key in {*before, *after}}


def _order(key: Key) -> tuple:
    return key[0], key[1] or 0, key[2], key[3]


def _add(changes: dict[Key, tuple[Decimal, int]]) -> None:
    """Each key's row moved by (amount, allocations), created when new and deleted when it
    holds no allocation any more."""
    for key in sorted(changes, key=_order):
        amount, n = changes[key]
        if not amount and not n:
            continue
        month, owner, owning, segment = key
        stored = Collected.objects.filter(month=month, employee=owner, department=owning,
                                          segment=segment)
        if not stored.update(amount=F("amount") + amount, allocations=F("allocations") + n):
            try:
                with transaction.atomic():  # a savepoint: the row may come from another write
                    Collected.objects.create(month=month, employee_id=owner, department=owning,
                                             segment=segment, amount=amount, allocations=n)
            except IntegrityError:
                # Created meanwhile by a concurrent write (PostgreSQL waited for it to commit):
                # add to it instead.
                stored.update(amount=F("amount") + amount, allocations=F("allocations") + n)
        elif n < 0:
            stored.filter(allocations=0).delete()


def _add_many(changes: dict[Key, tuple[Decimal, int]]) -> None:
    """As :func:`_add`, for many keys at once (an import): the stored rows of their months read
    in one query, then changed and created in bulk."""
    months = sorted({key[0] for key in changes})
    stored = {(row.month, row.employee_id, row.department, row.segment): row
              for row in Collected.objects.select_for_update().filter(month__in=months)}
    changed, created = [], []
    for key in sorted(changes, key=_order):
        amount, n = changes[key]
        if not amount and not n:
            continue
        row = stored.get(key)
        if row is None:
            created.append(Collected(month=key[0], employee_id=key[1], department=key[2],
                                     segment=key[3], amount=amount, allocations=n))
        else:
            row.amount += amount
            row.allocations += n
            changed.append(row)
    Collected.objects.bulk_update(changed, ["amount", "allocations"], batch_size=BATCH)
    Collected.objects.bulk_create(created, batch_size=BATCH)
    Collected.objects.filter(pk__in=[row.pk for row in changed if not row.allocations]).delete()


def record_imported(allocations: Iterable[tuple[date, int, Decimal]]) -> None:
    """Allocations the importer wrote in bulk, as (effective day, client pk, amount), added to
    the collections by owner: the owner each day from the clients' ownership rows as stored
    (the import's own rows and moves included), the segment as stored."""
    rows = list(allocations)
    clients = sorted({client for _day, client, _amount in rows})
    segments: dict[int, str] = {}
    for start in range(0, len(clients), BATCH):
        segments.update(Client.objects.filter(pk__in=clients[start:start + BATCH])
                        .values_list("pk", "segment"))
    spans = _owners(clients)
    found: dict[Key, tuple[Decimal, int]] = {}
    for day, client, amount in rows:
        owner, owning = owner_on(spans.get(client, []), day)
        key = (day.replace(day=1), owner, owning, segments[client])
        total, count = found.get(key, (ZERO, 0))
        found[key] = (total + amount, count + 1)
    _add_many(found)


def record_allocations(allocations: Iterable[Allocation]) -> None:
    """New allocations (stored, with their primary keys) added to both roll-ups."""
    rows = list(allocations)
    if not rows:
        return
    by_deal: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for a in rows:
        by_deal[a.deal_id] += a.amount
    for deal_id, amount in sorted(by_deal.items()):
        Deal.objects.filter(pk=deal_id).update(received=F("received") + amount)
    _add(sums(Allocation.objects.filter(pk__in=[a.pk for a in rows])))


@contextmanager
def restating(clients: Iterable[int], since: date | None = None) -> Iterator[None]:
    """Around a change of what these clients' allocations from ``since`` on are counted under
    (their owner on the day, their segment): ``Collected`` loses what they added before the
    change and gains what they add after it."""
    ids = sorted(set(clients))

    def now() -> dict[Key, tuple[Decimal, int]]:
        allocations = Allocation.objects.filter(deal__client_id__in=ids)
        if since is not None:
            allocations = allocations.filter(effective_on__gte=since)
        return sums(allocations)

    before = now()
    yield
    _add(_less(now(), before))


def rebuild() -> int:
    """``Collected`` stated again from every allocation; the number of rows."""
    Collected.objects.all().delete()
    found = sums(Allocation.objects.all())
    rows = [Collected(month=key[0], employee_id=key[1], department=key[2], segment=key[3],
                      amount=found[key][0], allocations=found[key][1])
            for key in sorted(found, key=_order)]
    Collected.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _received():
    money = DecimalField(max_digits=16, decimal_places=2)
    total = Allocation.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(
        total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=money), Value(ZERO), output_field=money)


def refresh_received(deals: Iterable[int] | None = None) -> None:
    """``Deal.received`` summed again, for these deals (primary keys) or all of them."""
    if deals is None:
        Deal.objects.update(received=_received())
        return
    ids = sorted(set(deals))
    for start in range(0, len(ids), BATCH):
        Deal.objects.filter(pk__in=ids[start:start + BATCH]).update(received=_received())


def differences() -> list[str]:
    """Where the stored roll-ups differ from what the allocations and the ownerships give, one
    line each (none: they agree)."""
    found = []
    for ref, received, summed in Deal.objects.annotate(actual=_received()).exclude(
            received=F("actual")).order_by("ref").values_list("ref", "received", "actual"):
        found.append(f"deal {ref}: received {received}, its allocations {summed}")
    actual_sums = _sums_searched(Allocation.objects.all())
    stored_sums: dict[Key, tuple[Decimal, int]] = {}
    for month, owner, owning, segment, amount, n in Collected.objects.values_list(
            "month", "employee_id", "department", "segment", "amount", "allocations"):
        stored_sums[month, owner, owning, segment] = (amount, n)
    for key in sorted({*actual_sums, *stored_sums}, key=_order):
        stored, actual = stored_sums.get(key, (ZERO, 0)), actual_sums.get(key, (ZERO, 0))
        if stored != actual:
            found.append(f"collected {key[0]:%Y-%m} employee {key[1]} {key[2] or '-'} {key[3]}: "
                         f"{stored[0]} in {stored[1]}, the allocations {actual[0]} in "
                         f"{actual[1]}")
    return found
