"""Planned activities as tasks: a day and a time, ticked done and undone by their own employee,
overdue in red, and the home page of every role starting with the day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from salesrelay.audit.models import AuditEntry
from salesrelay.errors import ActionError
from salesrelay.pipeline.actions import log_activity, mark_activity_done
from salesrelay.pipeline.models import Activity
from salesrelay.pipeline.selectors import my_day
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def task(client, employee, day, at=None, subject="call back"):
    return log_activity(client=client, employee=employee, kind="call", acting_user=None,
                        subject=subject, planned_on=day, planned_at=at)


def test_a_task_is_overdue_after_its_day_or_on_its_day_after_its_time(org):
    people, objects = org
    now = timezone.make_aware(datetime(2026, 3, 10, 11, 30))
    nine = task(objects["mine"], people["hunter"], date(2026, 3, 10), time(9, 0))
    noon = task(objects["mine"], people["hunter"], date(2026, 3, 10), time(12, 0))
    some_time = task(objects["mine"], people["hunter"], date(2026, 3, 10))
    yesterday = task(objects["mine"], people["hunter"], date(2026, 3, 9))
    assert [a.is_overdue(timezone.localtime(now)) for a in (nine, noon, some_time, yesterday)] == [
        True, False, False, True]


def test_my_day_lists_overdue_today_and_the_next_seven_days_in_order(org):
    people, objects = org
    anna, mine = people["hunter"], objects["mine"]
    now = timezone.localtime(timezone.make_aware(datetime(2026, 3, 10, 8, 0)))
    task(mine, anna, date(2026, 3, 10), subject="no time")
    task(mine, anna, date(2026, 3, 10), time(15, 0), subject="at three")
    task(mine, anna, date(2026, 3, 10), time(9, 0), subject="at nine")
    task(mine, anna, date(2026, 3, 2), subject="last week")
    task(mine, anna, date(2026, 3, 17), subject="in a week")
    task(mine, anna, date(2026, 3, 18), subject="in eight days")
    task(mine, people["other_hunter"], date(2026, 3, 10), subject="Pavel's")
    done = task(mine, anna, date(2026, 3, 10), subject="done already")
    mark_activity_done(done, done=True, acting_user=None, on=date(2026, 3, 10))
    day = my_day(anna, now=now)
    assert [[a.subject for a in part] for part in (day.overdue, day.today, day.coming)] == [
        ["last week"], ["at nine", "at three", "no time"], ["in a week"]]


def test_done_and_not_done_again(org):
    people, objects = org
    call = task(objects["mine"], people["hunter"], date(2026, 3, 10), time(9, 0))
    mark_activity_done(call, done=True, acting_user=None, on=date(2026, 3, 11))
    call.refresh_from_db()
    assert (call.done_on, call.outcome, call.planned_on) == (date(2026, 3, 11), "done",
                                                           date(2026, 3, 10))
    mark_activity_done(call, done=False, acting_user=None)
    call.refresh_from_db()
    assert (call.done_on, call.outcome, call.planned_on, call.planned_at) == (
        None, "", date(2026, 3, 10), time(9, 0))
    assert list(AuditEntry.objects.filter(object_ref=call.ref).values_list("action", flat=True)
                .order_by("id")) == ["activity.log", "activity.done", "activity.undone"]


def test_an_activity_logged_as_done_keeps_its_day_as_the_plan_when_undone(org):
    people, objects = org
    call = log_activity(client=objects["mine"], employee=people["hunter"], kind="call",
                        acting_user=None, done_on=date(2026, 3, 3), outcome="held")
    mark_activity_done(call, done=False, acting_user=None)
    call.refresh_from_db()
    assert (call.planned_on, call.done_on, call.outcome) == (date(2026, 3, 3), None, "")


def test_a_time_without_a_day_is_refused(org):
    people, objects = org
    with pytest.raises(ActionError) as error:
        log_activity(client=objects["mine"], employee=people["hunter"], kind="call",
                     acting_user=None, done_on=date(2026, 3, 3), planned_at=time(9, 0))
    assert error.value.message == "A time needs the day it is planned on."
    assert Activity.objects.count() == 0


def test_the_home_page_starts_with_the_day_and_ticks_a_task_with_htmx(client, org):
    people, objects = org
    today = timezone.localdate()
    late = task(objects["mine"], people["hunter"], today - timedelta(days=2), subject="late")
    task(objects["mine"], people["hunter"], today + timedelta(days=3), time(10, 30),
         subject="soon")
    assert client.login(username="anna", password=PASSWORD)
    page = client.get("/").content.decode()
    assert page.index('id="my-day"') < page.index("My pipeline")
    assert f'<li id="task-{late.ref}" class="task overdue"' in page
    assert "late" in page and "soon" in page and "10:30" in page
    response = client.post(f"/pipeline/activities/{late.ref}/done/", {"done": "1"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<li id="task-{late.ref}" class="task done"')
    late.refresh_from_db()
    assert (late.done_on, late.outcome) == (today, "done")


def test_an_employee_ticks_only_their_own_tasks(client, org):
    people, objects = org
    call = task(objects["mine"], people["hunter"], date(2026, 3, 10))
    for login in ("hanna", "dora"):
        assert client.login(username=login, password=PASSWORD)
        assert client.post(f"/pipeline/activities/{call.ref}/done/",
                           {"done": "1"}).status_code == 404
    call.refresh_from_db()
    assert call.done_on is None


def test_a_task_with_a_time_from_the_client_card(client, org):
    people, objects = org
    assert client.login(username="anna", password=PASSWORD)
    response = client.post(f"/pipeline/clients/{objects['mine'].ref}/activities/", {
        "kind": "meeting", "subject": "demo", "planned_on": "2026-03-12",
        "planned_at": "14:15"})
    assert response.status_code == 302
    meeting = Activity.objects.get()
    assert (meeting.planned_on, meeting.planned_at, meeting.employee) == (
        date(2026, 3, 12), time(14, 15), people["hunter"])
    card = client.get(f"/clients/{objects['mine'].ref}/").content.decode()
    row = card[card.index(f'data-activity="{meeting.ref}"'):]
    assert row[:row.index("</tr>")].count("14:15") == 1


def test_a_task_with_a_time_through_the_api(client, org):
    people, objects = org
    assert client.login(username="anna", password=PASSWORD)
    response = client.post("/api/v1/activities/", {
        "client": objects["mine"].ref, "kind": "call", "planned_on": "2026-03-12",
        "planned_at": "09:45"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["planned_on"], response.json()["planned_at"]) == (
        "2026-03-12", "09:45:00")
    assert Activity.objects.get().planned_at == time(9, 45)
