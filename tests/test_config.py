"""Configuration: discovery, environment overrides, secrets kept out of files and output."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.config import Settings, load_settings, masked, read_secret
from screening.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "screening.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings, path = load_settings(environ={})
    assert path is None
    assert settings.bands.high == 50 and settings.limits.max_file_bytes == 5 * 1024 * 1024
    assert settings.network.offline is False


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    local = write(tmp_path, "[bands]\nhigh = 40\n")
    other = tmp_path / "other.toml"
    other.write_text("[bands]\nhigh = 45\n", encoding="utf-8")
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("[bands]\nhigh = 60\n", encoding="utf-8")
    assert load_settings(environ={})[1] == Path("screening.toml")
    assert load_settings(environ={})[0].bands.high == 40
    assert load_settings(environ={"SCREENING_CONFIG": str(other)})[0].bands.high == 45
    assert load_settings(explicit, environ={"SCREENING_CONFIG": str(other)})[0].bands.high == 60
    assert local.exists()


def test_environment_overrides_every_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "[bands]\nhigh = 40\n[rules]\npaths = ['packs']\n")
    settings, _ = load_settings(
        environ={
            "SCREENING_BANDS__HIGH": "55",
            "SCREENING_NETWORK__OFFLINE": "1",
            "SCREENING_DNS__NAMESERVERS": "127.0.0.1, 127.0.0.2",
            "SCREENING_RULES__WEIGHTS": "payment.crypto-salary=0.4,device.keep-awake-tool=0",
            "SCREENING_STORE__PATH": "/tmp/x.sqlite3",
            "SCREENING_SERVER__GREENHOUSE__SECRET": "s3cret",
        }
    )
    assert settings.bands.high == 55
    assert settings.network.offline is True
    assert settings.dns.nameservers == ["127.0.0.1", "127.0.0.2"]
    assert settings.rules.weights == {"payment.crypto-salary": 0.4, "device.keep-awake-tool": 0.0}
    assert settings.rules.paths == [tmp_path / "packs"]  # relative to the file, not the cwd
    assert read_secret(settings.server.vendors["greenhouse"].secret, None) == "s3cret"


def test_unknown_keys_suggest_the_closest(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"unknown setting 'bands.hihg' \(did you mean 'high'\?\)"
    ):
        load_settings(write(tmp_path, "[bands]\nhihg = 40\n"), environ={})
    with pytest.raises(
        ConfigError,
        match=r"SCREENING_NETWRK__OFFLINE: unknown setting 'netwrk' \(did you mean 'network'\?\)",
    ):
        load_settings(environ={"SCREENING_NETWRK__OFFLINE": "1"})


def test_wrong_types_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'limits\.max_file_bytes'"):
        load_settings(write(tmp_path, "[limits]\nmax_file_bytes = 'big'\n"), environ={})
    with pytest.raises(ConfigError, match="expected true or false"):
        load_settings(environ={"SCREENING_NETWORK__OFFLINE": "maybe"})
    with pytest.raises(ConfigError, match="weight of x must be between -1 and 1"):
        load_settings(write(tmp_path, "[rules]\nweights = {x = 3}\n"), environ={})


def test_secrets_are_refused_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[history]\nsecret = 'oops'\n")
    with pytest.raises(ConfigError, match="SCREENING_HISTORY__SECRET"):
        load_settings(path, environ={})


def test_secret_from_file_and_masking(tmp_path: Path) -> None:
    secret = tmp_path / "hist.key"
    secret.write_text("k3y\n", encoding="utf-8")
    path = write(tmp_path, f"[history]\nsecret_file = '{secret}'\n")
    settings, _ = load_settings(path, environ={"SCREENING_SERVER__API_TOKENS": "t1,t2"})
    assert read_secret(settings.history.secret, settings.history.secret_file) == "k3y"
    shown = masked(settings)
    assert shown["server"]["api_tokens"] == "********"
    assert shown["history"]["secret"] == "(not set)"
    assert "t1" not in repr(shown) and "k3y" not in repr(shown)


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[bands\n"), environ={})
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_vendor_tables_are_one_mapping_and_unknown_vendors_are_named(tmp_path: Path) -> None:
    from screening.errors import ConfigError
    from screening.server.options import ServerOptions

    path = tmp_path / "screening.toml"
    path.write_text('[server.lever]\napi_url = "https://lever.example"\n', encoding="utf-8")
    settings, _ = load_settings(path, {"SCREENING_SERVER__ASHBY__WRITEBACK": "false"})
    assert set(settings.server.vendors) == {"lever", "ashby"}
    assert settings.server.vendors["lever"].api_url == "https://lever.example"
    path.write_text("[server.greenhose]\nwriteback = false\n", encoding="utf-8")
    typo, _ = load_settings(path, {})
    with pytest.raises(ConfigError, match=r"\[server.greenhose\].*did you mean 'greenhouse'"):
        ServerOptions.from_settings(typo)


def test_each_analyzer_default_is_written_once_where_the_analyzer_is() -> None:
    from screening.analyze.dns import DnsOptions
    from screening.analyze.ips import IpOptions
    from screening.analyze.language import LanguageOptions
    from screening.pipeline import build_analyzers

    settings = Settings()
    assert settings.dns.options(settings.network) == DnsOptions()
    assert settings.ip.options(settings.lists.choices()) == IpOptions()
    assert settings.language.options() == LanguageOptions()
    built = {a.name: a for a in build_analyzers(settings, offline=True)}
    history, sanctions = built["history"], built["sanctions"]
    assert history.resume_similarity == settings.history.resume_similarity  # type: ignore[attr-defined]
    assert sanctions.name_threshold == settings.sanctions.name_threshold  # type: ignore[attr-defined]


def test_analyzer_options_are_keyword_only() -> None:
    from screening.analyze.dns import DnsOptions

    with pytest.raises(TypeError):
        DnsOptions(("127.0.0.1",), 53)  # type: ignore[misc]
