"""Printed forms of debt-collection documents (sbyt.reports.collection_print): every kind of
docs/collection.md «Печатные формы ПИР» for a household and a legal entity, printed from a debt_doc
row and its hand-written details JSON; the plain text against golden files, the same words in the
PDF (pdftotext), the page count of a print of several documents, a court document of 40 months whose
calculation breaks across pages under repeated headers, the same bytes on every run, refusals."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from sbyt.core.errors import SbytError
from sbyt.reports.forms import money
from sbyt.reports.collection_print import blocks, debt_doc_pdf, debt_doc_text, load_doc, print_debt_docs, render

GOLDEN = Path(__file__).parent / "golden"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""
SIGNER = {"position": "Генеральный директор", "name": "Демидов Олег Петрович"}

HOUSEHOLD = {"kind": "household", "name": "Иванов Иван Иванович",
             "address": "460000, г. Оренбург, ул. Советская, д. 10, кв. 5", "account": "3100000008",
             "contract": None, "contract_date": None, "inn": None, "kpp": None, "ogrn": None,
             "phone": "+7 912 000-00-01", "email": None}
LEGAL = {"kind": "legal", "name": "ООО «Завод металлоконструкций»",
         "address": "119021, г. Москва, ул. Льва Толстого, д. 16", "account": None, "contract": "77-001",
         "contract_date": "2024-01-25", "inn": "7736207543", "kpp": "770401001", "ogrn": "1027739000001",
         "phone": "+7 912 345-67-89", "email": "energy@zavod.ru"}


def month(period: int, label: str, debt_kop: int, due: str, limitation_end: str, barred: bool = False) -> dict:
    return {"period": period, "label": label, "debt_kop": debt_kop, "penalty_kop": 0, "due": due,
            "limitation_end": limitation_end, "barred": barred}


def pen(period: int, d_from: str, d_to: str, days: int, debt_kop: int, den: int, amount_kop: int,
        rate: str = "16.000") -> dict:
    return {"debt_period": period, "date_from": d_from, "date_to": d_to, "days": days, "debt_kop": debt_kop,
            "rate": rate, "den": den, "amount_kop": amount_kop}


# Household: September 2023 is time-barred (limitation ended 10.10.2026); August–November 2026 are
# claimed: 2 345,60 + 2 512,34 + 2 789,00 + 3 100,06 = 10 747,00.
H_MONTHS = [month(202309, "сентябрь 2023", 1_250_00, "2023-10-10", "2026-10-10", True),
            month(202608, "август 2026", 2_345_60, "2026-09-10", "2029-09-10"),
            month(202609, "сентябрь 2026", 2_512_34, "2026-10-10", "2029-10-10"),
            month(202610, "октябрь 2026", 2_789_00, "2026-11-10", "2029-11-10"),
            month(202611, "ноябрь 2026", 3_100_06, "2026-12-10", "2029-12-10")]
# ЖК 155 ч. 14 at 16 %: 2 345,60 × 60 × 16 % / 300 = 75,0592 -> 75,06; × 11 / 130 = 31,7558 -> 31,76;
# 2 512,34 × 41 × 16 % / 300 = 54,9365 -> 54,94; total 161,76
H_PENALTY = [pen(202608, "2026-10-11", "2026-12-09", 60, 2_345_60, 300, 75_06),
             pen(202608, "2026-12-10", "2026-12-20", 11, 2_345_60, 130, 31_76),
             pen(202609, "2026-11-10", "2026-12-20", 41, 2_512_34, 300, 54_94)]
H_PRINCIPAL, H_PENALTY_KOP = 10_747_00, 161_76
# Legal, contract 77-001: July–September 2026: 120 000,00 + 135 500,50 + 98 765,43 = 354 265,93.
L_MONTHS = [month(202607, "июль 2026", 120_000_00, "2026-08-18", "2029-08-18"),
            month(202608, "август 2026", 135_500_50, "2026-09-18", "2029-09-18"),
            month(202609, "сентябрь 2026", 98_765_43, "2026-10-18", "2029-10-18")]
# 35-ФЗ ст. 37 п. 2 at 16 %: 120 000 × 60 / 300 × 16 % = 3 840,00; × 30 / 170 = 3 388,235 -> 3 388,24;
# × 33 / 130 (to 20.12) = 4 873,846 -> 4 873,85; 135 500,50 × 60 / 300 = 4 336,016 -> 4 336,02,
# × 32 / 170 = 4 080,96; 98 765,43 × 63 / 300 = 3 318,518 -> 3 318,52; total 23 837,59
L_PENALTY = [pen(202607, "2026-08-19", "2026-10-17", 60, 120_000_00, 300, 3_840_00),
             pen(202607, "2026-10-18", "2026-11-16", 30, 120_000_00, 170, 3_388_24),
             pen(202607, "2026-11-17", "2026-12-19", 33, 120_000_00, 130, 4_873_85),
             pen(202608, "2026-09-19", "2026-11-17", 60, 135_500_50, 300, 4_336_02),
             pen(202608, "2026-11-18", "2026-12-19", 32, 135_500_50, 170, 4_080_96),
             pen(202609, "2026-10-19", "2026-12-20", 63, 98_765_43, 300, 3_318_52)]
L_PRINCIPAL, L_PENALTY_KOP = 354_265_93, 23_837_59
POINTS = [{"code": "TP1", "address": "г. Москва, ул. Льва Толстого, д. 16, цех № 3", "meter": "Меркурий 234 № 41234567"},
          {"code": "TP2", "address": "г. Москва, ул. Льва Толстого, д. 16, склад", "meter": "СЭТ-4ТМ № 0812345"}]
GRID = "ПАО «Россети Московский регион»"
HH_GRID = "ПАО «Россети Волга» — «Оренбургэнерго»"
HH_POINT = [{"code": "3100000008", "address": HOUSEHOLD["address"], "meter": "Нева 101 № 12345678 (на лестничной площадке)"}]

# Arbitration, claim 354 265,93 + 23 837,59 = 378 103,52: 10 000 + 5 % × 278 103,52 = 23 905,176; order 50 % =
# 11 952,588 -> 11 953 ₽. General court, claim 10 747,00 + 161,76 = 10 908,76: 4 000 ₽; order 50 % = 2 000 ₽.
L_ORDER_DUTY, H_ORDER_DUTY, H_SUIT_DUTY = 11_953_00, 2_000_00, 4_000_00


def details(store, debtor: dict, months: list, penalty: list, principal: int, penalty_kop: int, stage: str,
            **extra) -> dict:
    name, inn, kpp, account, bank, bic, corr, address, phone, email = store.one(
        "SELECT name, inn, kpp, bank_account, bank_name, bic, corr_account, address, phone, email FROM supplier")
    out = {"case": {"number": "ПИР-2026-000001" if debtor["kind"] == "household" else "ПИР-2026-000002",
                    "opened": "2026-12-05", "stage": stage},
           "debtor": debtor,
           "supplier": {"name": name, "inn": inn, "kpp": kpp, "address": address, "bank_account": account,
                        "bank_name": bank, "bic": bic, "corr_account": corr, "phone": phone, "email": email},
           "months": months, "penalty": penalty, "barred": [m["period"] for m in months if m["barred"]],
           "total_kop": principal + penalty_kop, "duty": None, "court_name": None, "grid_company": None,
           "points": [], "restrict_on": None, "level": None, "schedule": None, "bankruptcy": None,
           "writeoff": None, "signer": SIGNER}
    out.update(extra)
    return out


def add_doc(store, doc_id: int, case_id: int, kind: str, doc_date: str, as_of: str, principal: int, penalty: int,
            det: dict, duty: int = 0, court: str | None = None, route: str | None = None,
            deadline: str | None = None) -> int:
    store.execute("INSERT INTO debt_doc (id, case_id, kind, year, seq, doc_no, doc_date, as_of, principal_kop,"
                  " penalty_kop, duty_kop, court, route, deadline, details) VALUES (?, ?, ?, 2026, ?, ?, ?, ?, ?, ?,"
                  " ?, ?, ?, ?, ?)",
                  [doc_id, case_id, kind, doc_id, f"ПИР-{doc_id}/2026", doc_date, as_of, principal, penalty, duty,
                   court, route, deadline, json.dumps(det, ensure_ascii=False)])
    return doc_id


@pytest.fixture
def st(store):
    store.execute(SUPPLIER)
    store.execute("INSERT INTO debt_case (id, number, debtor_kind, account_id, scheme, stage, stage_since, opened,"
                  " as_of, principal_kop, penalty_kop) VALUES (1, 'ПИР-2026-000001', 'household', 8, 'household',"
                  " 'notice', '2026-12-05', '2026-12-05', '2026-12-05', 1074700, 16176)")
    store.execute("INSERT INTO debt_case (id, number, debtor_kind, contract_id, counterparty_id, scheme, stage,"
                  " stage_since, opened, as_of, principal_kop, penalty_kop) VALUES (2, 'ПИР-2026-000002', 'legal',"
                  " 1, 1, 'legal', 'claim', '2026-12-05', '2026-12-05', '2026-12-05', 35426593, 2383759)")
    h = dict(store=store, debtor=HOUSEHOLD, months=H_MONTHS, penalty=H_PENALTY, principal=H_PRINCIPAL,
             penalty_kop=H_PENALTY_KOP)
    lg = dict(store=store, debtor=LEGAL, months=L_MONTHS, penalty=L_PENALTY, principal=L_PRINCIPAL,
              penalty_kop=L_PENALTY_KOP)
    hp, lp = (H_PRINCIPAL, H_PENALTY_KOP), (L_PRINCIPAL, L_PENALTY_KOP)
    add_doc(store, 1, 1, "notice", "2026-12-05", "2026-12-05", *hp, details(**h, stage="notice"),
            deadline="2026-12-28")
    add_doc(store, 2, 2, "claim", "2026-12-05", "2026-12-05", *lp, details(**lg, stage="claim"),
            deadline="2027-01-04")
    add_doc(store, 3, 2, "restriction_notice", "2026-12-08", "2026-12-05", *lp,
            details(**lg, stage="restriction_notice", grid_company=GRID, points=POINTS, restrict_on="2026-12-21",
                    level="полное"), deadline="2026-12-21")
    add_doc(store, 4, 2, "restriction_order", "2026-12-21", "2026-12-21", *lp,
            details(**lg, stage="restriction", grid_company=GRID, points=POINTS, restrict_on="2026-12-22",
                    level="полное"), deadline="2026-12-22")
    add_doc(store, 5, 1, "restriction_order", "2026-12-29", "2026-12-29", *hp,
            details(**h, stage="restriction", grid_company=HH_GRID, points=HH_POINT, restrict_on="2026-12-30",
                    level="полное"), deadline="2026-12-30")
    add_doc(store, 6, 1, "reconnection_order", "2027-01-12", "2027-01-12", 0, 0,
            details(**h, stage="closed", grid_company=HH_GRID, points=HH_POINT, restrict_on="2027-01-13"),
            deadline="2027-01-13")
    add_doc(store, 7, 1, "court_order_application", "2026-12-20", "2026-12-20", *hp,
            details(**h, stage="court", court_name="Мировой судья судебного участка № 3 Ленинского района "
                    "г. Оренбурга", duty={"court": "general", "route": "order", "claim_kop": 10_908_76,
                                         "duty_kop": H_ORDER_DUTY, "filed": "2026-12-20"}),
            duty=H_ORDER_DUTY, court="general", route="order")
    add_doc(store, 8, 2, "court_order_application", "2026-12-20", "2026-12-20", *lp,
            details(**lg, stage="court", court_name="Арбитражный суд города Москвы",
                    duty={"court": "arbitration", "route": "order", "claim_kop": 378_103_52,
                          "duty_kop": L_ORDER_DUTY, "filed": "2026-12-20"}),
            duty=L_ORDER_DUTY, court="arbitration", route="order")
    add_doc(store, 9, 1, "lawsuit", "2026-12-20", "2026-12-20", *hp,
            details(**h, stage="court", court_name="Мировой судья судебного участка № 3 Ленинского района "
                    "г. Оренбурга", duty={"court": "general", "route": "lawsuit", "claim_kop": 10_908_76,
                                         "duty_kop": H_SUIT_DUTY, "filed": "2026-12-20"}),
            duty=H_SUIT_DUTY, court="general", route="lawsuit")
    # 10 908,76 in 3 payments: 3 636,25 + 3 636,25 + 3 636,26
    add_doc(store, 10, 1, "schedule", "2026-12-10", "2026-12-10", *hp,
            details(**h, stage="restructuring", schedule=[{"line_no": 1, "due": "2027-01-15", "amount_kop": 3_636_25},
                                                         {"line_no": 2, "due": "2027-02-15", "amount_kop": 3_636_25},
                                                         {"line_no": 3, "due": "2027-03-15", "amount_kop": 3_636_26}]))
    add_doc(store, 11, 2, "bankruptcy_claim", "2027-01-20", "2026-12-20", *lp,
            details(**lg, stage="bankruptcy", court_name="В Арбитражный суд города Москвы",
                    bankruptcy={"procedure": "observation", "court_case_no": "А40-12345/2026",
                                "petition_accepted": "2026-12-21", "procedure_date": "2027-01-11",
                                "register_kop": L_PRINCIPAL + L_PENALTY_KOP, "current_kop": 101_234_56}))
    add_doc(store, 12, 1, "writeoff_act", "2026-12-15", "2026-12-15", 1_250_00, 0,
            details(**h, stage="writeoff", writeoff={"ground": "limitation", "amount_kop": 1_250_00,
                                                     "evidence": "расчёт сроков исковой давности по делу; выписка из "
                                                                 "лицевого счёта 3100000008"}))
    # approved documents are printed clean; the schedule is still a draft for signing
    store.execute("UPDATE debt_doc SET status = 'approved', approved_by = 'head', approved_at = '2026-12-05 12:00'"
                  " WHERE id <> 10")
    return store


FORMS = [(1, "notice_household"), (2, "claim_legal"), (3, "restriction_notice_legal"),
         (4, "restriction_order_legal"), (5, "restriction_order_household"), (6, "reconnection_order_household"),
         (7, "court_order_household"), (8, "court_order_legal"), (9, "lawsuit_household"),
         (10, "schedule_household"), (11, "bankruptcy_claim_legal"), (12, "writeoff_act_household")]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def share(debt_kop: int, days: int, den: int, rate: Fraction = Fraction(16, 100)) -> int:
    """A penalty line's kopecks, rounded half up."""
    exact = debt_kop * days * rate / den
    return int(exact + Fraction(1, 2))


