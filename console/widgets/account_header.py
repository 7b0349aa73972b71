"""The head of the account card: who, where, how many, which tariff, the balance, the debt age."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sbyt.console.widgets.format import money
from sbyt.core.console_reads import AccountHeader


class AccountHeaderView(Static):
    def show(self, h: AccountHeader) -> None:
        t = Text()
        t.append(f"ЛС {h.number}", style="bold")
        t.append(f"  {h.holder_name}\n", style="bold")
        t.append(f"{h.address}\n")
        area = f"{h.area:.2f}".replace(".", ",")
        t.append(f"Площадь {area} м² · комнат {h.rooms} · проживает {h.residents} · тариф {h.tariff_group} "
                 f"{h.tariff_name}\n")
        if h.balance_kop > 0:
            t.append(f"Сальдо: долг {money(h.balance_kop)} ₽", style="bold red")
        elif h.balance_kop < 0:
            t.append(f"Сальдо: аванс {money(-h.balance_kop)} ₽", style="bold green")
        else:
            t.append("Сальдо: 0,00 ₽", style="bold")
        t.append(f" · просрочка {h.debt_age_days} дн." if h.debt_age_days else " · просрочки нет")
        if h.closed:
            t.append(f" · счёт закрыт {h.closed:%d.%m.%Y}", style="yellow")
        self.update(t)
