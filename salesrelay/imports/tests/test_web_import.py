"""The web import end to end, the job run synchronously (django-q2's ``sync``): a file with a bad
row is refused with the row in the table and nothing written; good files are checked, then
applied, and the job's progress reaches the end."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_q.conf import Conf

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client
from salesrelay.errors import ActionError
from salesrelay.imports.actions import upload_names
from salesrelay.imports.choices import JobStage, JobStatus
from salesrelay.imports.importer import run_import
from salesrelay.imports.jobs import JobProgress, job_folder
from salesrelay.imports.models import ImportJob
from salesrelay.people.models import Employee

PASSWORD = "secret-pass-1"
EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01
"""
BAD_EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,wizard,2026-01-01
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,ACME Baths,dealer,H1,2026-01-05
C2,Nord Plumbing,online_store,H1,2026-01-06
"""


@pytest.fixture
def sync_jobs(settings, monkeypatch, tmp_path):
    """Jobs run inside the request that queues them, in the test's transaction."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    monkeypatch.setattr(Conf, "SYNC", True)  # django-q2 reads it once, at import
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(company):
    return {
        "ada": company.employee("Ada Accountant", "accountant", "management", username="ada",
                                password=PASSWORD, hired_on=date(2020, 1, 1)),
        "dora": company.employee("Dora Director", "director", "management", username="dora",
                                 password=PASSWORD, hired_on=date(2020, 1, 1)),
    }


def folder(tmp_path, **files):
    path = tmp_path / "files"
    path.mkdir()
    for name, text in files.items():
        (path / f"{name}.csv").write_text(text, encoding="utf-8")
    return path


def csv(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, *files):
    response = client.post("/imports/", {"files": list(files)})
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def cells(html, table):
    """The rows of one table of the page, as lists of cell texts."""
    import re

    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "<td" in row]


def test_a_bad_row_is_shown_and_nothing_written_then_good_files_are_applied(
        client, people, sync_jobs, tmp_path):
    assert client.login(username="ada", password=PASSWORD)
    before = (Employee.objects.count(), Client.objects.count())

    job = upload(client, csv("employees.csv", BAD_EMPLOYEES), csv("clients.csv", CLIENTS))
    assert (job.status, job.stage, job.problem_count) == (JobStatus.REFUSED, JobStage.FINISHED, 1)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    (problem,) = run_import(folder(tmp_path, employees=BAD_EMPLOYEES, clients=CLIENTS),
                            dry_run=True).problems  # the importer's own words, as the command's
    assert (problem.file, problem.line, problem.column) == ("employees.csv", 3, "role")
    assert cells(page, "import-problems") == [["employees.csv", "3", "role", problem.reason]]
    assert "1 bad row: nothing was imported." in page
    russian = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "1 ошибочная строка: ничего не импортировано." in russian
    assert "Import these files" not in page
    assert (Employee.objects.count(), Client.objects.count()) == before
    assert not job_folder(job).exists()

    job = upload(client, csv("employees.csv", EMPLOYEES), csv("clients.csv", CLIENTS))
    assert (job.status, job.files, job.rows_total) == (
        JobStatus.CHECKED, ["clients.csv", "employees.csv"], 4)
    assert job.counts == [{"file": "clients", "new": 2, "changed": 0, "unchanged": 0},
                          {"file": "employees", "new": 2, "changed": 0, "unchanged": 0}]
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert cells(page, "import-summary") == [["clients", "2", "0", "0"], ["employees", "2", "0", "0"]]
    assert "Import these files" in page
    assert (Employee.objects.count(), Client.objects.count()) == before  # a check writes nothing
    assert sorted(p.name for p in job_folder(job).iterdir()) == ["clients.csv", "employees.csv"]

    response = client.post(f"/imports/{job.pk}/apply/")
    assert response.url == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.stage, job.percent, job.rows_done, job.rows_total) == (
        JobStatus.DONE, JobStage.FINISHED, 100, 4, 4)
    assert sorted(Client.objects.values_list("ref", "acquired_by__ref")) == [
        ("C1", "H1"), ("C2", "H1")]
    assert Employee.objects.filter(ref__in=["H1", "M1"]).count() == 2
    assert not job_folder(job).exists()
    partial = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="100"' in partial and "hx-trigger" not in partial
    assert "4 of 4 rows done" in partial
    assert list(AuditEntry.objects.filter(object_type="importjob").order_by("id").values_list(
        "action", "object_ref")) == [("import_uploaded", str(j.pk)) for j in
                                     ImportJob.objects.order_by("pk")] + [("import_applied", str(job.pk))]

    # Applied once: a second click is refused, and nothing is imported twice.
    response = client.post(f"/imports/{job.pk}/apply/", follow=True)
    assert "Only a checked upload without bad rows can be imported" in response.content.decode()
    assert Client.objects.count() == before[1] + 2


