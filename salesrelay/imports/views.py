"""The web import: upload, watch the check, read every bad row, then import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from salesrelay.errors import ActionError
from salesrelay.imports.actions import apply_import, start_import
from salesrelay.imports.forms import UploadForm
from salesrelay.imports.models import ImportJob
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page

RECENT = 20


@login_required
def upload(request):
    viewer = viewer_of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(form.cleaned_data["files"], acting_user=request.user)
        except ActionError as error:
            form.add_error("files", error.message)
        else:
            return redirect("imports:job", pk=job.pk)
    jobs = ImportJob.objects.restrict(viewer).select_related("created_by__employee")[:RECENT]
    return render_page(request, "imports/upload.html", {"form": form, "jobs": jobs},
                       status=400 if form.errors else 200)


def _job(request, pk: int, action: str = "read") -> ImportJob:
    return get_object_or_404(ImportJob.objects.restrict(viewer_of(request), action)
                             .select_related("created_by__employee"), pk=pk)


@login_required
def job(request, pk: int):
    return render(request, "imports/job.html", {"job": _job(request, pk)})


@login_required
def progress(request, pk: int):
    """The job's state alone, polled every second by the page while the job runs."""
    return render(request, "imports/progress.html", {"job": _job(request, pk)})


@login_required
@require_POST
def apply(request, pk: int):
    job = _job(request, pk, "write")
    try:
        apply_import(job, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("imports:job", pk=job.pk)
