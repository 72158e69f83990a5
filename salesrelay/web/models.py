"""What the installation records about itself: the backups taken."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """The marker ``salesrelay backup`` writes into every backup and ``salesrelay restore`` looks
    for before it replaces anything: the product, its version, when, and the rows of the main
    tables (JSON text, so that it reads the same from a SQLite file and from a pg_dump archive).
    """

    product = models.CharField(_("product"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    taken_at = models.DateTimeField(_("taken at"))
    rows = models.TextField(_("rows per table"))

    class Meta:
        db_table = "salesrelay_backup"
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self) -> str:
        return f"{self.product} {self.version} {self.taken_at:%Y-%m-%d %H:%M}"
