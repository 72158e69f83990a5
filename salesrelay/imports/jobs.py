"""The web import as a background job (django-q2, its queue in the database itself).

A job is checked first — ``run_import(..., dry_run=True)`` on the uploaded files — and imported
when someone asks for it, by the same call without ``dry_run``. The worker process
(``salesrelay worker``) runs both; as the importer reports its steps, ``JobProgress`` stores
them on the ``ImportJob`` row that the page polls. The uploaded files live in the job's folder
under ``MEDIA_ROOT/imports/`` until the job has nothing more to do with them.

    enqueue(job)   # the check; enqueue(job, apply=True) once it is checked
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from salesrelay.imports.choices import JobStage, JobStatus
from salesrelay.imports.importer import run_import
from salesrelay.imports.models import ImportJob
from salesrelay.imports.reader import SourceError

log = logging.getLogger(__name__)

LISTED = 1000  # bad rows kept and shown in full; the rest are counted
# The importer's progress messages ("read deals.csv: 1200 rows", "wrote 1200 deals") are text
# for people; the counts in them feed the bar, and a message of another shape changes nothing.
READ = re.compile(r"^read .+: (\d+) rows$")
WROTE = re.compile(r"^wrote (\d+) ")


def job_folder(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(job.pk)


def source_path(job: ImportJob) -> Path:
    """What ``run_import`` reads: the one workbook, or the folder of CSV files."""
    folder = job_folder(job)
    return folder / job.workbook if job.workbook else folder


def enqueue(job: ImportJob, *, apply: bool = False) -> None:
    """Hand the job to the worker. With ``Q_CLUSTER["sync"]`` (the tests) it runs right here."""
    from django_q.tasks import async_task

    async_task("salesrelay.imports.jobs.run_job", job.pk, apply,
               task_name=f"import {job.pk} {'apply' if apply else 'check'}",
               sync=settings.Q_CLUSTER.get("sync", False))


class JobProgress:
    """The importer's ``progress`` callback: each step it reports is saved on the job.

    The importer writes in one transaction, and the steps it reports inside it are saved in that
    transaction too: other connections see them when it commits (or never, if it fails)."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job

    def __call__(self, message: str) -> None:
        job = self.job
        if read := READ.match(message):
            job.rows_total += int(read.group(1))
            job.stage = JobStage.CHECKING
        elif message == "writing":
            job.stage = JobStage.WRITING
        elif (wrote := WROTE.match(message)) and job.stage == JobStage.WRITING:
            job.rows_done = min(job.rows_total, job.rows_done + int(wrote.group(1)))
        self.save()

    def save(self) -> None:
        job = self.job
        ImportJob.objects.filter(pk=job.pk).update(stage=job.stage, rows_done=job.rows_done,
                                                   rows_total=job.rows_total)


def run_job(job_id: int, apply: bool) -> str:
    """The task the worker runs: check (or import) the job's files and store the outcome."""
    job = ImportJob.objects.get(pk=job_id)
    job.stage, job.rows_done, job.rows_total = JobStage.READING, 0, 0
    progress = JobProgress(job)
    progress.save()
    try:
        report = run_import(source_path(job), dry_run=not apply, progress=progress)
    except SourceError as error:
        _finish(job, JobStatus.REFUSED, problems=error.problems)
    except Exception as error:
        log.exception("import %s failed", job.pk)
        _finish(job, JobStatus.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        if not report.ok:
            _finish(job, JobStatus.REFUSED, problems=report.problems)
        else:
            job.counts = _counts(report)
            job.rows_done = job.rows_total
            _finish(job, JobStatus.DONE if apply else JobStatus.CHECKED)
    return job.status


def _counts(report) -> list[dict]:
    """Per file, in name order, how many records are new and how many unchanged (and changed,
    where the report counts them). A list: PostgreSQL's jsonb keeps no key order."""
    kinds = {"new": report.created, "changed": getattr(report, "changed", None) or {},
             "unchanged": report.skipped}
    names = sorted(set().union(*(counts.keys() for counts in kinds.values())))
    return [{"file": name, **{kind: _number(counts.get(name, 0)) for kind, counts in kinds.items()}}
            for name in names]


def _number(value) -> int:
    """A count, or the length of what the report lists (changed records with their columns)."""
    return value if isinstance(value, int) else len(value)


def _finish(job: ImportJob, status: str, *, problems=(), error: str = "") -> None:
    job.status = status
    job.stage = JobStage.FINISHED
    job.finished_at = timezone.now()
    job.problems = [{"file": p.file, "line": p.line, "column": p.column, "reason": p.reason}
                    for p in problems[:LISTED]]
    job.problem_count = len(problems)
    job.error = error
    job.save(update_fields=["status", "stage", "finished_at", "problems", "problem_count",
                            "error", "rows_done", "rows_total", "counts"])
    if status != JobStatus.CHECKED:  # the files wait for the import only after a clean check
        shutil.rmtree(job_folder(job), ignore_errors=True)
