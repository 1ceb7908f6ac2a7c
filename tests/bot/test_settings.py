import pytest

from bot.settings import DEFAULT_TRACKER_STORE_URL, Settings, SettingsError


def test_defaults():
    settings = Settings.from_env({})
    assert (settings.rasa_port, settings.actions_port, settings.web_port) == (5005, 5055, 8080)
    assert settings.rasa_token is None
    assert settings.tracker_store_url == DEFAULT_TRACKER_STORE_URL
    assert settings.web_url == "http://127.0.0.1:8080"


def test_ports_and_token_from_environment():
    settings = Settings.from_env({"RASA_PORT": "6000", "WEB_PORT": "9000", "RASA_TOKEN": "s3cret"})
    assert settings.rasa_url == "http://127.0.0.1:6000"
    assert settings.web_port == 9000
    assert settings.rasa_token == "s3cret"


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_bad_port_is_a_clear_error(value):
    with pytest.raises(SettingsError, match="WEB_PORT"):
        Settings.from_env({"WEB_PORT": value})
