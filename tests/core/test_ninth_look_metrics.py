"""Staff's figures, from a ninth trial as a regent and an OPD head would read them: a complaint the reporter
withdrew is counted apart from the resolved ones (dashboard, report card, /ringkasan) and kept out of the
resolution rate and time; only an answer by an officer of the ticket's OPD is its first response; the regent's
/antrian names each ticket's OPD; overdue complaints reach the regent as one message per SLA pass."""

from __future__ import annotations

from tests.core.test_eighth_look import Clock, clock, svc  # noqa: F401 - Monday 09:00, the service on that clock
from tests.core.test_flows import enrol, file_complaint
from tests.harness import say, texts


async def test_the_regents_queue_names_each_tickets_opd(svc, http):  # noqa: F811
    await enrol(http, svc, "q-pupr")
    await enrol(http, svc, "q-bupati", "regent", None)
    road = await file_complaint(http, svc.url, "q-w1")
    rubbish = await file_complaint(http, svc.url, "q-w2", "sampah numpuk di pinggir jalan dekat pasar sudah seminggu")
    lines = texts(await say(http, svc.url, "q-bupati", "/antrian")).splitlines()
    [road_line] = [ln for ln in lines if road in ln]
    [rubbish_line] = [ln for ln in lines if rubbish in ln]
    assert "Dinas PUPR" in road_line and "DLH" in rubbish_line, lines
    # An officer's own queue is their OPD's, as before.
    own = texts(await say(http, svc.url, "q-pupr", "/antrian"))
    assert road in own and rubbish not in own, own
