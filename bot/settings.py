"""Settings from environment variables (optionally a `.env` file); fail fast naming the bad key."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _text(env: Mapping[str, str], key: str, default: str | None = None) -> str | None:
    value = env.get(key)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def _url(env: Mapping[str, str], key: str, default: str | None = None) -> str | None:
    """An http(s) address: "lapor.example.go.id" without its scheme would fail every call later, quietly."""
    value = _text(env, key, default)
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"{key} must be an address starting with https:// (or http://), got {value!r}")
    return value


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = _text(env, key)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a whole number, got {raw!r}") from None


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = _text(env, key)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, got {raw!r}") from None


def _secret(env: Mapping[str, str], key: str, min_length: int = 16) -> str | None:
    value = _text(env, key)
    if value is not None and len(value) < min_length:
        raise SettingsError(f"{key} must be at least {min_length} characters (use a long random value)")
    return value


def _choice(env: Mapping[str, str], key: str, default: str, choices: tuple[str, ...]) -> str:
    value = (_text(env, key) or default).lower()
    if value not in choices:
        raise SettingsError(f"{key} must be one of {', '.join(choices)}, got {value!r}")
    return value


# Official base URLs. Module constants (not class attributes): on a slotted dataclass the class attribute
# of a field is a member descriptor, not its default value.
TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_BASE_URL = "https://api.telegram.org/file/bot"
WHATSAPP_GRAPH_URL = "https://graph.facebook.com"
WHATSAPP_API_VERSION = "v21.0"
# SMS Gateway for Android: the phone's local server is http://<phone-ip>:8080; this is its cloud relay.
SMS_ANDROID_URL = "https://api.sms-gate.app/3rdparty/v1"
SMS_TWILIO_URL = "https://api.twilio.com"


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """Telegram bot: on when `token` is set."""

    token: str | None = None
    webhook_secret: str | None = None
    api_base_url: str = TELEGRAM_API_BASE_URL
    file_base_url: str = TELEGRAM_FILE_BASE_URL
    mode: str = "auto"  # auto (webhook when public_url is set, else polling) | webhook | polling

    @property
    def enabled(self) -> bool:
        return bool(self.token)


@dataclass(frozen=True, slots=True)
class WhatsAppSettings:
    """WhatsApp Cloud API: on when token and phone number id are set."""

    token: str | None = None
    phone_number_id: str | None = None
    app_secret: str | None = None
    verify_token: str | None = None
    graph_url: str = WHATSAPP_GRAPH_URL
    api_version: str = WHATSAPP_API_VERSION
    template_name: str | None = None
    template_lang: str = "id"

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.phone_number_id)


@dataclass(frozen=True, slots=True)
class SmsSettings:
    """SMS: the Android gateway (on with username and password) or Twilio (on with account sid and token)."""

    provider: str = "android"  # android | twilio
    android_url: str = SMS_ANDROID_URL
    android_username: str | None = None
    android_password: str | None = None
    android_signing_key: str | None = None
    twilio_url: str = SMS_TWILIO_URL
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    max_segments: int = 2
    timestamp_tolerance: float = 300.0  # seconds a signed webhook's X-Timestamp may be off

    @property
    def enabled(self) -> bool:
        if self.provider == "twilio":
            return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from)
        return bool(self.android_username and self.android_password)


@dataclass(frozen=True, slots=True)
class LaporSettings:
    """SP4N-LAPOR!: on when base URL and token are set."""

    base_url: str | None = None
    token: str | None = None
    api_key: str | None = None
    sync_interval: float = 300.0
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.token)


@dataclass(frozen=True, slots=True)
class LetterSettings:
    """Letters (#17): how they are signed. PAdES with a PKCS#12 file by default, or the regency's BSrE."""

    signer: str = "pades"  # pades | bsre
    p12_path: Path = ROOT / "var" / "letters" / "dev-signer.p12"
    p12_passphrase: str | None = field(default=None, repr=False)
    trust_roots: Path | None = None  # PEM file of extra trusted roots (BSrE's root CA) for verification
    bsre_url: str | None = None
    bsre_user: str | None = None
    bsre_password: str | None = field(default=None, repr=False)
    bsre_passphrase: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What protects the service on the internet: sessions, staff sign-in, limits, timeouts, tokens."""

    session_secret: str | None = None  # WARGA_SESSION_SECRET; unset: generated once and kept in the store
    session_days: int = 30
    staff_session_hours: int = 12
    operator_token: str | None = None  # WARGA_OPERATOR_TOKEN: details on /healthz
    nlu_parse_token: str | None = None  # NLU_PARSE_TOKEN: /model/parse is off unless set
    messages_per_minute: int = 20  # per sender, every channel
    ip_messages_per_minute: int = 600  # per client address, web chat (many residents share a mobile NAT)
    streams_per_session: int = 3
    streams_per_ip: int = 20
    streams_total: int = 500
    max_connections: int = 2000
    connections_per_ip: int = 100  # not applied behind a trusted proxy (the proxy limits per client)
    json_body_bytes: int = 64 * 1024  # web chat, sign-in, /model/parse
    webhook_body_bytes: int = 1024 * 1024  # Telegram, WhatsApp
    upload_body_bytes: int = 6 * 1024 * 1024  # a photo (5 MB) and its form fields
    keepalive_timeout: float = 15.0  # idle connection, and a client slow to send its headers
    body_timeout: float = 10.0  # a client slow to send its body
    enrol_attempts_per_identity: int = 5  # /daftar and sign-in codes, per 15 minutes
    enrol_attempts_per_ip: int = 20
    signin_code_minutes: int = 5
    max_stored_chars: int = 8000  # longer messages are cut to this before anything is stored
    refusal_delay: float = 1.0  # seconds a client over a rate or stream limit waits for its refusal
    trust_forwarded_for: bool = False  # take the client address from X-Forwarded-For (behind a proxy)
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # WARGA_MAP_TILE_URL: the desk's map
    map_boundaries: Path | None = None  # WARGA_MAP_BOUNDARIES: kecamatan/desa polygons (GeoJSON)
    public_page: bool = False  # WARGA_PUBLIC_PAGE: the public transparency page at /transparansi


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service reads from its environment."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    data_dir: Path = ROOT / "var"
    content_dir: Path = ROOT / "content"
    nlu_config: Path = ROOT / "config.yml"
    nlu_data_dir: Path = ROOT / "nlu" / "data"
    nlu_model_file: Path | None = None  # default: data_dir/nlu-model.pkl
    nlu_backend: str = "builtin"  # builtin | rasa
    rasa_url: str | None = None
    mongodb_url: str | None = None
    mongodb_db: str = "warga"
    timezone: str = "Asia/Jakarta"
    max_message_chars: int = 4000
    max_photo_bytes: int = 5 * 1024 * 1024  # WARGA_MAX_PHOTO_BYTES: a bigger photo is refused with a clear answer
    outbox_workers: int = 1
    outbox_poll_interval: float = 0.2
    outbox_max_attempts: int = 12
    outbox_backoff_base: float = 2.0
    outbox_backoff_cap: float = 900.0
    digest_time: str = "07:00"
    log_level: str = "INFO"
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    whatsapp: WhatsAppSettings = field(default_factory=WhatsAppSettings)
    lapor: LaporSettings = field(default_factory=LaporSettings)
    sms: SmsSettings = field(default_factory=SmsSettings)
    stt_url: str | None = None  # OpenAI-compatible speech-to-text (POST {stt_url}/v1/audio/transcriptions)
    stt_model: str = "whisper-1"
    stt_api_key: str | None = None
    letters: LetterSettings = field(default_factory=LetterSettings)
    web: WebSettings = field(default_factory=WebSettings)
    #: Names of ours in the environment that no setting reads, each with the one it most likely meant.
    unknown_settings: tuple[tuple[str, str | None], ...] = ()

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "warga.sqlite3"

    @property
    def nlu_model_path(self) -> Path:
        return self.nlu_model_file or self.data_dir / "nlu-model.pkl"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def redacted(self) -> dict[str, object]:
        """Settings for the log: secrets shown only as set/unset."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "mongodb_url" and value:
                value = "(set)"
            elif f.name in ("telegram", "whatsapp", "lapor", "web"):
                value = {g.name: ("(set)" if _is_secret(g.name) and getattr(value, g.name) else getattr(value, g.name))
                         for g in fields(value)}
            out[f.name] = value
        return out


def _is_secret(name: str) -> bool:
    return name.endswith(("token", "secret", "api_key", "password", "signing_key"))


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Build Settings from `env` (default: os.environ plus a `.env` file in the working directory)."""
    if env is None:
        merged: dict[str, str] = {}
        path = dotenv if dotenv is not None else Path.cwd() / ".env"
        if path.is_file():
            from dotenv import dotenv_values

            merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
        merged.update(os.environ)
        env = merged
    seen = _Seen(env)
    settings = _build(seen)
    return replace(settings, unknown_settings=seen.unknown())


class _Seen(Mapping[str, str]):
    """The environment, noting every name the settings read: a name of ours that nothing read is a misspelling
    (TELEGRAM_BOT_TOKN) or a setting that no longer exists, and the operator is told at start."""

    #: Prefixes other programs use too (Rasa's own RASA_*, LOG_* of a shell): never taken for ours; nor are the
    #: test suite's WARGA_TEST_* knobs.
    FOREIGN = frozenset({"RASA", "LOG"})

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self.env[key]

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.read.add(key)
        return self.env.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self.env

    def __iter__(self) -> Iterator[str]:
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)

    def unknown(self) -> tuple[tuple[str, str | None], ...]:
        """(name, the setting it most likely meant or None) for each name of ours that no setting reads."""
        prefixes = {k.split("_", 1)[0] for k in self.read if "_" in k} - self.FOREIGN
        strays = sorted(k for k in self.env if "_" in k and k.split("_", 1)[0] in prefixes and k not in self.read
                        and not k.startswith("WARGA_TEST_"))  # the test suite's own knobs
        return tuple((k, next(iter(difflib.get_close_matches(k, sorted(self.read), n=1, cutoff=0.8)), None))
                     for k in strays)


def _build(env: Mapping[str, str]) -> Settings:
    nlu_backend = _choice(env, "NLU_BACKEND", "builtin", ("builtin", "rasa"))
    rasa_url = _url(env, "RASA_URL")
    if nlu_backend == "rasa" and not rasa_url:
        raise SettingsError("NLU_BACKEND=rasa needs RASA_URL (e.g. http://127.0.0.1:5005)")
    port = _int(env, "WARGA_PORT", 8080)
    if not 0 <= port <= 65535:
        raise SettingsError(f"WARGA_PORT must be 0-65535, got {port}")
    telegram = TelegramSettings(
        token=_text(env, "TELEGRAM_BOT_TOKEN"),
        webhook_secret=_text(env, "TELEGRAM_WEBHOOK_SECRET"),
        api_base_url=_url(env, "TELEGRAM_API_BASE_URL", TELEGRAM_API_BASE_URL) or "",
        file_base_url=_url(env, "TELEGRAM_FILE_BASE_URL", TELEGRAM_FILE_BASE_URL) or "",
        mode=_choice(env, "TELEGRAM_MODE", "auto", ("auto", "webhook", "polling")),
    )
    whatsapp = WhatsAppSettings(
        token=_text(env, "WHATSAPP_TOKEN"),
        phone_number_id=_text(env, "WHATSAPP_PHONE_NUMBER_ID"),
        app_secret=_text(env, "WHATSAPP_APP_SECRET"),
        verify_token=_text(env, "WHATSAPP_VERIFY_TOKEN"),
        graph_url=_url(env, "WHATSAPP_GRAPH_URL", WHATSAPP_GRAPH_URL) or "",
        api_version=_text(env, "WHATSAPP_API_VERSION", WHATSAPP_API_VERSION) or "",
        template_name=_text(env, "WHATSAPP_TEMPLATE_NAME"),
        template_lang=_text(env, "WHATSAPP_TEMPLATE_LANG", "id") or "id",
    )
    if whatsapp.enabled and not whatsapp.app_secret:
        raise SettingsError("WHATSAPP_APP_SECRET is required when WhatsApp is on (webhook signatures)")
    sms = SmsSettings(
        provider=_choice(env, "SMS_PROVIDER", "android", ("android", "twilio")),
        android_url=_url(env, "SMS_ANDROID_URL", SMS_ANDROID_URL) or "",
        android_username=_text(env, "SMS_ANDROID_USERNAME"),
        android_password=_text(env, "SMS_ANDROID_PASSWORD"),
        android_signing_key=_text(env, "SMS_ANDROID_SIGNING_KEY"),
        twilio_url=_url(env, "SMS_TWILIO_URL", SMS_TWILIO_URL) or "",
        twilio_account_sid=_text(env, "TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_text(env, "TWILIO_AUTH_TOKEN"),
        twilio_from=_text(env, "TWILIO_FROM_NUMBER"),
        max_segments=_int(env, "SMS_MAX_SEGMENTS", 2),
    )
    if sms.enabled and sms.provider == "android" and not sms.android_signing_key:
        raise SettingsError("SMS_ANDROID_SIGNING_KEY is required when the Android SMS gateway is on "
                            "(webhook signatures; Settings > Webhooks > Signing Key in the app)")
    if not 1 <= sms.max_segments <= 10:
        raise SettingsError(f"SMS_MAX_SEGMENTS must be 1-10, got {sms.max_segments}")
    lapor = LaporSettings(
        base_url=_url(env, "LAPOR_BASE_URL"),
        token=_text(env, "LAPOR_TOKEN"),
        api_key=_text(env, "LAPOR_API_KEY"),
        sync_interval=_float(env, "LAPOR_SYNC_INTERVAL", 300.0),
        timeout=_float(env, "LAPOR_TIMEOUT", 10.0),
    )
    web = _web_settings(env)
    data_dir = Path(_text(env, "WARGA_DATA_DIR", str(ROOT / "var")) or "")
    letters = LetterSettings(
        signer=_choice(env, "LETTERS_SIGNER", "pades", ("pades", "bsre")),
        p12_path=Path(_text(env, "LETTERS_P12_PATH", str(data_dir / "letters" / "dev-signer.p12")) or ""),
        p12_passphrase=_text(env, "LETTERS_P12_PASSPHRASE"),
        trust_roots=Path(roots) if (roots := _text(env, "LETTERS_TRUST_ROOTS")) else None,
        bsre_url=_url(env, "BSRE_URL"),
        bsre_user=_text(env, "BSRE_USER"),
        bsre_password=_text(env, "BSRE_PASSWORD"),
        bsre_passphrase=_text(env, "BSRE_PASSPHRASE"),
    )
    if letters.signer == "bsre" and not letters.bsre_url:
        raise SettingsError("LETTERS_SIGNER=bsre needs BSRE_URL (the regency's BSrE/TTE signing service)")
    content_dir = Path(_text(env, "WARGA_CONTENT_DIR", str(ROOT / "content")) or "")
    return Settings(
        host=_text(env, "WARGA_HOST", "127.0.0.1") or "127.0.0.1",
        port=port,
        public_url=_url(env, "WARGA_PUBLIC_URL"),
        data_dir=data_dir,
        content_dir=content_dir,
        nlu_config=Path(_text(env, "NLU_CONFIG", str(ROOT / "config.yml")) or ""),
        nlu_data_dir=Path(_text(env, "NLU_DATA_DIR", str(ROOT / "nlu" / "data")) or ""),
        nlu_model_file=Path(model) if (model := _text(env, "NLU_MODEL_PATH")) else None,
        nlu_backend=nlu_backend,
        rasa_url=rasa_url,
        mongodb_url=_text(env, "MONGODB_URL"),
        mongodb_db=_text(env, "MONGODB_DB", "warga") or "warga",
        timezone=_text(env, "WARGA_TIMEZONE", "Asia/Jakarta") or "Asia/Jakarta",
        max_message_chars=_positive(env, "WARGA_MAX_MESSAGE_CHARS", 4000),
        max_photo_bytes=_positive(env, "WARGA_MAX_PHOTO_BYTES", 5 * 1024 * 1024),
        outbox_workers=_int(env, "OUTBOX_WORKERS", 1),
        outbox_poll_interval=_float(env, "OUTBOX_POLL_INTERVAL", 0.2),
        outbox_max_attempts=_int(env, "OUTBOX_MAX_ATTEMPTS", 12),
        outbox_backoff_base=_float(env, "OUTBOX_BACKOFF_BASE", 2.0),
        outbox_backoff_cap=_float(env, "OUTBOX_BACKOFF_CAP", 900.0),
        digest_time=_text(env, "DIGEST_TIME", "07:00") or "07:00",
        log_level=(_text(env, "LOG_LEVEL", "INFO") or "INFO").upper(),
        telegram=telegram,
        whatsapp=whatsapp,
        lapor=lapor,
        sms=sms,
        stt_url=_url(env, "STT_URL"),
        stt_model=_text(env, "STT_MODEL", "whisper-1") or "whisper-1",
        stt_api_key=_text(env, "STT_API_KEY"),
        letters=letters,
        web=web,
    )


def _positive(env: Mapping[str, str], key: str, default: int) -> int:
    value = _int(env, key, default)
    if value < 1:
        raise SettingsError(f"{key} must be at least 1, got {value}")
    return value


def _seconds(env: Mapping[str, str], key: str, default: float) -> float:
    value = _float(env, key, default)
    if value <= 0:
        raise SettingsError(f"{key} must be more than 0 seconds, got {value}")
    return value


def _yes_no(env: Mapping[str, str], key: str) -> bool:
    value = (_text(env, key) or "no").lower()
    if value not in ("yes", "no", "true", "false", "1", "0", "on", "off"):
        raise SettingsError(f"{key} must be yes or no, got {value!r}")
    return value in ("yes", "true", "1", "on")


def _web_settings(env: Mapping[str, str]) -> WebSettings:
    d = WebSettings()
    trust = (_text(env, "WARGA_TRUST_FORWARDED_FOR") or "no").lower()
    if trust not in ("yes", "no", "true", "false", "1", "0"):
        raise SettingsError(f"WARGA_TRUST_FORWARDED_FOR must be yes or no, got {trust!r}")
    return WebSettings(
        session_secret=_secret(env, "WARGA_SESSION_SECRET", 32),
        session_days=_positive(env, "WARGA_SESSION_DAYS", d.session_days),
        staff_session_hours=_positive(env, "WARGA_STAFF_SESSION_HOURS", d.staff_session_hours),
        operator_token=_secret(env, "WARGA_OPERATOR_TOKEN"),
        nlu_parse_token=_secret(env, "NLU_PARSE_TOKEN"),
        map_tile_url=_url(env, "WARGA_MAP_TILE_URL") or d.map_tile_url,
        map_boundaries=Path(boundaries) if (boundaries := _text(env, "WARGA_MAP_BOUNDARIES")) else None,
        public_page=_yes_no(env, "WARGA_PUBLIC_PAGE"),
        messages_per_minute=_positive(env, "WARGA_MESSAGES_PER_MINUTE", d.messages_per_minute),
        ip_messages_per_minute=_positive(env, "WARGA_IP_MESSAGES_PER_MINUTE", d.ip_messages_per_minute),
        streams_per_session=_positive(env, "WARGA_STREAMS_PER_SESSION", d.streams_per_session),
        streams_per_ip=_positive(env, "WARGA_STREAMS_PER_IP", d.streams_per_ip),
        streams_total=_positive(env, "WARGA_STREAMS_TOTAL", d.streams_total),
        max_connections=_positive(env, "WARGA_MAX_CONNECTIONS", d.max_connections),
        connections_per_ip=_positive(env, "WARGA_CONNECTIONS_PER_IP", d.connections_per_ip),
        json_body_bytes=_positive(env, "WARGA_JSON_BODY_BYTES", d.json_body_bytes),
        webhook_body_bytes=_positive(env, "WARGA_WEBHOOK_BODY_BYTES", d.webhook_body_bytes),
        upload_body_bytes=_positive(env, "WARGA_UPLOAD_BODY_BYTES", d.upload_body_bytes),
        keepalive_timeout=_seconds(env, "WARGA_KEEPALIVE_TIMEOUT", d.keepalive_timeout),
        body_timeout=_seconds(env, "WARGA_BODY_TIMEOUT", d.body_timeout),
        enrol_attempts_per_identity=_positive(env, "WARGA_ENROL_ATTEMPTS_PER_IDENTITY", d.enrol_attempts_per_identity),
        enrol_attempts_per_ip=_positive(env, "WARGA_ENROL_ATTEMPTS_PER_IP", d.enrol_attempts_per_ip),
        signin_code_minutes=_positive(env, "WARGA_SIGNIN_CODE_MINUTES", d.signin_code_minutes),
        max_stored_chars=_positive(env, "WARGA_MAX_STORED_CHARS", d.max_stored_chars),
        refusal_delay=_float(env, "WARGA_REFUSAL_DELAY", d.refusal_delay),
        trust_forwarded_for=trust in ("yes", "true", "1"),
    )