def words(text: str) -> list[str]:
    return text.replace("\f", " ").split()


@pytest.mark.parametrize("doc_id, name", FORMS)
def test_the_printed_text(st, doc_id, name):
    check_golden(f"{name}.txt", debt_doc_text(st, doc_id))


def test_the_amounts_as_printed(st):
    notice = " ".join(words(debt_doc_text(st, 1)))
    assert "задолженность по оплате коммунальной услуги по электроснабжению в размере 10 747,00 руб. (десять " \
           "тысяч семьсот сорок семь рублей 00 копеек)" in notice
    assert "в течение 20 дней со дня доставки настоящего уведомления, то есть до 28.12.2026 включительно" in notice
    assert "не превышающем 5 000 руб. (с НДС)" in notice   # debt.reconnection_cap on 05.12.2026
    assert "сентябрь 2023" not in notice                   # a time-barred month is not claimed
    order = " ".join(words(debt_doc_text(st, 7)))
    # the calculation: the barred month shown, excluded, not in the total; the penalty lines and their total
    assert "1 | сентябрь 2023 | 10.10.2023 | 1 250,00 | исключён: давность истекла 10.10.2026" in order
    assert "| Итого задолженность | | 10 747,00 |" in order
    assert "август 2026 | 2 345,60 | 10.12.2026 | 20.12.2026 | 11 | 16 | 1/130 | 31,76" in order
    assert "Итого пени | | | | | | | 161,76" in order
    assert "всего — 12 908,76 руб. (двенадцать тысяч девятьсот восемь рублей 76 копеек)." in order
    assert "статьями 121–124 Гражданского процессуального кодекса" in order
    legal = " ".join(words(debt_doc_text(st, 8)))
    assert "статьями 229.1–229.3 Арбитражного процессуального кодекса" in legal
    assert "ИНН 7736207543, КПП 770401001, ОГРН 1027739000001" in legal
    assert "Итого пени | | | | | | | 23 837,59" in legal
    assert "Государственная пошлина: 11 953,00 руб." in legal
    schedule = " ".join(words(debt_doc_text(st, 10)))
    assert "| Итого | 10 908,76" in schedule
    writeoff = " ".join(words(debt_doc_text(st, 12)))
    assert "Сумма к списанию: 1 250,00 руб. (одна тысяча двести пятьдесят рублей 00 копеек)." in writeoff