def test_the_accountant_sees_the_directors_imports_and_a_running_job_polls(client, people, sync_jobs):
    job = ImportJob.objects.create(created_by=people["dora"].user, files=["deals.csv"],
                                   status=JobStatus.APPLYING, stage=JobStage.WRITING,
                                   rows_done=300, rows_total=1200)
    assert client.login(username="ada", password=PASSWORD)
    assert "deals.csv" in client.get("/imports/").content.decode()
    partial = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="/imports/{job.pk}/progress/" hx-trigger="every 1s"' in partial
    assert 'value="62"' in partial  # half for reading and checking, a quarter of the writing
    assert "300 of 1,200 rows done" in partial


def test_a_thousand_bad_rows_are_listed_and_the_rest_counted(client, people, sync_jobs):
    rows = "".join(f"E{i},Name {i},e{i}@example.com,acquisition,wizard,2026-01-01\n"
                   for i in range(1003))
    assert client.login(username="dora", password=PASSWORD)
    job = upload(client, csv("employees.csv", "id,name,email,department,role,hired_on\n" + rows))
    assert (job.status, len(job.problems), job.problem_count) == (JobStatus.REFUSED, 1000, 1003)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert len(cells(page, "import-problems")) == 1000
    assert "1003 bad rows: nothing was imported." in page
    assert "… and 3 more bad rows" in page


def test_uploads_are_csv_files_or_one_workbook_with_plain_names(client, people, sync_jobs):
    assert upload_names(["b.csv", "a.csv"]) == (["a.csv", "b.csv"], "")
    assert upload_names(["export.xlsx"]) == (["export.xlsx"], "export.xlsx")
    for names in (["a.xlsx", "b.xlsx"], ["a.csv", "b.xlsx"], ["notes.txt"], ["../deals.csv"],
                  [".hidden.csv"], ["a.csv", "A.csv"], []):
        with pytest.raises(ActionError):
            upload_names(names)
    assert client.login(username="ada", password=PASSWORD)
    response = client.post("/imports/", {"files": [csv("notes.txt", "hello")]})
    assert response.status_code == 400
    assert "Upload .csv files, or one .xlsx workbook on its own." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_progress_follows_the_importers_messages(db, people):
    job = ImportJob.objects.create(status=JobStatus.APPLYING)
    progress = JobProgress(job)
    for message in ["read employees.csv: 2 rows", "read deals.csv: 8 rows"]:
        progress(message)
    job.refresh_from_db()
    assert (job.stage, job.rows_total, job.percent) == (JobStage.CHECKING, 10, 25)
    for message in ["replaying 8 wins, payments and cancellations", "writing", "wrote 8 deals",
                    "something new"]:
        progress(message)
    job.refresh_from_db()
    assert (job.stage, job.rows_done, job.percent) == (JobStage.WRITING, 8, 90)


def test_one_workbook_is_checked_and_imported_like_a_folder(client, people, sync_jobs, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "employees"
    for line in EMPLOYEES.splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "export.xlsx")
    assert client.login(username="dora", password=PASSWORD)
    job = upload(client, SimpleUploadedFile("export.xlsx", (tmp_path / "export.xlsx").read_bytes()))
    assert (job.status, job.workbook, job.counts) == (
        JobStatus.CHECKED, "export.xlsx", [{"file": "employees", "new": 2, "changed": 0, "unchanged": 0}])
    client.post(f"/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert sorted(Employee.objects.filter(ref__in=["H1", "M1"]).values_list("ref", "role")) == [
        ("H1", "hunter"), ("M1", "account_manager")]
