"""`salesrelay design` and the designer's page: the table, the plan file, the refusals, and on
the demo company a plan with hunters at 2× market that loads and simulates to the same figures."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesrelay.compensation.design import run_design, run_job
from salesrelay.compensation.models import DesignRun, PlanVersion
from salesrelay.compensation.plans import current_version, plans_of
from salesrelay.compensation.simulation import run_simulation
from salesrelay.compensation.tests.factories import PLAN, imported
from salesrelay.engine.metrics import median
from salesrelay.engine.periods import Month
from salesrelay.people.actions import create_token

# The managers' salary raised so that both account managers (one hired on 16 March) reach their
# market salary of 70 000.00 a month.
RICH_PLAN = PLAN.replace('amount = "50000.00"', 'amount = "150000.00"')


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("design", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_design_prints_the_best_candidates_side_by_side_and_writes_the_chosen_plan(db, tmp_path):
    imported(tmp_path / "in", plan=RICH_PLAN)
    target = tmp_path / "designed.toml"
    out, err = run("--from", "2026-02", "--to", "2026-03", "--hunter-multiple", "1.0",
                   "--output", str(target))
    lines = out.splitlines()
    assert lines[0] == (
        "Plan designer 2026-02 to 2026-03, on plan version 1: 10920 candidate plans evaluated, "
        "10920 meet the targets (hunters' median and lowest at 1.0× market, account managers at "
        "their market salary; 1 hunters, 2 account managers)")
    first_column = {line[:39].strip(): line[39:].split()[0] for line in lines[2:16]}
    assert first_column == {
        "meets the targets": "yes", "hunters, median pay ÷ market": "1.07",
        "hunters, lowest pay ÷ market": "1.07", "account managers, lowest pay ÷ market": "1.11",
        "variable pay V": "48500.00", "operating result O": "71000.00",
        "break-even bonus": "0.00", "result after the bonus": "71000.00",
        "break-even revenue a month": "699.30", "months above break-even": "2",
        "hunters' share of profit": "0.40", "of deals": "1–1",
        "account managers' pool": "0.0025", "break-even share": "0.00"}
    assert "checking the chosen plan with a full simulation" in err
    text = target.read_text(encoding="utf-8")
    assert 'ordinals = [1, 1]\n  rate = "0.40"' in text
    assert 'rate = "0.0025"' in text and 'share = "0.00"' in text
    call_command("plan", "load", str(target), stdout=StringIO())
    assert PlanVersion.objects.count() == 2
    (scenario,) = run_simulation([("designed", plans_of(current_version()))], Month(2026, 2),
                                 Month(2026, 3))
    months = scenario.result.months
    assert sum(p.company.variable_pay for p in months) == Decimal("48500.00")
    assert sum(p.company.operating_result for p in months) == Decimal("71000.00")
    assert {e.employee.id: e.against_market for e in scenario.result.employees} == {
        "H1": Decimal("1.07"), "M1": Decimal("2.15"), "M2": Decimal("1.11")}


def test_when_no_candidate_meets_the_targets_the_closest_are_shown_and_nothing_written(
        db, tmp_path):
    imported(tmp_path / "in", plan=RICH_PLAN)
    target = tmp_path / "designed.toml"
    out = StringIO()
    with pytest.raises(CommandError, match="^no candidate meets the targets; nothing written$"):
        call_command("design", "--from", "2026-02", "--to", "2026-03", "--hunter-multiple", "3",
                     "--output", str(target), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[1] == "No candidate meets the targets; the closest ones:"
    assert lines[4].split()[-5:] == ["1.67"] * 5  # the hunter's best, at rate 1.00
    assert not target.exists()


@pytest.mark.parametrize(("args", "reason"), [
    (["--from", "2026-13", "--to", "2026-03"], "2026-13 is not a month"),
    (["--from", "2026-04", "--to", "2026-03"], "the range 2026-04 to 2026-03 ends before it starts"),
    (["--from", "2026-02", "--to", "2026-03", "--hunter-multiple", "two"],
     "the hunter multiple two is not a number above 0 and at most 10"),
    (["--from", "2026-02", "--to", "2026-03", "--hunter-multiple", "0"],
     "the hunter multiple 0 is not a number above 0"),
    (["--from", "2026-02", "--to", "2026-03", "--output", "/nowhere/at/all/plan.toml"],
     "cannot write /nowhere/at/all/plan.toml: /nowhere/at/all is not a folder"),
])
def test_design_refuses_bad_input_with_one_line(db, tmp_path, args, reason):
    imported(tmp_path / "in", plan=RICH_PLAN)
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value).startswith(reason)
    assert "\n" not in str(refused.value)
    assert PlanVersion.objects.count() == 1


def test_design_without_a_plan_in_force_is_refused(db):
    with pytest.raises(CommandError, match="^no plan is in force; load one first"):
        run("--from", "2026-02", "--to", "2026-03")


@pytest.fixture
def demo(db):
    from salesrelay.web.demo import load_demo

    load_demo(today=date(2026, 12, 1))


def test_on_the_demo_company_the_designer_pays_hunters_twice_the_market(demo, tmp_path, client):
    first, last = Month(2026, 6), Month(2026, 11)
    design = run_design(first, last, Decimal("2.0"))
    chosen = design.chosen
    assert (design.search.evaluated, design.found) == (10920, True)
    assert (chosen.params.share_rate, chosen.params.share_last, chosen.params.pool.label,
            chosen.params.bonus_share) == (Decimal("0.95"), 4, "×0.5 (0.0025 / 0.005)",
                                           Decimal("0.15"))
    assert (chosen.hunters_median, chosen.hunters_lowest, chosen.managers_lowest) == (
        Decimal("2.545"), Decimal("2.01"), Decimal("1.01"))
    assert (chosen.variable_pay, chosen.operating_result, chosen.bonus) == (
        Decimal("6640167.98"), Decimal("-5086363.43"), Decimal("797376.54"))
    # The page gives the same candidates; the director downloads the file and stores it.
    query = "?first=2026-06&last=2026-11&multiple=2.0"
    assert client.login(username="director", password="demo-relay-2026")
    # The page answers at once and hands the search to the worker; it asks again every 2 s.
    waiting = client.get("/pay/design/" + query).content.decode()
    (asked,) = DesignRun.objects.all()
    assert (asked.status, str(asked.first), str(asked.last), asked.multiple) == (
        "queued", "2026-06-01", "2026-11-01", "2.0")
    assert "<h2>Waiting for the worker…</h2>" in waiting
    assert (f'hx-get="{query.replace("&", "&amp;")}" hx-trigger="every 2s" hx-select="#design-area" '
            'hx-target="#design-area"') in waiting
    assert "candidate plans evaluated" not in waiting
    refused = client.post("/pay/design/", {"first": "2026-06", "last": "2026-11",
                                           "multiple": "2.0"})
    assert refused.status_code == 302 and PlanVersion.objects.count() == 1
    assert client.get("/pay/design/" + query).content.decode().count("Waiting for the worker") == 1
    assert DesignRun.objects.count() == 1  # asked again: the same run, not a second search
    run_job(asked.pk)  # what the worker does with it
    page = client.get("/pay/design/" + query).content.decode()
    assert "10920 candidate plans evaluated, 5396 meet the targets" in page
    assert "hx-trigger" not in page.split('id="design-area"')[1]
    assert ('<th scope="row">hunters, median pay ÷ market</th><td class="num">2.54</td>'
            '<td class="num">2.57</td>') in page
    assert '<th scope="row">operating result O</th><td class="num">-5,086,363.43</td>' in page
    # Asked again, the page shows the design kept for the same data: no history read, no search.
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/pay/design/" + query).content.decode()
    assert "10920 candidate plans evaluated, 5396 meet the targets" in again
    # Session, user, employee, the bell, the revision (3), the run, who is seen.
    assert len(queries) == 9
    download = client.get("/pay/design/" + query + "&format=toml")
    assert download["Content-Disposition"] == 'attachment; filename="plan-2026-06-2026-11.toml"'
    assert download.content.decode() == design.plan_text
    stored = client.post("/pay/design/", {"first": "2026-06", "last": "2026-11",
                                          "multiple": "2.0"})
    assert (stored.status_code, stored["Location"]) == (302, "/pay/plan/")
    assert current_version().text == design.plan_text
    # A full simulation of the stored plan, from the database, gives the designer's figures.
    (scenario,) = run_simulation([("designed", plans_of(current_version()))], first, last)
    months = scenario.result.months
    assert sum(p.company.variable_pay for p in months) == chosen.variable_pay
    assert sum(p.company.operating_result for p in months) == chosen.operating_result
    assert sum(line.amount for p in months for line in p.lines
               if line.kind == "breakeven_bonus") == chosen.bonus
    hunters = [e.against_market for e in scenario.result.employees
               if e.employee.role == "hunter"]
    assert (median(hunters), min(hunters)) == (chosen.hunters_median, chosen.hunters_lowest)
    assert min(e.against_market for e in scenario.result.employees
               if e.employee.role == "account_manager") == chosen.managers_lowest
    for p, q in zip(months, design.simulation.months, strict=True):
        assert p.totals() == q.totals()
        assert p.company == q.company
    # The head of account management sees the company's figures and the managers' pay only.
    client.logout()
    assert client.login(username="head-accounts", password="demo-relay-2026")
    # A new plan version is new data: the run of the old one is gone, a new one is asked for.
    assert "Waiting for the worker" in client.get("/pay/design/" + query).content.decode()
    (asked_again,) = DesignRun.objects.all()
    assert asked_again.pk != asked.pk
    run_job(asked_again.pk)
    page = client.get("/pay/design/" + query).content.decode()
    assert "operating result O" in page and "account managers, lowest pay ÷ market" in page
    assert "hunters, median pay ÷ market" not in page
    assert "Hunter" not in page.split("Pay under #1")[1]
    assert client.post("/pay/design/", {"first": "2026-06", "last": "2026-11"}).status_code == 403
    # The API gives the head the same candidates without the hunters' pay.
    _token, key = create_token(get_user_model().objects.get(username="head-accounts"))
    answer = client.post("/api/v1/designs/", {"first": "2026-06", "last": "2026-11"},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    body = answer.json()
    assert (answer.status_code, body["evaluated"], body["found"]) == (200, 10920, True)
    assert body["candidates"][0]["hunters_median"] is None
    assert {e["role"] for e in body["employees"]} == {"account_manager", "head"}
    refused = client.post("/api/v1/designs/", {"first": "2026-13", "last": "2026-11"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 400
