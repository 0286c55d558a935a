"""The desk's "join this complaint to …" (actions/duplicates.py), over real HTTP: offered for each open complaint of
the same topic at the same place, done with the officer's role checks, and shown on both complaints' pages."""

from __future__ import annotations

import aiohttp

from actions.duplicates import DUPLICATE_OF, FOLLOWERS
from bot.store.base import STATUS_JOINED
from tests.core.test_flows import file_complaint
from tests.desk.seed import OFFICER_DISHUB, OFFICER_PUPR
from tests.desk.test_desk_actions import csrf_of, svc  # noqa: F401
from tests.desk.test_desk_http import staff_client
from tests.harness import Service, mailbox, texts, wait_for


async def test_the_desk_joins_a_duplicate_to_the_complaint_at_the_same_place(svc: Service) -> None:  # noqa: F811
    async with aiohttp.ClientSession() as http:
        main = await file_complaint(http, svc.url, "warga-dm1")
        dup = await file_complaint(http, svc.url, "warga-dm2")
    url = f"{svc.url}/desk/tiket/{dup}"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.get(url) as resp:
            page = await resp.text()
        assert f'name="ke" value="{main}"' in page and f"Gabungkan aduan ini ke {main}" in page
        csrf = await csrf_of(officer, url)
        async with officer.post(url, data={"csrf": csrf, "action": "gabung", "ke": "bukan nomor"}) as resp:
            assert resp.status == 400
        assert (await svc.store.get_ticket(dup)).status != STATUS_JOINED
        async with officer.post(url, data={"csrf": csrf, "action": "gabung", "ke": main}) as resp:
            page = await resp.text()
            assert resp.status == 200 and f"{dup} digabung ke {main}" in page, page[-2000:]
        assert 'id="ticket-duplicate-of"' in page and main in page
        async with officer.get(f"{svc.url}/desk/tiket/{main}") as resp:
            assert f'id="ticket-followers"><a href="/desk/tiket/{dup}' in await resp.text()
    joined = await svc.store.get_ticket(dup)
    assert joined.status == STATUS_JOINED and joined.extra[DUPLICATE_OF] == main
    assert (await svc.store.get_ticket(main)).extra[FOLLOWERS] == [dup]

    async def told() -> str:
        said = texts(await mailbox(svc.store, "webchat:warga-dm2"))
        return said if "ternyata sama" in said else ""

    assert main in await wait_for(told)


async def test_another_offices_officer_cannot_join_from_the_desk(svc: Service) -> None:  # noqa: F811
    async with aiohttp.ClientSession() as http:
        main = await file_complaint(http, svc.url, "warga-dm3")
        dup = await file_complaint(http, svc.url, "warga-dm4")
    async with await staff_client(svc, OFFICER_DISHUB) as other:
        csrf = await csrf_of(other, f"{svc.url}/desk/tiket/ADU-2611-0008")
        async with other.post(f"{svc.url}/desk/tiket/{dup}", data={"csrf": csrf, "action": "gabung",
                                                                    "ke": main}) as resp:
            assert resp.status == 404
    assert (await svc.store.get_ticket(dup)).status != STATUS_JOINED
