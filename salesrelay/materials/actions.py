"""Writes to the sales materials: an upload is a new material, or the next version of one.

A file is kept with Django's storage under ``MEDIA_ROOT/materials/`` and served to the sales
roles through the app (``materials:file``), never as a public folder. Uploads are limited in
size (``MAX_BYTES``) and to the file types of ``EXTENSIONS``. Each upload of a title already
known is its next version (``2``, ``3``, …), a material of its own published that day, so that
the meetings held with the earlier version keep naming it.
"""

from __future__ import annotations

import os
from datetime import date

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.clients.models import Segment
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_fields
from salesrelay.materials.choices import MaterialKind
from salesrelay.materials.models import SalesMaterial
from salesrelay.refs import give_ref, placeholder_ref

MAX_BYTES = 25 * 1024 * 1024
EXTENSIONS = (".pdf", ".pptx", ".ppt", ".key", ".docx", ".doc", ".xlsx", ".xls", ".odp", ".odt",
              ".ods", ".jpg", ".jpeg", ".png", ".webp", ".zip", ".mp4")


def check_file(upload) -> None:
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in EXTENSIONS:
        raise ActionError(ErrorCode.INVALID, _(
            "%(name)s is not a file type sales materials may have (%(types)s)") % {
            "name": upload.name, "types": ", ".join(e.lstrip(".") for e in EXTENSIONS)},
            field="file")
    if upload.size > MAX_BYTES:
        raise ActionError(ErrorCode.INVALID, _(
            "%(name)s is %(size)s MB: a sales material is at most %(max)s MB") % {
            "name": upload.name, "size": round(upload.size / 1024 / 1024, 1),
            "max": MAX_BYTES // 1024 // 1024}, field="file")
    if upload.size == 0:
        raise ActionError(ErrorCode.INVALID, _("%(name)s is empty") % {"name": upload.name},
                          field="file")


def next_version(title: str) -> int:
    versions = SalesMaterial.objects.annotate(lower=Lower("title")).filter(
        lower=title.lower()).values_list("version", flat=True)
    return 1 + max((int(v) for v in versions if v.isdigit()), default=0)


@transaction.atomic
def upload_material(*, title: str, kind: str, upload, acting_user, target_segment: str = "",
                    published_on: date | None = None) -> SalesMaterial:
    title = title.strip()
    if not title:
        raise ActionError(ErrorCode.INVALID, _("Give the title."), field="title")
    require_fields(SalesMaterial, title=title)
    if kind not in MaterialKind.values:
        raise ActionError(ErrorCode.INVALID, _("%(kind)s is not a kind of material") % {
            "kind": kind}, field="kind")
    if target_segment and not Segment.objects.filter(code=target_segment).exists():
        raise ActionError(ErrorCode.UNKNOWN_SEGMENT, _("No segment %(code)s") % {
            "code": target_segment}, field="target_segment")
    check_file(upload)
    # Two uploads of one title at once would take the same number: one waits for the other.
    list(SalesMaterial.objects.select_for_update().annotate(lower=Lower("title")).filter(
        lower=title.lower()).values_list("pk", flat=True))
    material = SalesMaterial(ref=placeholder_ref(), title=title, kind=kind,
                             version=str(next_version(title)),
                             published_on=published_on or date.today(),
                             target_segment=target_segment)
    material.file.save(os.path.basename(upload.name), upload, save=False)
    material.save()
    give_ref(material)
    record("material.upload", material, actor=acting_user, title=title,
           version=material.version, file=material.file.name, size=upload.size,
           target_segment=target_segment)
    return material
