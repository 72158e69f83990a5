"""A backup and its restore bring back exactly what was there, on either database."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesrelay.clients.models import Client
from salesrelay.payments.models import Allocation


def state():
    return (sorted(Client.objects.values_list("ref", "name")),
            sorted(Allocation.objects.values_list("deal__ref", "amount")))


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_exactly_the_backup(reference_data, company, tmp_path, capsys):
    anna = company.hunter("Anna", hired_on=date(2020, 1, 1))
    company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    before = state()
    call_command("backup", str(tmp_path / "copy.backup"))
    company.prospect("Nord Plumbing", anna, created_on=date(2020, 3, 1))
    assert state() != before
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "copy.backup"))
    assert "--yes" in str(refused.value)
    call_command("restore", str(tmp_path / "copy.backup"), "--yes")
    assert state() == before
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path / "copy.backup"))
    assert str(refused.value) == f"{tmp_path / 'copy.backup'} exists; choose a new file name"
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(junk), "--yes")
    assert "is not a" in str(refused.value)
    assert state() == before
