"""``Model.objects.restrict(viewer, action)``: the one queryset method every list, page, export
and API view asks for what a viewer may see or change. The rules themselves live in
``salesrelay.people.access``; this module only hands each model's queryset to them.

>>> Client.objects.restrict(viewer, "write")  # doctest: +SKIP
"""

from __future__ import annotations

from django.db import models


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, viewer, action: str = "read"):
        from salesrelay.people.access import condition  # the rules import the models

        rule = condition(viewer, self.model, action)
        return self.none() if rule is None else self.filter(rule)
