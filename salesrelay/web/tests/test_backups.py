"""A backup and its restore bring back exactly what was there, on either database; restore
refuses what is not a SalesRelay backup of this engine, and says what a backup holds first."""

import re
import sqlite3
import subprocess
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from salesrelay.backups import _pg, product_version
from salesrelay.clients.models import Client
from salesrelay.payments.models import Allocation
from salesrelay.web.models import Backup

ENGINE = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def state():
    return (sorted(Client.objects.values_list("ref", "name")),
            sorted(Allocation.objects.values_list("deal__ref", "amount")))


def refused(*args) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out)
    return str(error.value)


@pytest.fixture
def one_prospect(reference_data, company):
    anna = company.hunter("Anna", hired_on=date(2020, 1, 1))
    company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    return anna


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_exactly_the_backup(one_prospect, company, tmp_path):
    before = state()
    call_command("backup", str(tmp_path / "copy.backup"), stdout=StringIO())
    company.prospect("Nord Plumbing", one_prospect, created_on=date(2020, 3, 1))
    assert state() != before
    assert "--yes" in refused("restore", str(tmp_path / "copy.backup"))
    call_command("restore", str(tmp_path / "copy.backup"), "--yes", stdout=StringIO())
    assert state() == before
    assert refused("backup", str(tmp_path / "copy.backup")) == (
        f"{tmp_path / 'copy.backup'} exists; choose a new file name")


@pytest.mark.django_db(transaction=True)
def test_without_yes_restore_says_what_the_backup_holds_and_changes_nothing(
        one_prospect, company, tmp_path):
    target = tmp_path / "copy.backup"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    holds = ("  employees 1, clients 1, deals 0, payments 0, allocations 0, activities 0, "
             "pay periods 0, payout lines 0, plan versions 0, audit entries 2")
    assert out.getvalue().splitlines()[2] == holds
    company.prospect("Nord Plumbing", one_prospect, created_on=date(2020, 3, 1))
    before = state()
    out = StringIO()
    with pytest.raises(CommandError) as stopped:
        call_command("restore", str(target), stdout=out)
    assert str(stopped.value) == ("restore replaces the whole database with this backup; "
                                  "run it again with --yes to confirm")
    first, second = out.getvalue().splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(target))}: a SalesRelay {re.escape(product_version())} backup "
        rf"\({ENGINE[connection.vendor]}\), taken {date.today():%Y-%m-%d} \d\d:\d\d Europe/Moscow",
        first), first
    assert second == holds
    assert state() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_what_is_not_a_backup_with_one_reason_and_changes_nothing(
        one_prospect, tmp_path):
    before = state()
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup", encoding="utf-8")
    assert refused("restore", str(junk), "--yes") == (
        f"{junk} is not a SalesRelay backup: neither a SQLite database nor a pg_dump archive")
    missing = tmp_path / "missing.backup"
    assert refused("restore", str(missing), "--yes") == (
        f"cannot read {missing}: No such file or directory")
    # Another product's SQLite database.
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    db.close()
    if connection.vendor == "sqlite":
        assert refused("restore", str(other), "--yes") == (
            f"{other} is not a SalesRelay backup: it has no table people_employee, "
            "clients_client, deals_deal, payments_payment …")
        fake_dump = tmp_path / "fake.dump"
        fake_dump.write_bytes(b"PGDMP\x01\x0e\x00")
        assert refused("restore", str(fake_dump), "--yes") == (
            f"{fake_dump} is a PostgreSQL backup; this installation runs on SQLite")
    else:
        assert refused("restore", str(other), "--yes") == (
            f"{other} is a SQLite backup; this installation runs on PostgreSQL")
    assert state() == before


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_without_the_marker_row_is_refused(one_prospect, tmp_path):
    """A plain copy (``cp`` of the SQLite file, a bare ``pg_dump``) is no backup: it has the
    tables but not the marker that ``salesrelay backup`` writes."""
    before = state()
    copy = tmp_path / "plain.copy"
    if connection.vendor == "sqlite":
        call_command("backup", str(copy), stdout=StringIO())
        with sqlite3.connect(copy) as db:
            db.execute("DELETE FROM salesrelay_backup")
        db.close()
    else:
        Backup.objects.all().delete()
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={copy}")
    assert refused("restore", str(copy), "--yes") == (
        f"{copy} is not a SalesRelay backup: no marker row in salesrelay_backup "
        "(backups are made by `salesrelay backup`)")
    assert state() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pg_dump of another database")
@pytest.mark.django_db(transaction=True)
def test_a_dump_of_another_postgresql_database_is_refused(one_prospect, tmp_path):
    import psycopg

    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"] or 5432,
              "user": settings["USER"], "password": settings["PASSWORD"] or None}
    other = f"{settings['NAME']}_other"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{other}"')
        admin.execute(f'CREATE DATABASE "{other}"')
    try:
        with psycopg.connect(dbname=other, autocommit=True, **params) as db:
            db.execute("CREATE TABLE notes (id integer PRIMARY KEY, text text)")
        dump = tmp_path / "other.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--dbname={other}", f"--host={params['host']}",
             f"--port={params['port']}", f"--username={params['user']}", f"--file={dump}"],
            capture_output=True, check=True)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{other}"')
    before = state()
    assert refused("restore", str(dump), "--yes") == (
        f"{dump} is not a SalesRelay backup: it has no table people_employee, clients_client, "
        "deals_deal, payments_payment …")
    assert state() == before
