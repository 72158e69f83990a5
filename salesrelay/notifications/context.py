"""The bell of the header: the signed-in employee's unread notifications, one count query."""

from salesrelay.notifications.models import Notification
from salesrelay.people.access import viewer_of


def bell(request):
    if not request.user.is_authenticated:
        return {}
    viewer = viewer_of(request)
    if viewer.employee is None:
        return {}
    return {"unread_notifications": Notification.objects.restrict(viewer, "own").filter(
        read_at__isnull=True).count()}
