"""Sales materials: the list for the sales roles (each file downloaded through the app), and the
director's upload of a new material or of a material's next version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from salesrelay.clients.models import Segment
from salesrelay.errors import ActionError
from salesrelay.materials.actions import MAX_BYTES, upload_material
from salesrelay.materials.forms import UploadForm
from salesrelay.materials.models import SalesMaterial
from salesrelay.people.access import viewer_of
from salesrelay.pipeline.choices import Outcome
from salesrelay.web.htmx import render_page


@login_required
def material_list(request):
    viewer = viewer_of(request)
    materials = SalesMaterial.objects.annotate(
        meetings=Count("activities", filter=Q(activities__outcome=Outcome.HELD)))
    return render_page(request, "materials/list.html", {
        "materials": materials, "can_upload": viewer.may("materials:upload", "write")})


def _segments():
    return [(s.code, s.name) for s in Segment.objects.order_by("code")]


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, segments=_segments())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = upload_material(title=data["title"], kind=data["kind"],
                                       target_segment=data["target_segment"],
                                       upload=data["file"], acting_user=request.user)
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(title)s uploaded as version %(version)s.") % {
                "title": material.title, "version": material.version})
            return redirect("materials:list")
    return render_page(request, "materials/upload.html", {
        "form": form, "max_mb": MAX_BYTES // 1024 // 1024}, status=400 if form.errors else 200)


@login_required
def download(request, ref: str):
    material = get_object_or_404(SalesMaterial, ref=ref)
    if material.file.name:
        return FileResponse(material.file.open("rb"), as_attachment=True,
                            filename=material.file.name.rsplit("/", 1)[-1])
    if material.link:
        return redirect(material.link)
    raise Http404
