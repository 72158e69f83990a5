from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q

from salesrelay.materials.models import SalesMaterial
from salesrelay.pipeline.choices import Outcome
from salesrelay.web.htmx import render_page


@login_required
def material_list(request):
    materials = SalesMaterial.objects.annotate(
        meetings=Count("activities", filter=Q(activities__outcome=Outcome.HELD)))
    return render_page(request, "materials/list.html", {"materials": materials})
