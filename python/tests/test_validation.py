"""Bad config and bad events raise clear Python exceptions naming the field; nothing is sent."""
import math

import pytest

import uptake


def test_a_bad_config_raises_config_error_naming_the_field(tmp_path):
    with pytest.raises(uptake.ConfigError, match="endpoint") as e:
        uptake.Client("ftp://example.com", "wk", tmp_path / "d")
    assert isinstance(e.value, ValueError)
    with pytest.raises(uptake.ConfigError, match="data_dir"):
        uptake.Client("http://127.0.0.1:9", "wk", "")


@pytest.mark.parametrize("options, error, field", [
    ({"flush_interval_ms": "soon"}, TypeError, "flush_interval_ms"),
    ({"flush_interval_ms": 1.5}, TypeError, "flush_interval_ms"),
    ({"tls_verify": 1}, TypeError, "tls_verify"),
    ({"max_batch_events": -1}, ValueError, "max_batch_events"),
    ({"queue_capacity": 2**60}, ValueError, "queue_capacity"),
    ({"sample_rate": 0}, ValueError, "sample_rate"),
    ({"sample_rate": math.nan}, ValueError, "sample_rate"),
    ({"no_such_option": 1}, TypeError, "no_such_option"),
    ({"app_version": 3}, TypeError, "app_version"),
    ({"default_remote_config": "{}\0"}, ValueError, "default_remote_config"),
    ({"first_action": "export"}, TypeError, "first_action"),
    ({"tips": "not callable"}, TypeError, "tips"),
    ({"surveys": "not callable"}, TypeError, "surveys"),
])
def test_bad_options_raise_naming_the_option(tmp_path, options, error, field):
    with pytest.raises(error, match=field):
        uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d", **options)


def test_an_unusable_data_dir_is_an_os_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(uptake.DataDirError) as e:
        uptake.Client("http://127.0.0.1:9", "wk", blocker / "d", fetch_remote_config=False)
    assert isinstance(e.value, OSError)


@pytest.fixture
def offline(tmp_path):
    client = uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d",
                           fetch_remote_config=False, flush_interval_ms=60_000)
    yield client
    client.shutdown(0.1)


@pytest.mark.parametrize("call, error, field", [
    (lambda c: c.track("export", pages=[1, 2]), TypeError, "'pages'"),
    (lambda c: c.track("export", when=None), TypeError, "'when'"),
    (lambda c: c.track("export", n=2**63), ValueError, "'n'"),
    (lambda c: c.track("export", ratio=math.inf), ValueError, "'ratio'"),
    (lambda c: c.track("export", text="a\0b"), ValueError, "'text'"),
    (lambda c: c.track("export", big="x" * 9000), ValueError, "8192"),
    (lambda c: c.track(""), ValueError, "event name"),
    (lambda c: c.track("$install"), ValueError, "reserved"),
    (lambda c: c.track("x" * 129), ValueError, "event name"),
    (lambda c: c.track(42), TypeError, "event name"),
    (lambda c: c.identify(""), ValueError, "user"),
    (lambda c: c.identify("u", plan={"a": 1}), TypeError, "'plan'"),
    (lambda c: c.group("a" * 129), ValueError, "account"),
    (lambda c: c.group("acme", seats=object()), TypeError, "'seats'"),
])
def test_bad_events_raise_naming_the_field_and_record_nothing(offline, call, error, field):
    with pytest.raises(error, match=field):
        call(offline)
    s = offline.stats()
    assert s.queued == 0 and s.dropped_invalid == 0  # refused before the SDK saw anything


def test_props_take_python_numbers_and_bools(offline):
    import fractions
    offline.track("export", pages=12, ratio=0.5, ok=True, frac=fractions.Fraction(1, 4))
    assert offline.stats().dropped_invalid == 0


def test_tips_calls_need_the_tips_plugin(offline):
    with pytest.raises(RuntimeError, match="tips"):
        offline.tip_clicked("t")


def test_timeouts_are_seconds(offline):
    with pytest.raises(ValueError):
        offline.flush(-1)
    with pytest.raises(TypeError):
        offline.flush("1")
    assert offline.flush(0.05) in (True, False)
    assert uptake.client._timeout_ms(math.inf, "flush", 0) == uptake.client._MAX_TIMEOUT_MS