def test_a_draft_is_marked(st):
    assert [d for d, _ in FORMS if debt_doc_text(st, d).lstrip().startswith("ПРОЕКТ")] == [10]
    st.execute("UPDATE debt_doc SET status = 'rejected' WHERE id = 1")
    assert debt_doc_text(st, 1).lstrip().startswith("ПРОЕКТ (отклонён)")


def test_every_court_document_carries_the_calculation(st):
    for doc_id, _ in FORMS:
        text = debt_doc_text(st, doc_id)
        d = load_doc(st, doc_id)
        attached = "РАСЧЁТ ЗАДОЛЖЕННОСТИ И ПЕНИ" in text
        assert attached == (d.kind in ("claim", "court_order_application", "lawsuit", "bankruptcy_claim")), d.kind
        if attached:   # on a page of its own
            assert text.index("\f") < text.index("РАСЧЁТ ЗАДОЛЖЕННОСТИ И ПЕНИ")


@needs_pdftotext
@pytest.mark.parametrize("doc_id, name", FORMS)
def test_the_pdf_says_what_the_text_says(st, doc_id, name, tmp_path):
    """The PDF is drawn from the same blocks: every paragraph's words appear in the page text."""
    from sbyt.reports.collection_print import Para, Right

    path = print_debt_docs(st, [doc_id], tmp_path / f"{name}.pdf")
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    flat = " ".join(words(raw))
    for b in blocks(st, load_doc(st, doc_id)):
        texts = [b.text] if isinstance(b, Para) else [t for t, _ in b.lines] if isinstance(b, Right) else []
        for t in texts:
            assert " ".join(t.split()) in flat, t


