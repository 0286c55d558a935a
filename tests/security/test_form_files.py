"""A form sent with a file where none is taken (a hostile or mistaken client posting multipart to the desk's revoke,
retry or letter-decision forms): the file is dropped and its temporary file closed at once, never left open until
the garbage collector finds it (aiohttp spools every uploaded file to a temporary file the caller must close). The
ticket form that takes a photo keeps it, for the caller to close. Over real HTTP on loopback."""
from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.http_input import read_form


async def _serve(keep_files: bool) -> tuple[web.AppRunner, str, list[dict[str, object]]]:
    seen: list[dict[str, object]] = []

    async def handler(request: web.Request) -> web.Response:
        form = await read_form(request, keep_files=keep_files)
        spooled = (await request.post()).get("file")  # (aiohttp's own parse, cached: the file it spooled)
        seen.append({"fields": sorted(form), "closed": getattr(getattr(spooled, "file", None), "closed", None)})
        kept = form.get("file")
        if isinstance(kept, web.FileField):
            kept.file.close()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/form", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/form", seen


async def _post(url: str) -> None:
    form = aiohttp.FormData()
    form.add_field("csrf", "token")
    form.add_field("file", b"\xff\xd8 not a photo", filename="x.jpg", content_type="image/jpeg")
    async with aiohttp.ClientSession() as http, http.post(url, data=form) as resp:
        assert resp.status == 200


async def test_a_file_where_none_is_taken_is_dropped_and_closed() -> None:
    runner, url, seen = await _serve(keep_files=False)
    try:
        await _post(url)
    finally:
        await runner.cleanup()
    assert seen == [{"fields": ["csrf"], "closed": True}], seen


async def test_a_form_that_takes_a_file_keeps_it_open_for_its_caller() -> None:
    runner, url, seen = await _serve(keep_files=True)
    try:
        await _post(url)
    finally:
        await runner.cleanup()
    assert seen == [{"fields": ["csrf", "file"], "closed": False}], seen
