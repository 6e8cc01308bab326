"""The Python client against a real uptake-collector on loopback."""
import shutil
import threading
import time

import pytest

import uptake


def eventually(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_every_tracked_event_is_stored_exactly_once(collector, make_client):
    c = make_client(collector.endpoint)
    for i in range(300):
        c.track("export_pdf", i=i, format="a4")
    assert c.flush(10)
    stored = collector.tracked("export_pdf")
    assert sorted(e["props"]["i"] for e in stored) == list(range(300))
    assert len({e["id"] for e in stored}) == 300
    s = c.stats()
    assert s.sent >= 300 and s.queued == 0 and s.spooled_events == 0 and s.dropped == 0


def test_a_resent_spool_is_deduplicated(collector, make_client, tmp_path):
    data = tmp_path / "data"
    collector.stop()  # an outage: the events wait in the spool
    c = make_client(collector.endpoint, data)
    for i in range(50):
        c.track("offline_feature", i=i)
    assert not c.shutdown(0.5)
    assert c.stats().spooled_events >= 50
    spool_copy = tmp_path / "spool-copy"
    shutil.copytree(data / "spool", spool_copy)

    collector.start()  # same port
    c2 = make_client(collector.endpoint, data)
    assert eventually(lambda: c2.stats().spooled_events == 0)
    assert c2.shutdown(2)
    assert len(collector.tracked("offline_feature")) == 50

    # The same batches again (as if the app died after the collector's 200, before the
    # spool was cleared): same event ids, so the collector keeps one of each.
    shutil.rmtree(data / "spool")
    shutil.copytree(spool_copy, data / "spool")
    c3 = make_client(collector.endpoint, data)
    assert eventually(lambda: c3.stats().sent >= 50)  # it did resend them
    assert c3.stats().spooled_events == 0
    assert len(collector.tracked("offline_feature")) == 50


def test_opt_out_sends_nothing_and_purges_the_queue(collector, make_client, tmp_path):
    data = tmp_path / "data"
    c = make_client(collector.endpoint, data, flush_interval_ms=60_000)
    for i in range(20):
        c.track("private_feature", i=i)
    c.set_opt_out(True)  # recording stops at once; the SDK's thread purges what is queued
    assert eventually(lambda: c.stats().queued == 0 and c.stats().spooled_events == 0)
    c.track("private_feature", i=99)
    assert c.flush(2)
    assert c.shutdown(2)
    # Persisted: the next run stays quiet too.
    c2 = make_client(collector.endpoint, data)
    c2.track("private_feature", i=100)
    assert c2.flush(2)
    assert c2.stats().sent == 0
    assert collector.events() == []
    # Opting back in records again.
    c2.set_opt_out(False)
    c2.track("public_feature")
    assert c2.flush(10)
    assert [e["name"] for e in collector.tracked("public_feature")] == ["public_feature"]
    assert collector.tracked("private_feature") == []


def test_flush_returns_false_within_its_timeout_when_the_collector_is_down(collector,
                                                                          make_client):
    c = make_client(collector.endpoint)
    c.track("before")
    assert c.flush(10)
    collector.stop()
    c.track("during_the_outage")
    started = time.monotonic()
    assert c.flush(1.0) is False
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.6, elapsed
    s = c.stats()
    assert s.queued + s.spooled_events >= 1
    assert s.retries >= 1


def test_bad_props_raise_and_nothing_of_them_is_sent(collector, make_client):
    c = make_client(collector.endpoint)
    for bad in (lambda: c.track("bad_event", pages=[1]),
                lambda: c.track("bad_event", n=2**64),
                lambda: c.group("bad-account", seats={"n": 1})):
        try:
            bad()
        except (TypeError, ValueError) as e:
            assert "pages" in str(e) or "'n'" in str(e) or "'seats'" in str(e), e
        else:
            raise AssertionError("no exception")
    c.track("good_event", pages=1)
    assert c.flush(10)
    names = [e.get("name") for e in collector.events()]
    assert "good_event" in names and "bad_event" not in names
    assert not [e for e in collector.events() if e.get("account") == "bad-account"]
    assert c.stats().dropped_invalid == 0


def test_props_as_a_mapping_arrive_as_given(collector, make_client):
    c = make_client(collector.endpoint)
    c.track("mapped", {"page-count": 3, "name": "report.pdf", "ratio": 0.25}, format="a4")
    c.identify("user-9", {"e-mail domain": "example.com"})
    assert c.flush(10)
    (event,) = collector.tracked("mapped")
    assert event["props"] == {"page-count": 3, "name": "report.pdf", "ratio": 0.25,
                              "format": "a4"}
    (identify,) = [e for e in collector.events() if e["type"] == "identify"]
    assert identify["user"] == "user-9" and identify["props"] == {"e-mail domain": "example.com"}
    assert "user" not in event and event["anon"] == identify["anon"]  # tracked before it


def test_https_with_the_collectors_certificate_as_tls_ca_file(tls_collector, make_client,
                                                              tmp_path):
    assert tls_collector.endpoint.startswith("https://")
    trusting = make_client(tls_collector.endpoint, tmp_path / "trusting",
                           tls_ca_file=tls_collector.tls.cert)
    trusting.track("over_tls")
    assert trusting.flush(10)
    assert len(tls_collector.tracked("over_tls")) == 1

    # The system's trust store does not know a self-signed certificate: nothing is sent,
    # the event waits in the spool.
    doubting = make_client(tls_collector.endpoint, tmp_path / "doubting")
    doubting.track("unverified")
    assert doubting.flush(1) is False
    assert doubting.stats().sent == 0
    assert tls_collector.tracked("unverified") == []


def test_group_arrives_with_its_account_and_traits(collector, make_client):
    c = make_client(collector.endpoint)
    c.identify("user-7", role="admin")
    c.group("acme-corp", plan="enterprise", seats=40, pilot=True)
    c.track("after_group")
    assert c.flush(10)
    events = collector.events()
    (group,) = [e for e in events if e["type"] == "group"]
    assert group["account"] == "acme-corp"
    assert group["user"] == "user-7"
    assert group["props"] == {"plan": "enterprise", "seats": 40, "pilot": True}
    (identify,) = [e for e in events if e["type"] == "identify"]
    assert identify["props"] == {"role": "admin"}


TIPS_CONFIG = {
    "tips": [{"id": "tip-py-export", "feature": "py_export", "title": "Export",
              "body": "Try exporting your work.", "when": {"after_event": "py_feature"}}],
    "limits": {"max_tips_per_session": 1},
}


def test_the_tips_callback_runs_on_the_sdk_thread_with_the_tip(collector, make_client):
    collector.put_config(TIPS_CONFIG)
    shown = []
    arrived = threading.Event()

    def present(tip):
        shown.append((threading.get_ident(), tip))
        arrived.set()

    c = make_client(collector.endpoint, tips=present, default_remote_config=TIPS_CONFIG,
                    first_action=["py_feature"])
    c.track("py_feature")
    assert arrived.wait(10)
    thread, tip = shown[0]
    assert thread != threading.get_ident()  # the SDK's background thread
    assert tip == uptake.Tip("tip-py-export", "py_export", "Export", "Try exporting your work.")
    c.tip_clicked(tip.id)
    assert c.flush(10)
    assert len(shown) == 1  # one per session
    assert [e["props"]["tip"] for e in collector.tracked("$tip_shown")] == ["tip-py-export"]
    assert [e["props"]["tip"] for e in collector.tracked("$tip_clicked")] == ["tip-py-export"]
    assert len(collector.tracked("$first_action")) == 1
    explanation = c.explain_tip("tip-py-export")
    assert explanation.would_show is False and explanation.reason


def test_a_failing_tips_callback_is_logged_and_the_sdk_goes_on(collector, make_client, caplog):
    collector.put_config(TIPS_CONFIG)
    called = threading.Event()

    def present(tip):
        called.set()
        raise RuntimeError("the UI is gone")

    c = make_client(collector.endpoint, tips=present, default_remote_config=TIPS_CONFIG)
    c.track("py_feature")
    assert called.wait(10)
    c.track("after_the_failure")
    assert c.flush(10)
    assert collector.tracked("after_the_failure")
    assert c.stats().plugins_disabled == 0
    assert "the tips callback raised" in caplog.text


def test_flush_from_the_tips_callback_is_refused(collector, make_client):
    collector.put_config(TIPS_CONFIG)
    errors = []
    done = threading.Event()
    holder = {}

    def present(tip):
        try:
            holder["client"].flush(1)
        except RuntimeError as e:
            errors.append(str(e))
        done.set()

    c = make_client(collector.endpoint, tips=present, default_remote_config=TIPS_CONFIG)
    holder["client"] = c
    c.track("py_feature")
    assert done.wait(10)
    assert errors and "SDK's thread" in errors[0]


def test_the_context_manager_shuts_down_and_delivers(collector, tmp_path):
    with uptake.Client(collector.endpoint, "wk", tmp_path / "d", flush_interval_ms=60_000) as c:
        c.track("in_a_with_block")
    assert c.closed
    assert len(collector.tracked("in_a_with_block")) == 1
    c.track("after_shutdown")  # ignored
    assert c.flush(1)
    assert c.shutdown() is True
    assert not collector.tracked("after_shutdown")


SURVEYS_CONFIG = {
    "surveys": [
        {"id": "csat-py", "kind": "csat", "question": "Happy with it?", "priority": 10},
        {"id": "theme-py", "kind": "choice", "question": "Which theme?",
         "choices": ["dark", "light"], "priority": 5},
    ],
}


def test_surveys_are_asked_on_the_sdk_thread_and_answers_stored(collector, make_client):
    collector.put_config(SURVEYS_CONFIG)
    asked = []
    arrived = threading.Semaphore(0)

    def ask(survey):
        asked.append((threading.get_ident(), survey))
        arrived.release()

    c = make_client(collector.endpoint, surveys=ask, default_remote_config=SURVEYS_CONFIG)
    c.track("py_feature")  # the session starts: the higher priority survey is asked
    assert arrived.acquire(timeout=10)
    c.track("py_feature")  # one survey per session each: the other one now
    assert arrived.acquire(timeout=10)
    thread, csat = asked[0]
    assert thread != threading.get_ident()
    assert csat == uptake.Survey("csat-py", "csat", "Happy with it?", (), 1, 5)
    assert asked[1][1] == uptake.Survey("theme-py", "choice", "Which theme?",
                                        ("dark", "light"), 0, 0)

    with pytest.raises(uptake.ScoreOutOfRangeError):
        c.answer_survey("csat-py", 6)
    c.answer_survey("csat-py", 4)
    with pytest.raises(uptake.AlreadyAnsweredError):
        c.answer_survey("csat-py", 5)
    with pytest.raises(uptake.UnknownChoiceError):
        c.answer_survey("theme-py", "Dark")
    c.dismiss_survey("theme-py")
    assert c.flush(10)

    assert sorted(e["props"]["survey"] for e in collector.tracked("$survey_shown")) == [
        "csat-py", "theme-py"]
    assert [e["props"] for e in collector.tracked("$survey_answered")] == [
        {"survey": "csat-py", "score": 4}]
    assert [e["props"] for e in collector.tracked("$survey_dismissed")] == [
        {"survey": "theme-py"}]
    explanation = c.explain_survey("csat-py")
    assert not explanation.would_show and "already answered" in explanation.reason
