"""The writes of the web import: an upload becomes a job that is checked, then applied."""

from __future__ import annotations

import re
import shutil
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.imports.choices import JobStage, JobStatus
from salesrelay.imports.jobs import enqueue, job_folder
from salesrelay.imports.models import ImportJob

SAFE_NAME = re.compile(r"^[\w][\w .()-]*$")


def upload_names(names: list[str]) -> tuple[list[str], str]:
    """The uploaded file names as they will be stored, and the workbook's if it is one: many
    ``.csv`` files (a folder's) or one ``.xlsx``. A browser sends a bare name; anything with a
    path, a leading dot or an odd character is refused rather than cleaned up.

    >>> upload_names(["deals.csv", "employees.csv"]), upload_names(["export.xlsx"])
    ((['deals.csv', 'employees.csv'], ''), (['export.xlsx'], 'export.xlsx'))
    """
    if not names:
        raise ActionError(ErrorCode.INVALID,
                          _("Choose the CSV files of a folder, or one .xlsx workbook."))
    for name in names:
        if PurePath(name).name != name or not SAFE_NAME.match(name):
            raise ActionError(ErrorCode.INVALID, _(
                "%(name)s: a file name of letters, digits, spaces, dots and dashes, please."
            ) % {"name": name})
    suffixes = {PurePath(name).suffix.lower() for name in names}
    if suffixes == {".xlsx"} and len(names) == 1:
        return names, names[0]
    if suffixes != {".csv"}:
        raise ActionError(ErrorCode.INVALID,
                          _("Upload .csv files, or one .xlsx workbook on its own."))
    if len({name.lower() for name in names}) != len(names):
        raise ActionError(ErrorCode.INVALID, _("Two files have the same name."))
    return sorted(names), ""


@transaction.atomic
def start_import(files, *, acting_user) -> ImportJob:
    """Store the uploaded files in a new job's folder and queue their check (a dry run).

    ``files``: uploaded files (``name`` and ``chunks()``, as Django's ``UploadedFile``)."""
    names, workbook = upload_names([f.name for f in files])
    job = ImportJob.objects.create(created_by=acting_user if acting_user.is_authenticated else None,
                                   files=names, workbook=workbook)
    folder = job_folder(job)
    shutil.rmtree(folder, ignore_errors=True)  # left by a database this one replaced
    folder.mkdir(parents=True)
    for upload in files:
        with open(folder / upload.name, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    record("import_uploaded", job, actor=acting_user, files=names)
    enqueue(job)  # the ORM broker's queue row commits with the job, or not at all
    return job


@transaction.atomic
def apply_import(job: ImportJob, *, acting_user) -> ImportJob:
    """Queue the import of a job whose check found no bad rows."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.CHECKED:
        raise ActionError(ErrorCode.INVALID, _(
            "Only a checked upload without bad rows can be imported; this one is “%(status)s”."
        ) % {"status": job.get_status_display()})
    job.status, job.stage = JobStatus.APPLYING, JobStage.WAITING
    job.save(update_fields=["status", "stage"])
    record("import_applied", job, actor=acting_user)
    enqueue(job, apply=True)
    return job
