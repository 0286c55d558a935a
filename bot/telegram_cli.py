"""`python -m bot telegram ...`: register, remove or inspect the bot's webhook.

    python -m bot telegram set-webhook https://warga.example.go.id/webhooks/telegram
    python -m bot telegram set-webhook              (uses WARGA_PUBLIC_URL + /webhooks/telegram)
    python -m bot telegram delete-webhook [--drop-pending]
    python -m bot telegram info

The webhook is always registered with TELEGRAM_WEBHOOK_SECRET, which Telegram then sends in the
X-Telegram-Bot-Api-Secret-Token header of every call; the service refuses calls without it.
"""

from __future__ import annotations

import argparse
import sys

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram import ALLOWED_UPDATES, WEBHOOK_PATH
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot telegram", description="Telegram webhook tools")
    sub = parser.add_subparsers(dest="action", required=True)
    set_hook = sub.add_parser("set-webhook", help="register URL as the bot's webhook, with the secret")
    set_hook.add_argument("url", nargs="?", help=f"public https URL ending in {WEBHOOK_PATH} "
                                                 "(default: WARGA_PUBLIC_URL + that path)")
    set_hook.add_argument("--drop-pending", action="store_true", help="discard updates Telegram is holding")
    set_hook.add_argument("--max-connections", type=int, default=40, help="parallel webhook calls (1-100)")
    delete_hook = sub.add_parser("delete-webhook", help="remove the webhook (to use polling)")
    delete_hook.add_argument("--drop-pending", action="store_true", help="discard updates Telegram is holding")
    sub.add_parser("info", help="show the bot and its webhook status")
    return parser


async def main(argv: list[str], settings: Settings) -> int:
    """Run one webhook command; returns the process exit code."""
    args = _parser().parse_args(argv)
    tg = settings.telegram
    if not tg.token:
        print("TELEGRAM_BOT_TOKEN is not set.", file=sys.stderr)
        return 2
    url = ""
    if args.action == "set-webhook":
        url = args.url or (settings.public_url.rstrip("/") + WEBHOOK_PATH if settings.public_url else "")
        if not url:
            print("Give the webhook URL, or set WARGA_PUBLIC_URL.", file=sys.stderr)
            return 2
        if not tg.webhook_secret:
            print("TELEGRAM_WEBHOOK_SECRET is not set; the service refuses webhook calls without it.\n"
                  "Choose a random value (A-Z, a-z, 0-9, _ and -, up to 256 characters), e.g.\n"
                  "  python -c 'import secrets; print(secrets.token_urlsafe(32))'", file=sys.stderr)
            return 2
        if not url.startswith("https://"):
            print("Warning: Telegram only calls https:// webhooks.", file=sys.stderr)
        if not url.rstrip("/").endswith(WEBHOOK_PATH):
            print(f"Warning: the service serves the webhook at {WEBHOOK_PATH}.", file=sys.stderr)
    try:
        async with Bot(tg.token, base_url=tg.api_base_url, base_file_url=tg.file_base_url) as bot:
            if args.action == "set-webhook":
                await bot.set_webhook(url=url, secret_token=tg.webhook_secret, allowed_updates=ALLOWED_UPDATES,
                                      max_connections=args.max_connections,
                                      drop_pending_updates=args.drop_pending)
                print(f"Webhook set for @{bot.username}: {url}")
            elif args.action == "delete-webhook":
                await bot.delete_webhook(drop_pending_updates=args.drop_pending)
                print(f"Webhook removed for @{bot.username}; the service can now poll.")
            else:
                info = await bot.get_webhook_info()
                print(f"Bot: @{bot.username} (id {bot.id})")
                print(f"Webhook: {info.url or '(none: polling)'}")
                print(f"Pending updates: {info.pending_update_count}")
                if info.last_error_message:
                    print(f"Last error: {info.last_error_message} at {info.last_error_date}")
    except InvalidToken:
        print("Telegram rejected TELEGRAM_BOT_TOKEN (check it with BotFather).", file=sys.stderr)
        return 1
    except TelegramError as exc:
        print(f"Telegram refused: {exc.__class__.__name__}: {exc.message}", file=sys.stderr)
        return 1
    return 0
