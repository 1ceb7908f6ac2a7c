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


def test_one_rasa_server_and_memory_by_default():
    settings = Settings.from_env({})
    assert settings.rasa_servers == 1 and settings.rasa_server_ports == (5005,)
    assert settings.lock_store_url is None and settings.redis_url is None
    assert (settings.actions_url, settings.voice_url) == ("http://127.0.0.1:5055", "http://127.0.0.1:8090")


def test_several_rasa_servers_sit_behind_the_balancer_on_rasa_port():
    settings = Settings.from_env({"RASA_SERVERS": "3", "RASA_PORT": "6000",
                                  "LOCK_STORE_URL": "redis://:pw@10.0.0.5:6379/1"})
    assert settings.rasa_server_ports == (6001, 6002, 6003)
    assert settings.rasa_url == "http://127.0.0.1:6000"  # what every service calls: the balancer
    assert settings.redis_url == "redis://:pw@10.0.0.5:6379/1"  # the lock store's Redis, unless REDIS_URL


def test_several_rasa_servers_need_a_shared_lock_store():
    with pytest.raises(SettingsError, match="LOCK_STORE_URL"):
        Settings.from_env({"RASA_SERVERS": "2"})
    with pytest.raises(SettingsError, match="RASA_SERVERS"):
        Settings.from_env({"RASA_SERVERS": "0"})
    with pytest.raises(SettingsError, match="65536"):
        Settings.from_env({"RASA_SERVERS": "4", "RASA_PORT": "65533", "LOCK_STORE_URL": "redis://r:6379/1"})


def test_redis_urls_are_checked_without_echoing_their_password():
    with pytest.raises(SettingsError, match="LOCK_STORE_URL") as refused:
        Settings.from_env({"LOCK_STORE_URL": "http://:hunter2@redis:6379"})
    assert "hunter2" not in str(refused.value)
    settings = Settings.from_env({"LOCK_STORE_URL": "redis://r:6379/1", "REDIS_URL": "rediss://cache:6380/2"})
    assert settings.redis_url == "rediss://cache:6380/2"


def test_services_on_other_machines_are_reached_by_url():
    settings = Settings.from_env({"RASA_URL": "http://balancer:5005/", "ACTIONS_URL": "http://actions:5055",
                                  "WEB_URL": "http://web:8080", "VOICE_URL": "http://voice:8090"})
    assert (settings.rasa_url, settings.actions_url, settings.web_url, settings.voice_url) == (
        "http://balancer:5005", "http://actions:5055", "http://web:8080", "http://voice:8090")
    with pytest.raises(SettingsError, match="ACTIONS_URL"):
        Settings.from_env({"ACTIONS_URL": "actions:5055"})


def test_rasa_tuning_is_on_unless_switched_off():
    assert Settings.from_env({}).rasa_tuning is True
    assert Settings.from_env({"RASA_TUNING": "off"}).rasa_tuning is False
    with pytest.raises(SettingsError, match="RASA_TUNING must be on or off"):
        Settings.from_env({"RASA_TUNING": "fast"})


def test_the_desk_delivery_timeout_sets_how_long_a_crashed_desk_holds_a_message():
    from bot.desk.delivery import LEASE_MARGIN_S, Deliverer

    assert Settings.from_env({}).delivery_timeout_s == 60.0
    settings = Settings.from_env({"DESK_DELIVERY_TIMEOUT_SECONDS": "15"})
    assert settings.delivery_timeout_s == 15.0
    deliverer = Deliverer(None, "http://127.0.0.1:5005", None, request_timeout_s=settings.delivery_timeout_s)
    assert deliverer.lease_s == 15.0 + LEASE_MARGIN_S
    with pytest.raises(SettingsError, match="DESK_DELIVERY_TIMEOUT_SECONDS"):
        Settings.from_env({"DESK_DELIVERY_TIMEOUT_SECONDS": "0"})


def test_the_desk_reads_the_voice_line_every_ten_seconds_unless_set():
    assert Settings.from_env({}).desk_line_refresh_s == 10.0
    assert Settings.from_env({"DESK_LINE_REFRESH_SECONDS": "2"}).desk_line_refresh_s == 2.0
