from django.db import models
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.choices import Segment
from salesrelay.materials.choices import MaterialKind


class SalesMaterial(models.Model):
    """A catalog, promo kit or price list a hunter can show at a meeting."""

    ref = models.CharField(_("id"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to="materials/", blank=True)
    link = models.URLField(_("link"), blank=True)
    version = models.CharField(_("version"), max_length=32, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    target_segment = models.CharField(
        _("target segment"), max_length=32, choices=Segment.choices, blank=True
    )

    class Meta:
        ordering = ["-published_on", "title", "id"]
        verbose_name = _("sales material")
        verbose_name_plural = _("sales materials")

    def __str__(self) -> str:
        return f"{self.title} {self.version}".strip()
