"""One typed settings object, read from a TOML file and ``LDL_*`` environment variables.

Precedence, highest first: environment variables, the TOML file, built-in defaults.  The
file is ``--config PATH``, else ``$LDL_CONFIG``, else ``./ldl.toml`` when present.  Nested
keys map to variables with ``__`` (``[imap] host`` is ``LDL_IMAP__HOST``).

Secrets (passwords, OAuth tokens) are accepted only from the environment or from a
``*_file`` path, never from the TOML file, which tends to end up in backups and tickets.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

Security = Literal["tls", "starttls", "none"]

#: Keys that hold secrets: refused in the TOML file, masked by ``ldl config show``.
SECRET_KEYS: frozenset[str] = frozenset(
    {"password", "oauth2_refresh_token", "oauth2_client_secret", "oauth2_access_token"}
)

_config_file: ContextVar[Path | None] = ContextVar("ldl_config_file", default=None)


class ConfigError(ValueError):
    """A configuration value is refused; the message names the key, the value and the rule."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ImapSettings(_Section):
    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    user: str | None = None
    password: SecretStr | None = None
    password_file: Path | None = None
    security: Security = "tls"
    folder: str = "INBOX"
    auth: Literal["password", "xoauth2"] = "password"
    oauth2_token_command: str | None = None  # prints an access token on stdout
    oauth2_token_url: str = "https://oauth2.googleapis.com/token"
    oauth2_client_id: str | None = None
    oauth2_client_secret: SecretStr | None = None
    oauth2_client_secret_file: Path | None = None
    oauth2_refresh_token: SecretStr | None = None
    oauth2_refresh_token_file: Path | None = None
    batch_size: int = Field(default=100, ge=1, le=1000)
    max_message_bytes: int = Field(default=40 * 1024 * 1024, ge=1024)
    timeout_seconds: float = Field(default=60.0, gt=0)
    idle: bool = True
    poll_minutes: float = Field(default=5.0, gt=0)
    # optional after-actions, once a message is safely stored
    after_label: str | None = None  # Gmail label to add (X-GM-LABELS)
    after_move_to: str | None = None  # folder to move the message to
    after_flag: str | None = None  # e.g. "\\Seen"

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return 993 if self.security == "tls" else 143


class SmtpSettings(_Section):
    host: str = "smtp.gmail.com"
    port: int | None = Field(default=None, ge=1, le=65535)
    user: str | None = None
    password: SecretStr | None = None
    password_file: Path | None = None
    security: Security = "tls"
    sender: str = "ldllongbien@gmail.com"
    sender_name: str = "LĐLĐ quận Long Biên"
    oauth2_file: Path | None = None  # yagmail's OAuth2 JSON (Gmail)
    timeout_seconds: float = Field(default=60.0, gt=0)

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {"tls": 465, "starttls": 587, "none": 25}[self.security]


class OutboxSettings(_Section):
    transport: Literal["smtp", "file"] = "file"
    dir: Path | None = None  # default: <data_dir>/outbox
    max_per_run: int = Field(default=400, ge=1)
    max_attempts: int = Field(default=5, ge=1)
    retry_base_seconds: int = Field(default=300, ge=1)


class DigestSettings(_Section):
    recipients: list[str] = Field(default_factory=list)
    schedule: str = "mon 07:30"  # day-of-week HH:MM, local time


class ReceiptsSettings(_Section):
    enabled: bool = True
    # only messages received this recently get a receipt: a backfill of old mail must
    # not answer years of messages
    max_age_days: float = Field(default=3.0, gt=0)


class TemplatesSettings(_Section):
    dir: Path | None = None  # a folder of edited copies of config/templates/*.j2


class CalendarSettings(_Section):
    file: Path | None = None  # default: the packaged preset (2021 plan, recurring reports)
    # recurring obligations exist for every year from this one on; default: the file's own
    first_year: int | None = None
    # deprecated: read as first_year = min(years) (recurring obligations have no last year)
    years: list[int] | None = None

    @property
    def effective_first_year(self) -> int | None:
        """``first_year``, else ``min(years)`` of the deprecated setting, else the file's."""
        if self.first_year is not None:
            return self.first_year
        return min(self.years) if self.years else None


class RemindersSettings(_Section):
    policy_file: Path | None = None  # default: the packaged policy
    enabled: bool = True


class FederationSettings(_Section):
    name: str = "Liên đoàn Lao động quận Long Biên"
    address: str = "ldllongbien@gmail.com"
    other_addresses: list[str] = Field(default_factory=list)
    # bodies above the federation: their mail is never a union's report
    higher_bodies: list[str] = Field(default_factory=lambda: ["hanoi.gov.vn", "congdoanvn.org.vn"])


class IngestSettings(_Section):
    # below these confidences a message goes to triage instead of being credited
    obligation_threshold: float = Field(default=0.6, ge=0, le=1)
    union_threshold: float = Field(default=0.8, ge=0, le=1)
    ocr: bool = True
    # processes that parse and apply the rules: 0 = one per CPU (at most 4) for big runs
    workers: int = Field(default=0, ge=0, le=32)
    max_attachment_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    seconds_per_file: float = Field(default=30.0, gt=0)
    # all the files of one message together; past it the rest are recorded as not read
    seconds_per_message: float = Field(default=90.0, gt=0)


