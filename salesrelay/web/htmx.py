"""The one place that decides whether a request gets a whole page or a fragment."""

from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """``partial`` (a template with just the fragment) answers htmx requests."""
    if partial is not None and getattr(request, "htmx", False):
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)
