"""Settings: groups by concern, tsunagu.toml flat or in tables, unknown names refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.errors import InvalidInput
from registry.settings import (
    GROUPS,
    NON_SETTING_VARIABLES,
    Settings,
    check_environment,
    group_of,
    load_settings,
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own (tsunagu.toml is read from there), no TSUNAGU_* set."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.upper().startswith("TSUNAGU_"):
            monkeypatch.delenv(name)
    return tmp_path


def test_every_setting_belongs_to_exactly_one_group() -> None:
    grouped = [name for model in GROUPS.values() for name in model.model_fields]
    assert len(grouped) == len(set(grouped))
    assert set(grouped) == set(Settings.model_fields), "declare new settings in their group"
    assert group_of("connect_timeout_seconds") == "proxy"


def test_toml_takes_flat_keys_and_tables_and_the_environment_wins(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "tsunagu.toml").write_text(
        'notice_days = 90\n[proxy]\nconnect_timeout_seconds = 2.5\n[logs]\nlog_format = "json"\n'
        "[rate_limits]\nip_per_minute = 7\n"
    )
    monkeypatch.setenv("TSUNAGU_IP_PER_MINUTE", "9")
    settings = load_settings()
    assert settings.notice_days == 90
    assert settings.connect_timeout_seconds == 2.5
    assert settings.log_format == "json"
    assert settings.ip_per_minute == 9


@pytest.mark.parametrize(
    ("toml", "named", "hint"),
    [
        ("conect_timeout_seconds = 1\n", "conect_timeout_seconds", "did you mean connect_timeout"),
        ("[proxy]\nnotice_days = 1\n", "[proxy] notice_days", "did you mean [registry] notice_"),
        ("[proxi]\nconnect_timeout_seconds = 1\n", "proxi", ""),
        ("colour = 1\n", "colour", ""),
    ],
)
def test_an_unknown_toml_key_is_refused_naming_it(
    workdir: Path, toml: str, named: str, hint: str
) -> None:
    (workdir / "tsunagu.toml").write_text(toml)
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    assert caught.value.code == "unknown-setting"
    assert f"tsunagu.toml: {named}" in caught.value.message
    assert hint in caught.value.message
    if not hint:
        assert "did you mean" not in caught.value.message


def test_a_key_set_flat_and_in_its_table_is_refused(workdir: Path) -> None:
    (workdir / "tsunagu.toml").write_text("notice_days = 1\n[registry]\nnotice_days = 2\n")
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    assert caught.value.code == "invalid-setting"
    assert "notice_days" in caught.value.message and "twice" in caught.value.message


def test_unreadable_toml_is_invalid_not_ignored(workdir: Path) -> None:
    (workdir / "tsunagu.toml").write_text("notice_days = = 1\n")
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    assert caught.value.code == "invalid-setting"


def test_an_unknown_variable_is_refused_with_the_nearest_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_environment({"TSUNAGU_REDIS_URL": "x", "TSUNAGU_REDIS_PREFX": "a"})
    assert caught.value.code == "unknown-setting"
    assert caught.value.message == (
        "There is no setting TSUNAGU_REDIS_PREFX (did you mean TSUNAGU_REDIS_PREFIX?)"
    )
    assert "ではありませんか" in caught.value.message_in("ja")


def test_tool_variables_and_other_prefixes_are_not_settings_and_pass() -> None:
    check_environment({name: "1" for name in NON_SETTING_VARIABLES})
    check_environment({"TSUNAGUX": "1", "PATH": "/bin", "TSUNAGU_NOTICE_DAYS": "5"})
    with pytest.raises(InvalidInput):
        check_environment({"TSUNAGU_WHATEVER": "1"})


def test_redis_keys_live_under_the_prefix() -> None:
    assert Settings().redis_key("rl") == "tsunagu:rl"
    assert Settings(redis_prefix="ministry-a").redis_key("generation") == "ministry-a:generation"
    with pytest.raises(ValueError, match="redis_prefix"):
        Settings(redis_prefix="has space")


def test_log_level_and_format_accept_any_case_and_refuse_others() -> None:
    assert Settings(log_level="WARNING").log_level == "warning"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="log_format"):
        Settings(log_format="xml")  # type: ignore[arg-type]


def test_the_operator_guide_lists_every_setting_and_its_table() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "operators.md").read_text("utf-8")
    missing = [n for n in Settings.model_fields if f"`TSUNAGU_{n.upper()}`" not in guide]
    assert not missing, missing
    for group, model in GROUPS.items():
        keys = ", ".join(f"`{name}`" for name in model.model_fields)
        assert f"| `[{group}]` | {keys} |" in guide, group