class SqlSettings(_Section):
    # `ldl sql` runs as this role on PostgreSQL (USAGE on the schema, SELECT on the v_*
    # views, nothing else); `ldl init` creates it.  Operators' tools may log in as it.
    reader_role: str = Field(default="ldl_reader", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    # with the role's password, `ldl sql` always logs in as it (never as ldl's own login)
    password: SecretStr | None = None
    password_file: Path | None = None


class Settings(BaseSettings):
    """Everything ldl-inbox can be told.  Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="LDL_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    database_url: str | None = None  # default: sqlite under data_dir
    database_url_file: Path | None = None  # the URL with its password, kept as a secret
    data_dir: Path = Path("ldl-data")
    timezone: str = "Asia/Ho_Chi_Minh"
    federation: FederationSettings = Field(default_factory=FederationSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    imap: ImapSettings = Field(default_factory=ImapSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    receipts: ReceiptsSettings = Field(default_factory=ReceiptsSettings)
    reminders: RemindersSettings = Field(default_factory=RemindersSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    templates: TemplatesSettings = Field(default_factory=TemplatesSettings)
    sql: SqlSettings = Field(default_factory=SqlSettings)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as Asia/Ho_Chi_Minh is required") from None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = _config_file.get()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    # -- derived values -------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.database_url_file is not None:
            url = read_secret(None, self.database_url_file, "database_url")
            if url:
                return url
        return f"sqlite:///{(self.data_dir / 'ldl.sqlite3').resolve()}"

    @property
    def templates_dir(self) -> Path | None:
        """Staff's edited templates, if any: they win over the packaged ones."""
        return self.templates.dir

    @property
    def outbox_dir(self) -> Path:
        return self.outbox.dir or self.data_dir / "outbox"

    @property
    def own_addresses(self) -> list[str]:
        return [a.lower() for a in [self.federation.address, *self.federation.other_addresses]]


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: the only hosts reached without TLS."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def find_config_file(explicit: str | os.PathLike[str] | None) -> Path | None:
    """``--config``, else ``$LDL_CONFIG``, else ``./ldl.toml`` when it exists."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("LDL_CONFIG")
    if env:
        return Path(env)
    local = Path("ldl.toml")
    return local if local.is_file() else None


def _secrets_in(data: dict[str, Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            found.extend(_secrets_in(value, f"{dotted}."))
        elif key in SECRET_KEYS:
            found.append(dotted)
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    secrets = _secrets_in(data)
    if secrets:
        key = secrets[0]
        env = "LDL_" + key.upper().replace(".", "__")
        raise ConfigError(
            f"{key} must not be written in the config file {path}; "
            f"set {env} or {key}_file instead"
        )
    return data


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error.get("loc", ())) or "(settings)"
    value = error.get("input")
    if error.get("type") == "extra_forbidden":
        return f"{key}: unknown setting"
    shown = "***" if key.split(".")[-1] in SECRET_KEYS else repr(value)
    return f"{key} = {shown}: {error.get('msg', 'invalid value')}"


def load_settings(config: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Read the settings; a bad value raises :class:`ConfigError` naming key, value and rule."""
    path = find_config_file(config)
    if path is not None:
        _read_toml(path)  # refuses unreadable files and secrets before pydantic sees them
    token = _config_file.set(path)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())  # type: ignore[arg-type]
        where = f" (config file {path})" if path else ""
        raise ConfigError(f"invalid configuration{where}: {problems}") from None
    finally:
        _config_file.reset(token)


def read_secret(value: SecretStr | None, file: Path | None, name: str) -> str | None:
    """A secret from its environment value, else from its ``*_file`` (trailing newline cut)."""
    if value is not None:
        return value.get_secret_value()
    if file is not None:
        try:
            return file.read_text("utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_file {file}: cannot read it ({exc.strerror})") from None
    return None


def masked_dump(settings: Settings) -> dict[str, Any]:
    """The settings as plain data with every secret replaced by ``***``."""

    def plain(obj: Any, key: str = "") -> Any:
        if isinstance(obj, dict):
            return {k: plain(v, k) for k, v in obj.items()}
        if isinstance(obj, list):
            return [plain(v) for v in obj]
        if obj is not None and (key in SECRET_KEYS or isinstance(obj, SecretStr)):
            return "***"
        if isinstance(obj, Path | date):
            return str(obj)
        return obj

    dumped: dict[str, Any] = plain(settings.model_dump(mode="python"))
    if dumped.get("database_url"):
        dumped["database_url"] = _hide_url_password(dumped["database_url"])
    return dumped


def _hide_url_password(url: str) -> str:
    """``postgresql://ldl:s3cret@db/ldl`` -> ``postgresql://ldl:***@db/ldl``."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"
