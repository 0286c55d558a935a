"""The operator's staff page on the desk (/desk/petugas): only the operator sees it, and revoking an officer there
signs them out of the desk at once."""

from __future__ import annotations

import re

import aiohttp

from actions.staff_admin import staff_ref
from bot.store.base import Changes, Identity
from tests.desk.seed import OFFICER_DISHUB, OFFICER_PUPR, REGENT
from tests.desk.test_desk_http import staff_client, svc  # noqa: F401 - the seeded desk service, as a fixture
from tests.harness import Service

OPERATOR = Identity(key="telegram:700099", channel="telegram", sender_id="700099", role="operator",
                    name="Operator Kominfo")


async def operator_only_page(service: Service, path: str, form: dict[str, str], operator: aiohttp.ClientSession,
                             *others: aiohttp.ClientSession) -> None:
    """Only the operator's desk links to `path`; the others get 403 for the page and for a post to it."""
    for client in others:
        async with client.get(f"{service.url}{path}") as resp:
            assert resp.status == 403
        async with client.post(f"{service.url}{path}", data=form) as resp:
            assert resp.status == 403
        async with client.get(f"{service.url}/desk") as resp:
            assert path not in await resp.text()
    async with operator.get(f"{service.url}/desk") as resp:
        assert f'href="{path}?lang=id"' in await resp.text()


async def test_only_the_operator_manages_staff_and_a_revoked_officer_is_out_at_once(svc: Service) -> None:  # noqa: F811
    await svc.store.commit(Changes(identities=[OPERATOR]))
    async with await staff_client(svc, OFFICER_PUPR) as officer, await staff_client(svc, OPERATOR) as operator, \
            await staff_client(svc, REGENT) as regent:
        await operator_only_page(svc, "/desk/petugas", {"ref": staff_ref(OFFICER_DISHUB.key)}, operator,
                                 officer, regent)

        async with operator.get(f"{svc.url}/desk/petugas") as resp:
            page = await resp.text()
        assert resp.status == 200
        pupr = re.search(rf'<tr data-ref="{staff_ref(OFFICER_PUPR.key)}">(.*?)</tr>', page, re.S)
        assert pupr and "Petugas PUPR (petugas Dinas PUPR)" in pupr.group(1) and "Cabut akses" in pupr.group(1)
        own = re.search(rf'<tr data-ref="{staff_ref(OPERATOR.key)}">(.*?)</tr>', page, re.S)
        assert own and "Anda sendiri" in own.group(1) and "<form" not in own.group(1)
        assert "700001" not in page and page.count("Petugas PUPR (") == 1  # ids masked; no web sign-in copies
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

        async with operator.post(f"{svc.url}/desk/petugas", data={"csrf": "salah", "ref": staff_ref(OFFICER_PUPR.key),
                                                                 "reason": "x"}) as resp:
            assert resp.status == 400
        async with operator.post(f"{svc.url}/desk/petugas",
                                 data={"csrf": csrf, "ref": staff_ref(OPERATOR.key), "reason": "coba"}) as resp:
            assert "tidak dapat mencabut akses Anda sendiri" in await resp.text()
        async with operator.get(f"{svc.url}/desk/tiket") as resp:
            assert resp.status == 200  # the refusal left the operator signed in
        async with operator.post(f"{svc.url}/desk/petugas", data={"csrf": csrf, "ref": staff_ref(OFFICER_PUPR.key),
                                                                 "reason": "mutasi ke Bappeda"}) as resp:
            page = await resp.text()
        assert resp.status == 200 and "Akses Petugas PUPR (petugas Dinas PUPR) sudah dicabut" in page, page[-2000:]
        assert f'data-ref="{staff_ref(OFFICER_PUPR.key)}"' not in page

        async with officer.get(f"{svc.url}/desk", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"].startswith("/desk/masuk")
    assert (await svc.store.get_identity(OFFICER_PUPR.key)).role == "resident"  # type: ignore[union-attr]
    assert (await svc.store.get_identity(OFFICER_DISHUB.key)).role == "officer"  # type: ignore[union-attr]
