"""Service-level guarantees: concurrent numbering, restart safety, the terminal chat, content checks."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.directory import Directory, DirectoryError
from bot.settings import ROOT
from tests.core.test_flows import TICKET, file_complaint, payloads, texts
from tests.harness import make_settings, running_service, say


async def test_200_concurrent_complaints_get_200_distinct_numbers(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path)
    async with running_service(settings) as svc:
        connector = aiohttp.TCPConnector(limit=50)
        async with aiohttp.ClientSession(connector=connector) as http:
            numbers = await asyncio.gather(*(file_complaint(http, svc.url, f"resident-{i}") for i in range(200)))
        assert len(set(numbers)) == 200
        for number in numbers[:5]:
            assert (await svc.store.get_ticket(number)) is not None


async def test_a_conversation_continues_after_a_restart(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path)
    async with aiohttp.ClientSession() as http:
        async with running_service(settings) as svc:
            await say(http, svc.url, "budi", "got di depan sekolah mampet, kalau hujan air meluber ke jalan")
            replies = await say(http, svc.url, "budi", "ya")
            assert "lokasi" in texts(replies).lower()
        async with running_service(settings) as svc:
            replies = await say(http, svc.url, "budi", "Desa Mojosari, depan SD Negeri 1")
            assert "btn:skip" in payloads(replies)
            await say(http, svc.url, "budi", "lewati")
            await say(http, svc.url, "budi", "privasi:rahasia")
            replies = await say(http, svc.url, "budi", "kirim")
            number = TICKET.search(texts(replies)).group(0)
            ticket = await svc.store.get_ticket(number)
            assert ticket.privacy == "rahasia" and "Mojosari" in ticket.location["address"]


def test_terminal_chat_is_scriptable(tmp_path: Path, nlu_model_path: Path):
    script = "\n".join([
        "halo",
        "jalan di desa Sooko rusak parah banyak lubang",
        "ya",
        "Desa Sooko, Kec. Sooko",
        "lewati",
        "privasi:publik",
        "kirim",
    ]) + "\n"
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "NLU_MODEL_PATH": str(nlu_model_path)}
    result = subprocess.run([sys.executable, "-m", "bot", "chat", "--sender", "siti"], input=script,
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "selamat datang" in result.stdout.lower()
    assert re.search(r"WRG-\d{4}-\d{4}", result.stdout), result.stdout
    assert result.stdout.count("anda> ") == 7
    # The terminal is a channel of its own: nobody at a terminal speaks as a web chat visitor.
    from bot.store.sqlite import SqliteStore

    async def keys() -> tuple[object, object]:
        store = SqliteStore(tmp_path / "var" / "warga.sqlite3")
        await store.open()
        try:
            return await store.get_conversation("terminal:siti"), await store.get_conversation("webchat:siti")
        finally:
            await store.close()

    terminal, webchat = asyncio.run(keys())
    assert terminal is not None and webchat is None


def test_invite_prints_a_code_and_rejects_unknown_opd(tmp_path: Path):
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var")}
    ok = subprocess.run([sys.executable, "-m", "bot", "invite", "--opd", "dinas-pupr"],
                        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert ok.returncode == 0 and re.fullmatch(r"[A-Z2-9]{8}\n", ok.stdout)
    bad = subprocess.run([sys.executable, "-m", "bot", "invite", "--opd", "dinas-nope"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert bad.returncode == 2 and "dinas-pupr" in bad.stderr


def test_the_shipped_directory_has_every_required_opd():
    directory = Directory.load(ROOT / "content" / "directory.yml")
    required = ("dispendukcapil dinas-pupr disperkim dishub dlh satpol-pp dinas-pendidikan dinas-kesehatan rsud "
                "dinas-sosial bpbd damkar perumda-air-minum disnaker dinas-pertanian diskominfo dpmptsp bapenda "
                "disperindag inspektorat dpmd").split()
    assert set(required) <= set(directory.opds)
    assert set(directory.routing.values()) == set(directory.opds)  # every OPD receives some topic


@pytest.mark.parametrize(("change", "message"), [
    (("sla_days: 5\n    contacts: []\n  - id: dinas-pupr", "sla_days: lima\n    contacts: []\n  - id: dinas-pupr"),
     "sla_days' must be a whole number"),
    (("aduan_pbb: bapenda", "aduan_pbb: bapenda-x"), "no OPD with that id"),
    (("ticket_prefix: WRG", "ticket_prefix: wrg1"), "ticket_prefix must be"),
    (("  - id: dlh", "  - id: dinas-pupr"), "appears twice"),
])
def test_a_bad_directory_names_file_line_and_problem(tmp_path: Path, change: tuple[str, str], message: str):
    original = (ROOT / "content" / "directory.yml").read_text(encoding="utf-8")
    assert change[0] in original
    path = tmp_path / "directory.yml"
    path.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DirectoryError) as info:
        Directory.load(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert re.search(r"line \d+", str(info.value))


def test_service_refuses_to_start_on_a_bad_directory(tmp_path: Path):
    content = tmp_path / "content"
    (content / "texts").mkdir(parents=True)
    for f in (ROOT / "content" / "texts").glob("*.yml"):
        (content / "texts" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (content / "directory.yml").write_text("regency:\n  name: X\nopds: []\nrouting: {}\n", encoding="utf-8")
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "WARGA_CONTENT_DIR": str(content)}
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--port", "0"], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 2
    assert "directory.yml" in result.stderr and "ticket_prefix" in result.stderr


async def test_several_outbox_workers_deliver_each_push_once(tmp_path: Path, nlu_model_path: Path):
    from bot.__main__ import issue_code

    settings = make_settings(tmp_path, OUTBOX_WORKERS="3")
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        assert sum(type(w).__name__ == "OutboxWorker" for w in svc.runtime.workers) == 3
        code = await issue_code(settings, "officer", "dinas-pupr")
        await say(http, svc.url, "pupr-w", f"/daftar {code}")
        numbers = await asyncio.gather(*(file_complaint(http, svc.url, f"warga-w{i}") for i in range(12)))
        for number in numbers:
            await say(http, svc.url, "pupr-w", f"/balas {number} Sudah kami jadwalkan perbaikannya.")

        async def delivered() -> bool:
            counts = await svc.store.outbox_counts()
            return counts["pending"] == 0 and counts["done"] > 0

        from tests.harness import mailbox, wait_for

        await wait_for(delivered, timeout=15)
        cards = await mailbox(svc.store, "webchat:pupr-w")  # what was pushed (not the officer's own lines)
        for number in numbers:  # one card per ticket for the officer, one answer per resident
            assert sum(f"Aduan baru *{number}*" in r["text"] for r in cards) == 1
        for i in range(len(numbers)):
            pushed = await mailbox(svc.store, f"webchat:warga-w{i}")
            answers = [r for r in pushed if "jadwalkan perbaikannya" in r["text"]]
            assert len(answers) == 1


def test_a_second_copy_on_a_port_in_use_stops_at_once_and_says_why(tmp_path: Path, nlu_model_path: Path):
    """The operator starts the service twice: the second copy exits 2 naming the port, before any worker (LAPOR!
    sync, Telegram polling) starts, instead of hanging with its workers running."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "NLU_MODEL_PATH": str(nlu_model_path)}
        result = subprocess.run([sys.executable, "-m", "bot", "run", "--port", str(port)], capture_output=True,
                                text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"127.0.0.1:{port} is in use by another process" in result.stderr and "WARGA_PORT" in result.stderr
    assert "is ready" not in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize(("path", "change", "message"), [
    ("texts/core.yml", ("\nmenu_status:", "\nmenu_statu:"), "'menu_status' (used in actions/"),
    ("directory.yml", ("  aduan_sampah: dlh", "  aduan_sampa: dlh"),
     "routing names topic 'aduan_sampa', which content/texts does not name (topic_aduan_sampa); "
     "did you mean 'aduan_sampah'?"),
    ("texts/officer.yml", ("layanan pengaduan {regency} telah dicabut", "layanan pengaduan {regensi} telah dicabut"),
     "key 'staff_removed_notice': the en text and the id text name different fields ({regency}, {regensi}); "
     "misspelt?"),
])
def test_a_renamed_text_or_misspelt_topic_stops_the_start_naming_it(tmp_path: Path, path: str,
                                                                     change: tuple[str, str], message: str):
    """Mistakes only the files together show: a text key the code needs, renamed, would fail every greeting; a
    routing topic misspelt would leave rubbish complaints "not understood"; a field misspelt in one language
    would be shown as written. Each stops the start, said plainly."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    original = (content / path).read_text(encoding="utf-8")
    assert change[0] in original
    (content / path).write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "WARGA_CONTENT_DIR": str(content)}
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--port", "0"], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    if path == "directory.yml":
        assert re.search(r"directory\.yml: line \d+: routing", result.stderr), result.stderr


def test_an_address_without_its_scheme_stops_the_start_naming_the_setting(tmp_path: Path):
    """`LAPOR_BASE_URL=lapor.example.go.id` was taken, and every push then failed quietly in the log."""
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "LAPOR_BASE_URL": "lapor.example.go.id",
           "LAPOR_TOKEN": "t" * 20}
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--port", "0"], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "LAPOR_BASE_URL must be an address starting with https://" in result.stderr, result.stderr
    assert "is ready" not in result.stderr and "Traceback" not in result.stderr


def test_a_stop_on_sigterm_ends_the_log_with_one_line_saying_so(tmp_path: Path, nlu_model_path: Path):
    """The operator can tell a clean stop (systemd, Ctrl-C) from a crash: the last line says the service stopped."""
    env = {**os.environ, "WARGA_DATA_DIR": str(tmp_path / "var"), "NLU_MODEL_PATH": str(nlu_model_path)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--port", "0"], stderr=subprocess.PIPE,
                               text=True, cwd=ROOT, env=env)
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if "Warga is ready" in line:
                break
        assert lines and "Warga is ready" in lines[-1], "".join(lines)
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, rest
    assert rest.strip().splitlines()[-1].endswith("INFO bot: Warga stopped"), rest
