"""The navigation a signed-in user sees, by role."""

from salesrelay.people.access import viewer_for


def navigation(request):
    if not request.user.is_authenticated:
        return {}
    return {"viewer": viewer_for(request.user)}
