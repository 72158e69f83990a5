"""A small company's first months, imported as SPEC §5 files, with every figure of the analytics
worked out by hand in the tests.

Two hunters (Anna H1, market 60 000; Pavel H2, market 50 000) and two account managers. Anna
brings ACME Baths (a retail chain, deal 1 won 2026-01-20) and Volga Spa (deal 1 won 02-05);
Pavel brings Neva Online (02-10) and Kama Trade (04-20), loses Ural Trade and still works Oka
Dom. Account management sells ACME its deal 2 (03-01, half paid) and Volga its deal 2 (03-10,
unpaid). The plan pays hunters 30 000 a month, half the profit of deals 1–5 as it is paid and
10 000 for each month with a new client.

deal  client        by   won     amount   cost     profit  paid
1     ACME (C1)     H1   01-20   100 000   60 000   40 000  100 000 on 01-25
2     Volga (C2)    H1   02-05    50 000   30 000   20 000   25 000 on 02-15, 25 000 on 04-10
3     Neva (C3)     H2   02-10    80 000   50 000   30 000   80 000 on 03-05
4     ACME, no 2    M1   03-01   200 000  150 000   50 000  100 000 on 03-20
5     Ural (C4)     H2   lost 02-25
6     Oka (C5)      H2   open
7     Volga, no 2   M2   03-10    30 000   20 000   10 000  nothing
8     Kama (C6)     H2   04-20    10 000    6 000    4 000    2 000 on 04-25
"""

from __future__ import annotations

from pathlib import Path

from salesrelay.compensation.plans import load_plan
from salesrelay.imports.importer import run_import

EMPLOYEES = """id,name,email,department,role,hired_on,left_on,pool_weight,market_salary
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01,,1,60000.00
H2,Pavel Hunter,pavel@example.com,acquisition,hunter,2026-01-01,,1,50000.00
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01,,1,70000.00
M2,Vera Manager,vera@example.com,account_management,account_manager,2026-01-01,,1,70000.00
"""
CLIENTS = """id,name,segment,acquired_by,created_on,tax_id,account_manager
C1,ACME Baths,retail_chain,H1,2026-01-05,,M1
C2,Volga Spa,dealer,H1,2026-01-10,,M2
C3,Neva Online,online_store,H2,2026-01-12,,M1
C4,Ural Trade,dealer,H2,2026-02-01,,
C5,Oka Dom,dealer,H2,2026-02-10,,
C6,Kama Trade,dealer,H2,2026-04-01,,M2
"""
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,won,2026-01-10,2026-01-20,,100000.00,60000.00
2,C2,H1,won,2026-01-15,2026-02-05,,50000.00,30000.00
3,C3,H2,won,2026-01-20,2026-02-10,,80000.00,50000.00
4,C1,M1,won,2026-02-20,2026-03-01,,200000.00,150000.00
5,C4,H2,lost,2026-02-01,,2026-02-25,40000.00,20000.00
6,C5,H2,open,2026-02-10,,,20000.00,10000.00
7,C2,M2,won,2026-03-01,2026-03-10,,30000.00,20000.00
8,C6,H2,won,2026-04-15,2026-04-20,,10000.00,6000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-01-25,100000.00,1,
P2,2026-02-15,25000.00,2,
P3,2026-03-05,80000.00,3,
P4,2026-03-20,100000.00,4,
P5,2026-04-10,25000.00,2,
P6,2026-04-25,2000.00,8,
"""
MATERIALS = """id,title,kind,published_on
CAT,Aqualine catalog,catalog,2026-01-01
PRICE,Dealer price list,price_list,
"""
ACTIVITIES = """id,client_id,employee_id,kind,date,outcome,materials
A1,C1,H1,meeting,2026-01-12,held,CAT
A2,C2,H1,meeting,2026-01-14,held,CAT;PRICE
A3,C3,H2,meeting,2026-01-15,held,PRICE
A4,C4,H2,meeting,2026-02-05,held,
A5,C5,H2,meeting,2026-02-12,held,PRICE
A6,C4,H2,meeting,2026-02-20,no_show,
A7,C4,H2,call,2026-02-02,done,
A8,C5,H2,call,2026-02-11,,
"""
FIXED_COSTS = """month,category,amount
2026-01,rent,10000.00
2026-02,rent,30000.00
2026-03,rent,20000.00
2026-05,rent,5000.00
"""
TARGETS = """month,metric,value
2026-01,new_clients,1
2026-02,new_clients,3
2026-03,new_clients,2
2026-01,new_clients_in_segment:retail_chain,1
"""
FILES = {"employees": EMPLOYEES, "clients": CLIENTS, "deals": DEALS, "payments": PAYMENTS,
         "materials": MATERIALS, "activities": ACTIVITIES, "fixed_costs": FIXED_COSTS,
         "targets": TARGETS}

PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "30000.00"
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.50"
  [[plans.components]]
  id = "new-client"
  kind = "kpi_bonus"
  metric = "new_clients"
  scope = "own"
  target = 1
  fixed_if_met = "10000.00"
"""


def import_history(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    report = run_import(folder)
    assert report.ok, report.problems
    load_plan(PLAN)