def test_a_print_of_several_documents(st, tmp_path):
    singles = {doc_id: render(st, [load_doc(st, doc_id)]).pages for doc_id, _ in FORMS}
    # the letters fit one page; the court documents, the claim and the claim for the register add the
    # calculation on a page of its own
    assert singles == {1: 1, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1, 7: 3, 8: 3, 9: 3, 10: 1, 11: 2, 12: 1}
    out = print_debt_docs(st, [d for d, _ in FORMS], tmp_path / "out" / "all.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pages(data) == sum(singles.values()) == 20
    assert debt_doc_pdf(st, [7, 1]) == debt_doc_pdf(st, [7, 1])       # the same documents, the same bytes


def test_forty_months_break_across_pages(st, tmp_path):
    """A court order application of 40 months (August 2023 – November 2026; the first 4 time-barred)
    with two penalty lines a month: both tables continue on the next pages under their headers."""
    months, penalty = [], []
    period = 202308
    end = date(2026, 12, 20)
    for i in range(40):
        y, m = divmod(period, 100)
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        debt = 1_000_00 + i * 10_01
        months.append(month(period, None, debt, f"{ny}-{nm:02d}-10", f"{ny + 3}-{nm:02d}-10", i < 4))
        if i >= 4:   # 1/300 from the 11th to the 25th of the due month, 1/130 from the 26th to 20.12.2026
            first, second = date(ny, nm, 11), date(ny, nm, 26)
            penalty.append(pen(period, f"{first}", f"{date(ny, nm, 25)}", 15, debt, 300, share(debt, 15, 300)))
            if second <= end:
                days = (end - second).days + 1
                penalty.append(pen(period, f"{second}", f"{end}", days, debt, 130, share(debt, days, 130)))
        period = ny * 100 + nm
    claimed = months[4:]
    principal = sum(m["debt_kop"] for m in claimed)
    penalty_kop = sum(p["amount_kop"] for p in penalty)
    # 36 months of 1 000,00 + 10,01 × (4 … 39) = 36 000,00 + 10,01 × 774 = 43 747,74
    assert principal == 43_747_74 and len(penalty) == 36 + 35
    det = details(st, HOUSEHOLD, months, penalty, principal, penalty_kop, "court",
                  court_name="Мировому судье судебного участка № 3 Ленинского района г. Оренбурга",
                  duty={"court": "general", "route": "order", "claim_kop": principal + penalty_kop,
                        "duty_kop": 2_000_00, "filed": "2026-12-20"})
    add_doc(st, 40, 1, "court_order_application", "2026-12-20", "2026-12-20", principal, penalty_kop, det,
            duty=2_000_00, court="general", route="order")
    text = " ".join(words(debt_doc_text(st, 40)))
    assert text.count("| Итого задолженность |") == 1 and "43 747,74" in text and money(penalty_kop) in text
    assert text.count("исключён: давность истекла") == 4
    doc = render(st, [load_doc(st, 40)])
    assert doc.pages == 5        # the application (2 pages), the calculation (3 pages)
    path = print_debt_docs(st, [40], tmp_path / "forty.pdf")
    assert pages(path.read_bytes()) == 5
    if shutil.which("pdftotext"):
        raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
        sheets = raw.split("\f")
        # the 40 months fit page 3; the 71 penalty lines run over pages 4 and 5 under a repeated header
        assert [i for i, s in enumerate(sheets, 1) if "Расчётный период" in s] == [3]
        assert [i for i, s in enumerate(sheets, 1) if "Период долга" in s] == [4, 5]
        assert "Итого пени" in sheets[4] and "Демидов Олег Петрович" in sheets[4]
        assert all(f"стр. {i} из 5" in sheets[i - 1] for i in range(1, 6))


def test_a_calculation_that_does_not_add_up_is_flagged(st):
    assert all("ВНИМАНИЕ" not in debt_doc_text(st, d) for d, _ in FORMS)
    st.execute("UPDATE debt_doc SET penalty_kop = penalty_kop - 100, principal_kop = principal_kop + 1 WHERE id = 7")
    text = " ".join(words(debt_doc_text(st, 7)))
    assert ("ВНИМАНИЕ: итог задолженности по месяцам (10 747,00 руб.) не совпадает с суммой основного долга в "
            "документе (10 747,01 руб.), разница -0,01 руб. Проверьте документ") in text
    assert ("ВНИМАНИЕ: итог расчёта пени (161,76 руб.) не совпадает с суммой пени в документе (160,76 руб.), "
            "разница 1,00 руб. Проверьте документ перед отправкой.") in text


def test_the_court_as_addressed():
    from sbyt.reports.collection_print import court_to

    assert court_to("Мировой судья судебного участка № 3") == "Мировому судье судебного участка № 3"
    assert court_to("Арбитражный суд Краснодарского края") == "В Арбитражный суд Краснодарского края"
    assert court_to("В  Ленинский районный суд г. Оренбурга") == "В Ленинский районный суд г. Оренбурга"


def test_refusals(st, tmp_path):
    with pytest.raises(SbytError, match="не найден"):
        debt_doc_text(st, 999)
    with pytest.raises(SbytError, match="ни одного документа"):
        print_debt_docs(st, [], tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
    st.execute("UPDATE debt_doc SET details = '{broken' WHERE id = 1")
    with pytest.raises(SbytError, match="JSON"):
        debt_doc_text(st, 1)
