"""The activities list: every call, meeting, e-mail and note on the clients the viewer may read."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count

from salesrelay.people.access import viewer_of
from salesrelay.people.choices import Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.filters import ActivityFilter
from salesrelay.pipeline.models import Activity
from salesrelay.pipeline.tables import ActivityTable
from salesrelay.web.lists import employee_choices, list_page


@login_required
def activity_list(request):
    # The clients and employees of the page's rows fetched after them, not joined (as the deals
    # and payments lists: joined, SQLite reads every client's activities and sorts them all).
    activities = Activity.objects.restrict(viewer_of(request)).prefetch_related("client",
                                                                                "employee")
    filterset = ActivityFilter(request.GET, queryset=activities)
    employee_choices(filterset, Employee.objects.exclude(role=Role.ACCOUNTANT).order_by("name"),
                     "employee")
    return list_page(request, table=ActivityTable, filterset=filterset,
                     totals={"count": Count("id")}, filename="activities",
                     template="pipeline/activities.html", default_sort="-done_on")