def test_errors_the_sdk_reports_are_uptake_errors_with_their_status(tmp_path):
    with pytest.raises(uptake.Error) as e:
        uptake.Client("ftp://example.com", "wk", tmp_path / "d")
    assert type(e.value) is uptake.ConfigError and e.value.status == 2
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(uptake.Error) as e:
        uptake.Client("http://127.0.0.1:9", "wk", blocker / "d", fetch_remote_config=False)
    assert type(e.value) is uptake.DataDirError and e.value.status == 3
    for cls, base in ((uptake.ConfigError, ValueError), (uptake.DataDirError, OSError),
                      (uptake.InvalidArgumentError, ValueError),
                      (uptake.TimeoutError, TimeoutError), (uptake.InternalError, Exception),
                      (uptake.LibraryNotFoundError, ImportError)):
        assert issubclass(cls, uptake.Error) and issubclass(cls, base), cls


def test_a_missing_ca_file_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(uptake.ConfigError, match="tls_ca_file"):
        uptake.Client("https://127.0.0.1:9", "wk", tmp_path / "d",
                      tls_ca_file=tmp_path / "no-such-ca.pem", fetch_remote_config=False)


@pytest.mark.parametrize("call, error, match", [
    (lambda c: c.track("export", ["pages"]), TypeError, "mapping"),
    (lambda c: c.track("export", {"pages": 1}, pages=2), TypeError, "'pages' given both"),
    (lambda c: c.identify("u", {1: "x"}), TypeError, "key"),
    (lambda c: c.group("acme", {"seats": [1]}), TypeError, "'seats'"),
    (lambda c: c.group("acme", {"": 1}), ValueError, "empty key"),
])
def test_props_given_as_a_mapping_are_checked_the_same_way(offline, call, error, match):
    with pytest.raises(error, match=match):
        call(offline)
    assert offline.stats().queued == 0


def test_default_remote_config_takes_json_text_or_a_dict(tmp_path):
    with pytest.raises(TypeError, match="default_remote_config"):
        uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d",
                      default_remote_config=["not", "an", "object"])
    for bad in ("{not json", "[1]", {"n": float("nan")}):
        with pytest.raises(ValueError, match="default_remote_config"):
            uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d",
                          default_remote_config=bad)
    for good in ({"key_actions": ["export"]}, '{"key_actions": ["export"]}'):
        uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d", fetch_remote_config=False,
                      default_remote_config=good).shutdown(0.1)


def test_survey_calls_need_the_surveys_plugin(offline):
    with pytest.raises(RuntimeError, match="surveys"):
        offline.answer_survey("nps", 9)


@pytest.fixture
def offline_surveys(tmp_path):
    client = uptake.Client("http://127.0.0.1:9", "wk", tmp_path / "d", surveys=lambda s: None,
                           fetch_remote_config=False, flush_interval_ms=60_000,
                           default_remote_config={"surveys": [
                               {"id": "nps", "kind": "nps", "question": "Recommend us?"}]})
    yield client
    client.shutdown(0.1)


@pytest.mark.parametrize("answer, error", [
    (True, TypeError), (9.0, TypeError), (None, TypeError), (b"dark", TypeError),
    (2**63, ValueError), ("a\0b", ValueError),
])
def test_survey_answers_are_type_checked_before_the_plugin_sees_them(offline_surveys, answer,
                                                                     error):
    with pytest.raises(error, match="answer"):
        offline_surveys.answer_survey("nps", answer)
    with pytest.raises(TypeError, match="survey_id"):
        offline_surveys.answer_survey(7, 9)


def test_survey_refusals_are_survey_errors_naming_the_reason(offline_surveys):
    with pytest.raises(uptake.UnknownSurveyError) as e:
        offline_surveys.answer_survey("no-such-survey", 9)
    assert isinstance(e.value, LookupError) and e.value.status == 3 and str(e.value)
    with pytest.raises(uptake.ScoreOutOfRangeError, match="0..10"):
        offline_surveys.answer_survey("nps", 11)
    with pytest.raises(uptake.WrongSurveyKindError):
        offline_surveys.answer_survey("nps", "dark")
    explanation = offline_surveys.explain_survey("nps")
    assert isinstance(explanation.would_show, bool) and explanation.reason
    offline_surveys.shutdown(0.1)
    with pytest.raises(uptake.SurveyNotRunningError) as e:
        offline_surveys.answer_survey("nps", 9)
    assert isinstance(e.value, RuntimeError) and isinstance(e.value, uptake.SurveyError)
