from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import ConfigError, load_settings, masked_dump, read_secret


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in [k for k in os.environ if k.startswith("LDL_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_defaults() -> None:
    s = load_settings()
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.imap.security == "tls" and s.imap.effective_port == 993
    assert s.imap.folder == "INBOX"
    assert s.outbox.transport == "file"
    assert s.effective_database_url.startswith("sqlite:///")
    assert s.effective_database_url.endswith("ldl-data/ldl.sqlite3")


def test_file_then_env_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = write(tmp_path / "a.toml", '[imap]\nhost = "imap.example.org"\nport = 1993\n'
                                     'folder = "Reports"\n')
    s = load_settings(cfg)
    assert (s.imap.host, s.imap.port, s.imap.folder) == ("imap.example.org", 1993, "Reports")
    monkeypatch.setenv("LDL_IMAP__PORT", "10143")
    monkeypatch.setenv("LDL_DATABASE_URL", "sqlite:////tmp/x.db")
    monkeypatch.setenv("LDL_DATA_DIR", "/srv/ldl")
    s = load_settings(cfg)
    assert s.imap.port == 10143  # env beats file
    assert s.imap.host == "imap.example.org"  # file beats default
    assert s.database_url == "sqlite:////tmp/x.db"
    assert s.data_dir == Path("/srv/ldl")


def test_config_file_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ldl.toml", 'timezone = "Asia/Bangkok"\n')
    assert load_settings().timezone == "Asia/Bangkok"  # ./ldl.toml
    other = write(tmp_path / "other.toml", 'timezone = "Europe/Paris"\n')
    monkeypatch.setenv("LDL_CONFIG", str(other))
    assert load_settings().timezone == "Europe/Paris"  # $LDL_CONFIG beats ./ldl.toml
    explicit = write(tmp_path / "explicit.toml", 'timezone = "UTC"\n')
    assert load_settings(explicit).timezone == "UTC"  # --config beats $LDL_CONFIG


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[imap]\nsecurity = "ssl"\n', ["imap.security", "'ssl'", "'tls', 'starttls' or 'none'"]),
        ('[imap]\nport = 70000\n', ["imap.port", "70000", "less than or equal to 65535"]),
        ('timezone = "Mars/Olympus"\n', ["timezone", "Mars/Olympus", "IANA time zone"]),
        ('[outbox]\ntransport = "pigeon"\n', ["outbox.transport", "'smtp' or 'file'"]),
        ('[imap]\nhots = "x"\n', ["imap.hots", "unknown setting"]),
    ],
)
def test_bad_values_name_key_value_and_rule(tmp_path: Path, toml: str,
                                            expected: list[str]) -> None:
    cfg = write(tmp_path / "bad.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    for part in expected:
        assert part in str(err.value)


def test_bad_env_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDL_SMTP__SECURITY", "maybe")
    with pytest.raises(ConfigError, match=r"smtp.security = 'maybe'"):
        load_settings()


def test_secret_refused_in_file(tmp_path: Path) -> None:
    cfg = write(tmp_path / "s.toml", '[imap]\nuser = "u"\npassword = "hunter2"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    message = str(err.value)
    assert "LDL_IMAP__PASSWORD" in message and "password_file" in message
    assert "hunter2" not in message


def test_secrets_from_env_and_file_are_masked(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDL_IMAP__PASSWORD", "hunter2")
    secret_file = write(tmp_path / "smtp.pw", "s3cret\n")
    monkeypatch.setenv("LDL_SMTP__PASSWORD_FILE", str(secret_file))
    s = load_settings()
    assert read_secret(s.imap.password, s.imap.password_file, "imap.password") == "hunter2"
    assert read_secret(s.smtp.password, s.smtp.password_file, "smtp.password") == "s3cret"
    dumped = repr(masked_dump(s))
    assert "hunter2" not in dumped and "s3cret" not in dumped
    assert masked_dump(s)["imap"]["password"] == "***"


def test_missing_secret_file_is_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        read_secret(None, tmp_path / "nope", "imap.password")


def test_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path / "broken.toml", "[imap\n"))


def test_database_url_from_a_file_and_masked(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    secret = write(tmp_path / "db", "postgresql+psycopg://ldl:s3cret@db/ldl\n")
    monkeypatch.setenv("LDL_DATABASE_URL_FILE", str(secret))
    s = load_settings()
    assert s.effective_database_url == "postgresql+psycopg://ldl:s3cret@db/ldl"
    monkeypatch.setenv("LDL_DATABASE_URL", "postgresql://ldl:pa55word@db/ldl")
    shown = masked_dump(load_settings())
    assert shown["database_url"] == "postgresql://ldl:***@db/ldl"
    assert "s3cret" not in repr(shown) and "pa55word" not in repr(shown)


def test_calendar_first_year_and_deprecated_years(tmp_path: Path) -> None:
    from ldl.app import App

    assert load_settings().calendar.effective_first_year is None  # the file's own: 2020
    assert App(load_settings()).calendar.first_year == 2020
    old = load_settings(write(tmp_path / "old.toml", "[calendar]\nyears = [2022, 2021]\n"))
    assert old.calendar.effective_first_year == 2021  # the old list, read as a first year
    cal = App(old).calendar
    assert cal.first_year == 2021 and cal.spec("report-2027-y") is not None
    new = load_settings(write(tmp_path / "new.toml",
                              "[calendar]\nfirst_year = 2023\nyears = [2021]\n"))
    assert new.calendar.effective_first_year == 2023  # first_year wins
    assert App(new).calendar.spec("report-2022-y") is None
