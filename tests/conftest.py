"""The organisation most page tests log in to: a login for each role and three clients."""

from datetime import date

import pytest

from salesrelay.deals.actions import win_deal

PASSWORD = "secret-pass-1"


@pytest.fixture
def org(company):
    people = {
        "hunter": company.hunter("Anna", username="anna", password=PASSWORD),
        "other_hunter": company.hunter("Pavel", username="pavel", password=PASSWORD),
        "manager": company.manager("Boris", username="boris", password=PASSWORD),
        "head_acq": company.employee("Hanna Head", "head", "acquisition", username="hanna",
                                     password=PASSWORD),
        "head_am": company.employee("Mila Head", "head", "account_management",
                                    username="mila", password=PASSWORD),
        "director": company.employee("Dora Director", "director", "management",
                                     username="dora", password=PASSWORD),
        "accountant": company.employee("Ada Accountant", "accountant", "management",
                                       username="ada", password=PASSWORD),
    }
    mine = company.prospect("Anna Prospect", people["hunter"])
    theirs = company.prospect("Pavel Prospect", people["other_hunter"])
    won = company.prospect("Handed Off", people["hunter"])
    deal = company.deal(won, people["hunter"])
    win_deal(deal, acting_user=None, won_on=date(2026, 2, 1))
    open_deal = company.deal(mine, people["hunter"])
    return people, {"mine": mine, "theirs": theirs, "won": won, "deal": deal, "open": open_deal}
