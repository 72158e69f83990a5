from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from salesrelay.errors import ActionError
from salesrelay.notifications import actions
from salesrelay.notifications.models import Notification, Preference
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page

PAGE_SIZE = 50


@login_required
def notification_list(request):
    """The bell's page: newest first. A POST with ``id`` marks that one read and follows its
    link; with ``all`` marks every one read; with ``language`` stores the e-mail preference."""
    viewer = viewer_of(request)
    employee = viewer.employee
    own = Notification.objects.restrict(viewer, "own")
    if request.method == "POST" and employee is not None:
        if "language" in request.POST:
            try:
                actions.set_preference(employee, language=request.POST["language"],
                                       by_email=request.POST.get("by_email") == "1",
                                       acting_user=request.user)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:list")
        if "all" in request.POST:
            actions.mark_read(employee)
            return redirect("notifications:list")
        notification = own.filter(pk=request.POST.get("id") or 0).first()
        if notification is None:
            return redirect("notifications:list")
        actions.mark_read(employee, ids=[notification.pk])
        link = notification.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return redirect(link)
        return redirect("notifications:list")
    page = Paginator(own, PAGE_SIZE).get_page(request.GET.get("page"))
    preference = (Preference.objects.filter(employee=employee).first()
                  if employee is not None else None)
    return render_page(request, "notifications/list.html", {
        "page": page, "preference": preference or Preference(employee=employee)
        if employee is not None else None})
