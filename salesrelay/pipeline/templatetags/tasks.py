"""``{% if task|overdue %}``: a planned activity past its day, or on its day past its time, by the
installation's clock (``TIME_ZONE``)."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def overdue(activity) -> bool:
    return activity.is_overdue(timezone.localtime())
