"""`sbyt debt fssp`: the bailiffs' (ФССП) exchange — export the executive documents as applications
to open proceedings, import the bailiffs' answers, the debtors' identifiers, the list of executive
documents with their status (docs/collection.md «Обмен с ФССП»). Mounted under `sbyt debt`."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import SbytError

fssp_app = typer.Typer(name="fssp", help="Обмен с ФССП: заявления о возбуждении исполнительного производства, ответы "
                                         "приставов, идентификаторы должников, исполнительные документы.",
                       no_args_is_help=True)


@fssp_app.command("export", help="Выгрузить в один XML-файл заявления о возбуждении исполнительного производства по "
                                 "исполнительным документам, ещё не направленным в ФССП (или по указанным --writ). "
                                 "Файл проверяется по схеме data/xsd/sbyt_fssp_application_1.xsd; если у гражданина-"
                                 "должника нет даты и места рождения или идентификатора, выгрузка не делается и "
                                 "перечисляются все такие документы. Документы отмечаются направленными, дела "
                                 "переходят на этап «исполнительное производство».")
def export_cmd(out: Path = typer.Option(..., "--out", "-o", metavar="FILE.xml", help="Файл заявлений."),
               on: str = typer.Option(None, "--date", help="Дата заявлений ДД.ММ.ГГГГ или ГГГГ-ММ-ДД "
                                                           "(по умолчанию сегодня)."),
               writ: list[str] = typer.Option(None, "--writ", help="Номер исполнительного документа (можно несколько "
                                                                   "раз; в том числе уже направленного — повторно).")) -> None:
    from sbyt.core import clock
    from sbyt.core.money import format_rub
    from sbyt.io.fssp import export_writs

    day = common.date_arg(on) or clock.today()
    with common.store() as st:
        ids = None
        if writ:
            found = dict(st.all("SELECT doc_no, id FROM debt_writ WHERE doc_no IN (SELECT unnest(?))", [list(writ)]))
            unknown = [w for w in writ if w not in found]
            if unknown:
                raise SbytError("Исполнительные документы не найдены: " + ", ".join(unknown) + " (sbyt debt fssp list).")
            ids = [found[w] for w in writ]
        res = export_writs(st, files.path(out), day, ids, save=files.write)
    common.err(f"Заявлений в ФССП: {res.writs} (дел {len(res.cases)}) на {format_rub(res.total_kop)} руб. — {out}.")


@fssp_app.command("import", help="Загрузить ответы ФССП: постановления в XML (OIp, одно или несколько в файле) или "
                                 "реестр CSV «doc_no;proceedings_no;status;status_date;recovered_rub». Файл "
                                 "проверяется целиком (все ошибки с номерами строк), загружается всё или ничего, "
                                 "один и тот же файл повторно не принимается.")
def import_cmd(path: Path = typer.Argument(..., metavar="FILE", help="Файл ответов (.xml или .csv).")) -> None:
    from sbyt.core.labels import label
    from sbyt.core.money import format_rub
    from sbyt.io.fssp import import_answers

    data = files.read(path)
    with common.store() as st:
        res = import_answers(st, Path(path), data)
    for w in res.warnings:
        common.err(f"Внимание: {w}")
    ev = ", ".join(f"{label('debt_event', k)} — {n}" for k, n in sorted(res.events.items())) or "нет"
    common.err(f"Файл {res.file} загружен (пакет № {res.batch_id}): ответов {res.rows}, документов изменено "
               f"{res.writs}, событий: {ev}; взыскано дополнительно {format_rub(res.recovered_kop)} руб.")


IDENTITY_OPTIONS = {
    "full_name": ("--full-name", "ФИО полностью, если в лицевом счёте сокращено."),
    "birth_date": ("--birth-date", "Дата рождения."),
    "birth_place": ("--birth-place", "Место рождения."),
    "residence": ("--residence", "Место жительства (пребывания), если не адрес лицевого счёта."),
    "snils": ("--snils", "СНИЛС (11 цифр)."),
    "inn": ("--inn", "ИНН гражданина (12 цифр)."),
    "passport": ("--passport", "Паспорт: серия и номер, «4510 123456»."),
    "passport_issued_on": ("--passport-issued", "Дата выдачи паспорта."),
    "passport_issued_by": ("--passport-issued-by", "Кем выдан паспорт."),
    "driving_licence": ("--driving-licence", "Водительское удостоверение: серия и номер."),
    "vehicle_cert": ("--vehicle-cert", "Свидетельство о регистрации ТС: серия и номер."),
}


@fssp_app.command("identity", help="Данные должника для ФССП (229-ФЗ ст. 13): дата и место рождения и хотя бы один "
                                   "идентификатор — СНИЛС, ИНН, паспорт, водительское удостоверение или свидетельство "
                                   "о регистрации ТС. Без параметров — показать; пустое значение («») стирает поле.")
def identity_cmd(key: str = typer.Argument(..., metavar="ACCOUNT_OR_INN",
                                           help="Лицевой счёт, ИНН индивидуального предпринимателя или номер дела."),
                 full_name: str = typer.Option(None, IDENTITY_OPTIONS["full_name"][0], help=IDENTITY_OPTIONS["full_name"][1]),
                 birth_date: str = typer.Option(None, "--birth-date", help=IDENTITY_OPTIONS["birth_date"][1]),
                 birth_place: str = typer.Option(None, "--birth-place", help=IDENTITY_OPTIONS["birth_place"][1]),
                 residence: str = typer.Option(None, "--residence", help=IDENTITY_OPTIONS["residence"][1]),
                 snils: str = typer.Option(None, "--snils", help=IDENTITY_OPTIONS["snils"][1]),
                 inn: str = typer.Option(None, "--inn", help=IDENTITY_OPTIONS["inn"][1]),
                 passport: str = typer.Option(None, "--passport", help=IDENTITY_OPTIONS["passport"][1]),
                 passport_issued_on: str = typer.Option(None, "--passport-issued",
                                                        help=IDENTITY_OPTIONS["passport_issued_on"][1]),
                 passport_issued_by: str = typer.Option(None, "--passport-issued-by",
                                                        help=IDENTITY_OPTIONS["passport_issued_by"][1]),
                 driving_licence: str = typer.Option(None, "--driving-licence", help=IDENTITY_OPTIONS["driving_licence"][1]),
                 vehicle_cert: str = typer.Option(None, "--vehicle-cert", help=IDENTITY_OPTIONS["vehicle_cert"][1]),
                 fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.io.fssp import FIELD_NAMES, identity, set_identity

    values = {"full_name": full_name, "birth_date": birth_date, "birth_place": birth_place, "residence": residence,
              "snils": snils, "inn": inn, "passport": passport, "passport_issued_on": passport_issued_on,
              "passport_issued_by": passport_issued_by, "driving_licence": driving_licence,
              "vehicle_cert": vehicle_cert}
    given = {k: v for k, v in values.items() if v is not None}
    with common.store(read_only=not given) as st:
        ident = set_identity(st, key, given) if given else identity(st, key)
    d = ident.debtor
    rows = [("должник", d.number), ("имя", d.name), ("адрес", d.address or "")]
    rows += [(FIELD_NAMES[f], getattr(ident, f) or "") for f in FIELD_NAMES]
    missing = ident.missing()
    rows.append(("для ФССП не хватает", ", ".join(missing) if missing else "—"))
    rows.append(("изменено", f"{ident.updated_by}, {ident.updated_at:%d.%m.%Y %H:%M}" if ident.updated_at else ""))
    common.emit(["поле", "значение"], rows, fmt, title=f"Данные должника {d.number} для ФССП")
    if given:
        common.err(f"Данные должника {d.number} записаны.")


@fssp_app.command("list", help="Исполнительные документы: вид, номер, дата, дело, должник, суммы, направление в ФССП, "
                               "номер исполнительного производства, статус, взыскано.")
def list_cmd(unsent: bool = typer.Option(False, "--unsent", help="Только не направленные в ФССП."),
             status: str = typer.Option(None, "--status", help="Статус: sent, opened, refused, ended_paid, "
                                                               "ended_impossible, returned."),
             case: str = typer.Option(None, "--case", help="Номер дела (или лицевой счёт, договор)."),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.money import rub
    from sbyt.io.fssp import DOC_KIND_NAME, writs

    code = common.code_arg("fssp_status", status, "Статус")
    with common.store(read_only=True) as st:
        rows = writs(st, unsent=unsent, status=code, case=case)
    common.emit(["документ", "вид", "дата акта", "дело", "должник", "ФИО / наименование", common.money("сумма, ₽"),
                 common.money("госпошлина, ₽"), "направлен", "номер ИП", "статус", "дата статуса",
                 common.money("взыскано, ₽"), "данные для ФССП"],
                [(r.doc_no, DOC_KIND_NAME[r.doc_kind].lower(), r.act_date, r.case_number, r.debtor_no, r.debtor_name, rub(r.amount_kop), rub(r.duty_kop),
                  r.sent_fssp, r.proceedings_no or "", r.fssp_status, r.fssp_status_date, rub(r.recovered_kop),
                  "есть" if r.identified else "не хватает") for r in rows],
                fmt, title="Исполнительные документы и ФССП", codes={"статус": "fssp_status"})
