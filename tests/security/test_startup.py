"""Problem 1: the service starts with real credentials only (official URLs at their defaults), even offline."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.settings import ROOT, load_settings
from integrations.lapor import LaporClient, LaporConfig
from tests.harness import make_settings, running_service, wait_for

TELEGRAM_ONLY = {"TELEGRAM_BOT_TOKEN": "123456:REAL-LOOKING-TOKEN"}
WHATSAPP_ONLY = {"WHATSAPP_TOKEN": "EAAG-real-looking", "WHATSAPP_PHONE_NUMBER_ID": "109876543210",
                 "WHATSAPP_APP_SECRET": "app-secret-value", "WHATSAPP_VERIFY_TOKEN": "verify-value"}
LAPOR_ONLY = {"LAPOR_BASE_URL": "https://api.lapor.go.id", "LAPOR_TOKEN": "lapor-token-value"}
OPERATOR = "operator-token-0123456789"


def only(env: dict[str, str]):
    return load_settings(env, dotenv=ROOT / ".env.none")


async def test_every_channel_and_client_builds_from_only_its_credentials(tmp_path: Path) -> None:
    from bot.app import load_content
    from bot.channels.telegram import TelegramChannel
    from bot.channels.whatsapp import WhatsAppChannel
    from bot.store.sqlite import SqliteStore

    settings = only({**TELEGRAM_ONLY, **WHATSAPP_ONLY, **LAPOR_ONLY, "WARGA_DATA_DIR": str(tmp_path)})
    assert settings.telegram.api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram.file_base_url == "https://api.telegram.org/file/bot"
    assert settings.whatsapp.graph_url == "https://graph.facebook.com"
    assert isinstance(settings.whatsapp.api_version, str) and settings.whatsapp.api_version.startswith("v")
    _, texts = load_content(settings)
    store = SqliteStore(settings.sqlite_path)

    async def handler(message):  # never called: nothing arrives in this test
        return []

    telegram = TelegramChannel(settings=settings.telegram, public_url=None, handler=handler, store=store, texts=texts)
    assert telegram.bot.base_url == "https://api.telegram.org/bot123456:REAL-LOOKING-TOKEN"
    whatsapp = WhatsAppChannel(settings=settings.whatsapp, handler=handler, store=store, texts=texts)
    assert whatsapp.base == f"https://graph.facebook.com/{settings.whatsapp.api_version}"
    lapor = LaporClient(settings.lapor, LaporConfig.load(settings.content_dir / "lapor.yml"))
    assert lapor.base_url == "https://api.lapor.go.id"


async def test_service_starts_with_default_urls_while_the_outside_is_unreachable(tmp_path: Path,
                                                                                 nlu_model_path: Path,
                                                                                 caplog) -> None:
    # Only credentials: every URL stays at its production default; the loopback guard refuses the outside.
    settings = make_settings(tmp_path, **TELEGRAM_ONLY, **WHATSAPP_ONLY, **LAPOR_ONLY,
                             WARGA_OPERATOR_TOKEN=OPERATOR)
    assert settings.telegram.api_base_url.startswith("https://api.telegram.org/")
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        assert {"webchat", "telegram", "whatsapp"} <= set(svc.runtime.channels)
        async with http.get(f"{svc.url}/healthz") as resp:
            assert resp.status == 200
            public = await resp.json()
        assert public["states"]["telegram"] == "connecting"  # getMe failed and is retried
        assert public["states"]["whatsapp"] in ("checking", "unreachable")  # its token check: never "ok" unasked
        assert public["status"] == "degraded"
        # A resident can still use the web chat; the LAPOR! push fails and the failure is reported.
        from tests.core.test_flows import file_complaint

        await file_complaint(http, svc.url, "warga-offline")

        async def lapor_failed() -> dict:
            async with http.get(f"{svc.url}/healthz", headers={"Authorization": f"Bearer {OPERATOR}"}) as resp:
                body = await resp.json()
            return body if body["outbox"].get("last_error") else {}

        detail = await wait_for(lapor_failed, timeout=20)
        assert "lapor" in detail["outbox"]["last_error"].lower()
        async with http.get(f"{svc.url}/healthz") as resp:
            public = await resp.json()
        assert public["outbox"].get("has_error") is True and "last_error" not in public["outbox"]
    # WhatsApp without its template: the operator is told at start what that means for late answers
    assert "no WHATSAPP_TEMPLATE_NAME" in caplog.text


async def test_a_misspelt_setting_is_named_at_start_with_what_it_likely_meant(tmp_path: Path, nlu_model_path: Path,
                                                                               caplog) -> None:
    """TELEGRAM_BOT_TOKN=... used to leave Telegram off without a word: the operator is told which name is not one
    of ours and what it most likely meant; its value (a secret, maybe) is never logged."""
    settings = make_settings(tmp_path, TELEGRAM_BOT_TOKN="123456:SECRET-VALUE-XYZ", WARGA_SESION_DAYS="3",
                             WARGA_NOT_A_THING="1", RASA_TELEMETRY_ENABLED="false", WARGA_TEST_KNOB="1")
    assert settings.unknown_settings == (("TELEGRAM_BOT_TOKN", "TELEGRAM_BOT_TOKEN"), ("WARGA_NOT_A_THING", None),
                                         ("WARGA_SESION_DAYS", "WARGA_SESSION_DAYS"))
    async with running_service(settings):
        pass
    assert "Setting TELEGRAM_BOT_TOKN is not one Warga reads (did you mean TELEGRAM_BOT_TOKEN?)" in caplog.text
    assert "Setting WARGA_NOT_A_THING is not one Warga reads; it is ignored" in caplog.text
    assert "SECRET-VALUE" not in caplog.text and "RASA_TELEMETRY" not in caplog.text
    assert not settings.telegram.enabled
