"""The navigation a signed-in user sees: the routes the access table lets their role read."""

from salesrelay.people.access import ROUTES, viewer_of


def navigation(request):
    if not request.user.is_authenticated:
        return {}
    viewer = viewer_of(request)
    readable = {name for name, rule in ROUTES.items() if viewer.access_role in rule.read}
    return {"viewer": viewer, "nav": readable}
