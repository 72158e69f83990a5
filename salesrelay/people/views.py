"""One's own personal API tokens: create one (its text is shown once) and revoke them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from salesrelay.people.actions import create_token, revoke_token
from salesrelay.web.htmx import render_page


@login_required
def tokens(request):
    created = None
    if request.method == "POST":
        token, created = create_token(request.user, actor=request.user)
        messages.success(request, _("Token %(id)s created. Copy it now: it is not shown again.")
                         % {"id": token.token_key})
    return render_page(request, "people/tokens.html", {
        "tokens": AuthToken.objects.filter(user=request.user).order_by("-created"),
        "created": created,
    })


@login_required
@require_POST
def revoke(request, token_key: str):
    token = get_object_or_404(AuthToken, user=request.user, token_key=token_key)
    revoke_token(token, actor=request.user)
    messages.success(request, _("Token %(id)s revoked.") % {"id": token_key})
    return redirect("people:tokens")
