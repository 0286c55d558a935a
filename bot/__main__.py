"""Command line: run the service, chat in the terminal, issue enrolment codes, operate the outbox.

    python -m bot run                      serve on WARGA_HOST:WARGA_PORT (default 127.0.0.1:8080)
    python -m bot chat --sender NAME       the same bot in a terminal, channel `terminal` (scriptable through stdin)
    python -m bot invite --opd dinas-pupr  print a one-time enrolment code for an officer
    python -m bot invite --role operator   ... for an operator (or --role regent)
    python -m bot staff list [--opd ID] | remove CODE   enrolled staff; revoke one person's access
    python -m bot outbox list|retry ID|retry-dead
    python -m bot telegram set-webhook URL | delete-webhook | info
    python -m bot migrate sqlite-to-mongo
    python -m bot letters dev-cert | invite --desa ID | invite --kecamatan ID
    python -m bot converse FILE... [--url URL]   run scripted conversations (tests/conversations/) against it
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from aiohttp import web

from bot.logging_setup import setup_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.web.staff_auth import new_code  # noqa: F401 (also imported from here by tools and tests)

logger = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Warga citizen-service chatbot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the service")
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--sender", default="terminal", help="who you are (sender id on the 'terminal' channel)")
    invite = sub.add_parser("invite", help="print a one-time enrolment code")
    invite.add_argument("--opd", help="OPD id from content/directory.yml (for officers)")
    invite.add_argument("--role", default="officer", choices=("officer", "operator", "regent", "pendamping"))
    invite.add_argument("--days", type=int, default=7, help="days the code stays valid")
    staff = sub.add_parser("staff", help="list enrolled staff, revoke access")
    staff.add_argument("args", nargs=argparse.REMAINDER)
    outbox = sub.add_parser("outbox", help="list and retry outbox jobs")
    outbox.add_argument("args", nargs=argparse.REMAINDER)
    telegram = sub.add_parser("telegram", help="Telegram webhook tools")
    telegram.add_argument("args", nargs=argparse.REMAINDER)
    migrate = sub.add_parser("migrate", help="copy data between stores")
    migrate.add_argument("direction", choices=("sqlite-to-mongo",))
    letters = sub.add_parser("letters", help="letters: development certificate, village head / camat codes")
    letters.add_argument("args", nargs=argparse.REMAINDER)
    converse = sub.add_parser("converse", help="run scripted conversations against a running service")
    converse.add_argument("args", nargs=argparse.REMAINDER)
    migrate.add_argument("--force", action="store_true",
                         help="copy into a database that holds other data, and copy every record again")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level if args.command == "run" else "WARNING")
    try:
        if args.command == "run":
            return _run(settings, args.host, args.port)
        if args.command == "chat":
            return asyncio.run(_chat(settings, args.sender))
        if args.command == "invite":
            return asyncio.run(_invite(settings, args.role, args.opd, args.days))
        if args.command == "staff":
            from bot.staff_cli import main as staff_main

            return asyncio.run(staff_main(args.args, settings))
        if args.command == "outbox":
            from integrations.outbox_cli import main as outbox_main

            return asyncio.run(outbox_main(args.args, settings))
        if args.command == "telegram":
            from bot.telegram_cli import main as telegram_main

            return asyncio.run(telegram_main(args.args, settings))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings, args.force))
        if args.command == "letters":
            from bot.letters_cli import main as letters_main

            return asyncio.run(letters_main(args.args, settings))
        if args.command == "converse":
            from bot.converse import main as converse_main

            return asyncio.run(converse_main(args.args, settings))
    except (ValueError, OSError) as exc:
        # Content errors (directory, texts) name the file and line; show them plainly.
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return 1


def _run(settings: Settings, host: str | None, port: int | None) -> int:
    from bot.app import create_app

    settings = settings.with_(host=host or settings.host, port=port if port is not None else settings.port)
    app = create_app(settings)
    logger.info("Warga starting on http://%s:%s/", settings.host, settings.port)
    from bot.store.base import StoreError

    try:
        with contextlib.suppress(web.GracefulExit, KeyboardInterrupt):
            asyncio.run(_serve(app, settings))
    except StoreError as exc:  # e.g. a second worker on a standalone MongoDB: say why, no traceback
        logger.error("Warga cannot start: %s", exc)
        return 3
    return 0


async def _serve(app: web.Application, settings: Settings) -> None:
    """Serve until a signal: connection cap, idle and slow-header timeout (see bot/web/limits.py)."""
    from bot.app import freeze_start_up_heap
    from bot.web.limits import start_site

    runner, port = await start_site(app, settings.web, settings.host, settings.port, access_log=None,
                                    handle_signals=True, shutdown_timeout=5)
    freeze_start_up_heap()
    _reload_on_sighup(app)
    logger.info("Warga is ready: web chat at http://%s:%s/, staff desk at http://%s:%s/desk",
                settings.host, port, settings.host, port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        logger.info("Warga stopped")  # a clean stop says so: without this line the process ended some other way


def _reload_on_sighup(app: web.Application) -> None:
    """`kill -HUP` reads content/ again (what `/muat_ulang` does in chat); a broken file is logged and changes
    nothing."""
    import signal

    from bot.app import RUNTIME, reload_content
    from bot.directory import DirectoryError
    from bot.texts import TextsError

    services = app[RUNTIME].services

    def reload() -> None:
        try:
            reload_content(services)
        except (DirectoryError, TextsError, OSError) as exc:
            logger.error("content not reloaded, the running one stays: %s", exc)

    with contextlib.suppress(NotImplementedError, AttributeError):  # no SIGHUP on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload)


async def _chat(settings: Settings, sender: str) -> int:
    """Talk to the bot in the terminal; when stdin is not a terminal, one message per line."""
    from bot.app import RUNTIME, create_app
    from bot.channels.terminal import TerminalChannel, TerminalSession
    from bot.store import create_store

    store = create_store(settings)
    app = create_app(settings, store=store, extra_channels={TerminalChannel.name: TerminalChannel(store)})
    runner = web.AppRunner(app)
    await runner.setup()  # runs the cleanup context: store, NLU, workers
    try:
        session = TerminalSession(app[RUNTIME], channel=TerminalChannel.name, sender=sender)
        await session.run(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    finally:
        await runner.cleanup()
    return 0


async def issue_code(settings: Settings, role: str, opd: str | None, days: int = 7) -> str:
    """Create and store a one-time enrolment code; returns it."""
    from bot.app import load_content

    directory, _ = load_content(settings)
    if role == "officer":
        if not opd or directory.opd(opd) is None:
            raise ValueError(f"--opd must be one of: {', '.join(directory.opds)}")
    elif opd and directory.opd(opd) is None:
        raise ValueError(f"unknown OPD {opd!r}")
    return await store_enrolment_code(settings, role, opd, days)


async def store_enrolment_code(settings: Settings, role: str, place: str | None, days: int = 7) -> str:
    """Store a new one-time code granting `role` (for the OPD, village or kecamatan `place`); returns it."""
    from actions.officer import add_enrolment_code  # the same codes as the operator's /undang in chat
    from bot.message import utcnow
    from bot.store import create_store

    store = create_store(settings)
    await store.open()
    try:
        return await add_enrolment_code(store, role, place, utcnow(), days)
    finally:
        await store.close()


async def _invite(settings: Settings, role: str, opd: str | None, days: int) -> int:
    code = await issue_code(settings, role, opd, days)
    print(code)
    print(f"Kirim ke bot: /daftar {code}  (berlaku {days} hari, sekali pakai)", file=sys.stderr)
    return 0


async def _migrate(settings: Settings, force: bool = False) -> int:
    from bot.store.migrate import main as migrate_main

    return await migrate_main(settings, force)


if __name__ == "__main__":
    raise SystemExit(main())
