"""Only an answer by an officer of the ticket's OPD is that OPD's first response (SQLite's trigger and MongoDB's
history writes alike): the regent's and an operator's answers reach the resident but do not count for the OPD."""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.oversight import Period, oversight
from bot.store.base import Changes, Identity, Ticket, TicketEvent
from bot.workdays import WorkCalendar
from tests.desk.seed import NOW, OFFICER_DISHUB, OFFICER_PUPR, REGENT, wib

CAL = WorkCalendar("Asia/Jakarta")
OPERATOR = Identity(key="telegram:700008", channel="telegram", sender_id="700008", role="operator", name="Operator")


def answer(number: str, hour: int, who: Identity, kind: str = "message_out") -> TicketEvent:
    data: dict[str, Any] = {"status": "diproses"} if kind == "status" else {"opd": who.opd_id, "role": who.role}
    return TicketEvent(ticket=number, kind=kind, at=wib(23, hour), actor=who.key, text="ok", data=data)


async def test_the_regents_and_operators_answers_are_not_the_opds_first_response(store: Any) -> None:
    ticket = Ticket(number="ADU-2611-0301", kind="aduan", topic=None, opd_id="dinas-pupr", status="baru", text="uji",
                    reporter="telegram:9301", created_at=wib(23, 9), updated_at=wib(23, 9), due_at=wib(30, 23))
    await store.commit(Changes(tickets=[ticket], identities=[OFFICER_PUPR, OFFICER_DISHUB, REGENT, OPERATOR]))
    for event in (answer(ticket.number, 10, REGENT), answer(ticket.number, 11, OPERATOR, "status"),
                  answer(ticket.number, 12, OFFICER_DISHUB), answer(ticket.number, 13, OFFICER_PUPR),
                  answer(ticket.number, 14, OFFICER_PUPR, "status")):
        await store.commit(Changes(events=[event]))
    period = Period(date(2026, 11, 23), date(2026, 11, 23))
    for opd_id in ("dinas-pupr", None):
        figures = (await oversight(store, CAL, NOW, period, opd_id=opd_id)).total
        assert figures.median_first_response_hours == 4.0, (opd_id, figures)  # 09:00 -> the officer's 13:00
