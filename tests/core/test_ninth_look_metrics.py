"""Staff's figures, from a ninth trial as a regent and an OPD head would read them: a complaint the reporter
withdrew is counted apart from the resolved ones (dashboard, report card, /ringkasan) and kept out of the
resolution rate and time; only an answer by an officer of the ticket's OPD is its first response; the regent's
/antrian names each ticket's OPD; overdue complaints reach the regent as one message per SLA pass."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from actions.oversight import Period, oversight
from integrations.report_card import ReportCardWorker
from tests.core.test_eighth_look import Clock, clock, svc  # noqa: F401 - Monday 09:00, the service on that clock
from tests.core.test_flows import enrol, file_complaint
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, say, texts, wait_for


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


async def test_a_withdrawn_complaint_is_counted_apart_from_the_resolved_ones(svc, http, clock):  # noqa: F811
    clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 09:00 in the regency
    await enrol(http, svc, "wd-pupr")
    await enrol(http, svc, "wd-bupati", "regent", None)
    early, late, withdrawn = [await file_complaint(http, svc.url, f"wd-r{n}") for n in range(3)]
    clock.now += timedelta(hours=3)
    await say(http, svc.url, "wd-pupr", f"/selesai {early} sudah ditambal")
    clock.now = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # Friday: four working days later
    await say(http, svc.url, "wd-pupr", f"/selesai {late} sudah diaspal ulang")
    await say(http, svc.url, "wd-r2", "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
    await say(http, svc.url, "wd-r2", "btn:withdraw_yes")
    said = texts(await say(http, svc.url, "wd-pupr", f"/selesai {withdrawn} dicek, memang sudah diperbaiki"))
    assert "atas permintaan pelapor" in said, said

    # The dashboard: two resolved (median 2 working days: 0 and 4), one withdrawn by its reporter, apart.
    services = svc.runtime.services
    period = Period.last_days(services.calendar, clock.now, 30)
    result = await oversight(svc.store, services.calendar, clock.now, period, opd_ids=list(services.directory.opds))
    [pupr] = [f for f in result.opds if f.opd_id == "dinas-pupr"]
    for figures in (result.total, pupr):
        assert (figures.received, figures.resolved, figures.withdrawn) == (3, 2, 1), figures
        assert figures.median_resolution_days == 2.0 and figures.within_sla == 1.0, figures
    assert sum(done for _, _, done in result.weeks) == 2, result.weeks
    one = (await oversight(svc.store, services.calendar, clock.now, period, opd_id="dinas-pupr")).total
    assert (one.resolved, one.withdrawn, one.median_resolution_days) == (2, 1, 2.0), one
    # The regent's dashboard page shows the withdrawn one in a tile of its own.
    regent = await svc.store.get_identity("webchat:wd-bupati")
    async with await staff_client(svc, regent) as browser, \
            browser.get(f"{svc.url}/desk?dari=2026-11-01&sampai=2026-12-04") as resp:
        page = await resp.text()
    assert resp.status == 200 and re.search(r'id="total-withdrawn"[^>]*><span class="big">1</span>Dicabut pelapor',
                                            page), page[:3000]
    assert re.search(r'id="total-resolved"[^>]*><span class="big">2</span>', page)

    # /ringkasan: the day's one done and one withdrawn, each in its own column.
    summary = texts(await say(http, svc.url, "wd-bupati", "/ringkasan"))
    assert "1 selesai, 1 dicabut pelapor" in summary, summary
    assert "• Dinas PUPR: 0 / 1 / 1 / 0" in summary, summary

    # The weekly report card names it on the OPD's line.
    clock.now = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # Monday 07:30
    assert await ReportCardWorker(services).run_once() > 0
    cards = [r["text"] for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == "webchat:wd-bupati"
             for r in j.payload["replies"] if "Rapor OPD" in r["text"]]
    [line] = [ln for card in cards for ln in card.splitlines() if "Dinas PUPR" in ln]
    assert "1 dicabut pelapor" in line and "tepat waktu 100%" in line, line


async def test_only_the_opds_own_answer_is_its_first_response(svc, http, clock):  # noqa: F811
    clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 09:00 in the regency
    await enrol(http, svc, "fr-pupr")
    await enrol(http, svc, "fr-bupati", "regent", None)
    await enrol(http, svc, "fr-operator", "operator", None)
    number = await file_complaint(http, svc.url, "fr-w1")
    only_regent = await file_complaint(http, svc.url, "fr-w2")
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "fr-bupati", f"/balas {number} Terima kasih, sudah saya minta Dinas PUPR memeriksanya")
    await say(http, svc.url, "fr-bupati", f"/balas {only_regent} Terima kasih laporannya, segera kami tindak lanjuti")
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "fr-operator", f"/balas {number} Laporan Bapak/Ibu sudah kami teruskan")
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "fr-pupr", f"/balas {number} Besok tim kami ke lokasi untuk mengukur lubangnya")
    # The resident heard all three.
    for words in ("saya minta Dinas PUPR", "sudah kami teruskan", "Besok tim kami"):
        assert await wait_for(lambda w=words: heard(svc, "fr-w1", w)), words

    # The OPD's first response came after 3 working hours, not 1; a complaint only the regent answered has none.
    services = svc.runtime.services
    period = Period.last_days(services.calendar, clock.now, 30)
    for opd_id in ("dinas-pupr", None):
        figures = (await oversight(svc.store, services.calendar, clock.now, period, opd_id=opd_id,
                                   opd_ids=list(services.directory.opds))).total
        assert figures.median_first_response_hours == 3.0, figures

    clock.now = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # Monday 07:30: last week's report card
    assert await ReportCardWorker(services).run_once() > 0
    cards = [r["text"] for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == "webchat:fr-bupati"
             for r in j.payload["replies"] if "Rapor OPD" in r["text"]]
    [line] = [ln for card in cards for ln in card.splitlines() if "Dinas PUPR" in ln]
    assert "tanggapan 3 jam" in line, line


async def heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in i["text"] for i in await mailbox(svc.store, f"webchat:{who}"))
