"""uptake.Client: the SDK's client over its C ABI."""
from __future__ import annotations

import ctypes
import json
import logging
import math
import numbers
import os
import threading
import weakref
from dataclasses import dataclass, fields
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple, Union

from . import _native as n
from .errors import from_status, from_survey_status

log = logging.getLogger("uptake")

# PROTOCOL.md's limits, checked here so that a bad event raises instead of being dropped.
MAX_NAME_BYTES = 128
MAX_USER_BYTES = 256
MAX_ACCOUNT_BYTES = 128
MAX_PROPS_BYTES = 8 * 1024
_INT64 = range(-(2**63), 2**63)
_MAX_TIMEOUT_MS = 2**32 - 1
_MAX_COUNT = 2**53  # what the C API's double carries exactly


@dataclass(frozen=True)
class Tip:
    """A tip the feature_tips plugin decided to show."""
    id: str
    feature: str
    title: str
    body: str


@dataclass(frozen=True)
class TipExplanation:
    """Why a tip would or would not show now (explain_tip)."""
    would_show: bool
    reason: str


@dataclass(frozen=True)
class Survey:
    """A survey the surveys plugin decided to ask. ``kind`` is "nps" (a score from 0 to 10),
    "csat" (1 to 5) or "choice" (one of ``choices``); scores run from ``min_score`` to
    ``max_score`` (both 0 for a choice survey)."""
    id: str
    kind: str
    question: str
    choices: Tuple[str, ...]
    min_score: int
    max_score: int


@dataclass(frozen=True)
class SurveyExplanation:
    """Why a survey would or would not be asked now (explain_survey)."""
    would_show: bool
    reason: str


@dataclass(frozen=True)
class Stats:
    """What the SDK did with the events (uptake_stats; see uptake/stats.hpp)."""
    queued: int
    spooled_events: int
    spool_bytes: int
    sent: int
    batches_sent: int
    retries: int
    rejected_by_collector: int
    dropped_queue_full: int
    dropped_invalid: int
    dropped_client_error: int
    dropped_too_large: int
    dropped_spool_full: int
    dropped_spool_age: int
    dropped_spool_corrupt: int
    dropped_shutdown: int
    plugins_disabled: int
    config_fetches: int

    @property
    def dropped(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name.startswith("dropped_"))


# Options passed through to uptake_config_set_number, with the Python types they take.
_COUNT = "count"
_BOOL = "bool"
_RATE = "rate"
NUMBER_OPTIONS = {
    "flush_interval_ms": _COUNT,
    "max_batch_events": _COUNT,
    "max_batch_bytes": _COUNT,
    "queue_capacity": _COUNT,
    "max_spool_bytes": _COUNT,
    "max_spool_age_ms": _COUNT,
    "spool_fsync": _BOOL,
    "session_timeout_ms": _COUNT,
    "sample_rate": _RATE,
    "tls_verify": _BOOL,
    "connect_timeout_ms": _COUNT,
    "request_timeout_ms": _COUNT,
    "retry_base_ms": _COUNT,
    "retry_cap_ms": _COUNT,
    "shutdown_timeout_ms": _COUNT,
    "compression_level": _COUNT,
    "config_refresh_interval_ms": _COUNT,
    "fetch_remote_config": _BOOL,
}
STRING_OPTIONS = ("app_version", "tls_ca_file", "default_remote_config")
_DEFAULT_SHUTDOWN_TIMEOUT_MS = 2000

_DISMISSALS = {"close": n.DISMISS_CLOSE, "snooze": n.DISMISS_SNOOZE,
               "forever": n.DISMISS_FOREVER}


def _utf8(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"{what} is not valid Unicode text: {e}") from None


def _path(value: Any) -> Any:
    """A str or os.PathLike as the str the C API takes (anything else is left for _utf8 to
    refuse with the option's name)."""
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _remote_config_json(value: Any) -> Any:
    """default_remote_config as JSON text: a dict is encoded; a str must be a JSON object
    (the SDK keeps it as it is and its plugins read it leniently, so a typo would only show
    as tips that never appear)."""
    if isinstance(value, dict):
        try:
            return json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ValueError(f"default_remote_config cannot be JSON: {e}") from None
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError as e:
            raise ValueError(f"default_remote_config is not JSON: {e}") from None
        if not isinstance(parsed, dict):
            raise ValueError("default_remote_config must be a JSON object")
    return value


def _bounded(value: Any, what: str, limit: int) -> bytes:
    b = _utf8(value, what)
    if not b:
        raise ValueError(f"{what} must not be empty")
    if len(b) > limit:
        raise ValueError(f"{what} is {len(b)} bytes as UTF-8, at most {limit} are allowed")
    return b


def _timeout_ms(timeout: Optional[float], what: str, default_ms: int) -> int:
    if timeout is None:
        return default_ms
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"{what}: timeout must be a number of seconds")
    if math.isnan(timeout) or timeout < 0:
        raise ValueError(f"{what}: timeout must be >= 0 seconds")
    if math.isinf(timeout):
        return _MAX_TIMEOUT_MS
    return min(_MAX_TIMEOUT_MS, int(math.ceil(float(timeout) * 1000)))


def _merged(what: str, given: Optional[Mapping[str, Any]],
            keywords: Dict[str, Any]) -> Mapping[str, Any]:
    if given is None:
        return keywords
    if not isinstance(given, Mapping):
        raise TypeError(f"{what} must be a mapping of str to str, int, float or bool, "
                        f"not {type(given).__name__}")
    if not keywords:
        return given
    twice = [key for key in keywords if key in given]
    if twice:
        raise TypeError(f"{what}: {twice[0]!r} given both in the mapping and as a keyword")
    return {**given, **keywords}


class _Props:
    """Props as a C array; keeps the encoded strings alive for the call."""

    def __init__(self, what: str, props: Mapping[str, Any]):
        self.count = len(props)
        self.array = (n.Prop * self.count)() if self.count else None
        self._keep = []
        as_json = {}
        for i, (key, value) in enumerate(props.items()):
            kb = _utf8(key, f"{what} key {key!r}")
            if not kb:
                raise ValueError(f"{what}: an empty key")
            p = self.array[i]
            p.key = kb
            self._keep.append(kb)
            name = f"{what} {key!r}"
            if isinstance(value, bool):
                p.kind, p.bool_value = n.PROP_BOOL, int(value)
            elif isinstance(value, numbers.Integral):
                value = int(value)
                if value not in _INT64:
                    raise ValueError(f"{name}: {value} does not fit in 64 bits")
                p.kind, p.int_value = n.PROP_INT, value
            elif isinstance(value, numbers.Real):
                value = float(value)
                if not math.isfinite(value):
                    raise ValueError(f"{name}: {value} is not a finite number")
                p.kind, p.double_value = n.PROP_DOUBLE, value
            elif isinstance(value, str):
                vb = _utf8(value, name)
                p.kind, p.string_value = n.PROP_STRING, vb
                self._keep.append(vb)
            else:
                raise TypeError(
                    f"{name} is a {type(value).__name__}: use str, int, float or bool")
            as_json[key] = value
        if self.count:
            size = len(json.dumps(as_json, ensure_ascii=False, separators=(",", ":")).encode())
            if size > MAX_PROPS_BYTES:
                raise ValueError(
                    f"{what} are {size} bytes as JSON, at most {MAX_PROPS_BYTES} are allowed")


class _Shared:
    """State the SDK's thread (tips callbacks) and the client share; never the Client itself,
    so that the client can be collected while callbacks are registered."""

    def __init__(self):
        self.sdk_threads = set()


def _free(lib, client, tips, surveys, shared, _presenters):
    # ~Client() shuts down within shutdown_timeout_ms (the SDK's thread is gone after it),
    # then the plugins; the callbacks are released only after all of them.
    def free():
        lib.uptake_client_free(client)
        if tips:
            lib.uptake_feature_tips_free(tips)
        if surveys:
            lib.uptake_surveys_free(surveys)

    if threading.get_ident() in shared.sdk_threads:
        # Collected inside a callback, on the SDK's own thread: it cannot wait for itself to
        # stop, so another thread frees the client once the callback has returned.
        threading.Thread(target=free, name="uptake-free").start()
    else:
        free()


class Client:
    """Records feature usage and ships it to the Uptake collector.

    ``Client(endpoint, write_key, data_dir, **options)``: the collector's URL (https, or
    http to loopback), the app's write key and the directory for the spool, the install's
    identity and plugin state (a str or path). ``options`` are the C API's config options
    (uptake.h; see uptake::Config for defaults), each checked for its type and range:

    - strings: ``app_version``, ``tls_ca_file`` (a PEM bundle to verify the collector with,
      a str or path), ``default_remote_config`` (JSON, as a str or a dict, used until
      /v1/config answers);
    - ints (milliseconds, counts, bytes): ``flush_interval_ms``, ``max_batch_events``,
      ``max_batch_bytes``, ``queue_capacity``, ``max_spool_bytes``, ``max_spool_age_ms``,
      ``session_timeout_ms``, ``connect_timeout_ms``, ``request_timeout_ms``,
      ``retry_base_ms``, ``retry_cap_ms``, ``shutdown_timeout_ms``, ``compression_level``,
      ``config_refresh_interval_ms``;
    - bools: ``spool_fsync``, ``tls_verify``, ``fetch_remote_config``;
    - ``sample_rate``: a number in (0, 1].

    The bundled plugins: ``tips=callable`` (feature_tips: the callable gets a :class:`Tip`
    when one should show), ``surveys=callable`` (surveys: it gets a :class:`Survey` when one
    should be asked) and ``first_action=True`` or a list of key actions (first_action).
    A configuration the SDK refuses raises :class:`uptake.ConfigError` naming the field; a
    data_dir it cannot use, :class:`uptake.DataDirError`.

    ``track``, ``identify`` and ``group`` never block: they copy the event into the SDK's
    queue; a background thread batches, spools and sends. Bad input raises (``TypeError`` or
    ``ValueError`` naming the field) and nothing is recorded. Use it as a context manager,
    or call :meth:`shutdown`, to deliver what is queued before the program ends.

    The tips and surveys callables run on the SDK's background thread, not yours: hand the
    tip or survey to your UI thread (a queue, ``loop.call_soon_threadsafe``) and return
    quickly; they must not call :meth:`flush` or :meth:`shutdown` (those would wait for that
    very thread). An exception they raise is logged (logger ``uptake``) and otherwise ignored.
    The client keeps a reference to them for as long as the SDK may call them.
    """

    def __init__(self, endpoint: str, write_key: str, data_dir: Union[str, os.PathLike], *,
                 tips: Optional[Callable[[Tip], Any]] = None,
                 surveys: Optional[Callable[[Survey], Any]] = None,
                 first_action: Union[bool, Iterable[str]] = False, **options: Any):
        lib = n.load()
        self._lib = lib
        self._shared = _Shared()
        self._closed = False
        self._shutdown_timeout_ms = _DEFAULT_SHUTDOWN_TIMEOUT_MS
        self._presenters = []
        self._tips = None
        self._surveys = None
        if tips is not None and not callable(tips):
            raise TypeError("tips must be a callable taking a Tip")
        if surveys is not None and not callable(surveys):
            raise TypeError("surveys must be a callable taking a Survey")
        strings = {"endpoint": endpoint, "write_key": write_key, "data_dir": _path(data_dir)}
        numbers_ = {}
        for name, value in options.items():
            if name in STRING_OPTIONS:
                if name == "default_remote_config":
                    value = _remote_config_json(value)
                elif name == "tls_ca_file":
                    value = _path(value)
                strings[name] = value
            elif name in NUMBER_OPTIONS:
                numbers_[name] = self._number_option(name, value)
            else:
                raise TypeError(f"Client() got an unknown option {name!r}; options: "
                                + ", ".join(sorted((*STRING_OPTIONS, *NUMBER_OPTIONS))))
        encoded = {name: _utf8(value, name) for name, value in strings.items()}
        key_actions = None
        if first_action is True:
            key_actions = []
        elif first_action is not False and first_action is not None:
            if isinstance(first_action, str):
                raise TypeError("first_action takes True or a list of key actions, not a str")
            key_actions = [_bounded(a, "first_action key action", MAX_NAME_BYTES)
                           for a in first_action]

        config = lib.uptake_config_new()
        if not config:
            raise MemoryError("uptake_config_new failed")
        tips_handle = surveys_handle = None
        try:
            for name, value in encoded.items():
                self._check(lib.uptake_config_set_string(config, name.encode(), value))
            for name, value in numbers_.items():
                self._check(lib.uptake_config_set_number(config, name.encode(), value))
            if key_actions is not None:
                array = (ctypes.c_char_p * len(key_actions))(*key_actions)
                self._check(lib.uptake_config_add_first_action(config, array, len(key_actions)))
            if tips is not None:
                self._presenters.append(_tip_presenter(tips, self._shared))
                tips_handle = lib.uptake_feature_tips_new(self._presenters[-1], None)
                if not tips_handle:
                    raise MemoryError(f"uptake_feature_tips_new failed: {self._lib_error()}")
                self._check(lib.uptake_config_add_feature_tips(config, tips_handle))
            if surveys is not None:
                self._presenters.append(_survey_presenter(surveys, self._shared))
                surveys_handle = lib.uptake_surveys_new(self._presenters[-1], None)
                if not surveys_handle:
                    raise MemoryError(f"uptake_surveys_new failed: {self._lib_error()}")
                self._check(lib.uptake_config_add_surveys(config, surveys_handle))
            client = ctypes.c_void_p()
            self._check(lib.uptake_client_new(config, ctypes.byref(client)))
        except BaseException:
            # The config shares the plugins: each is gone once both let go of it.
            if tips_handle:
                lib.uptake_feature_tips_free(tips_handle)
            if surveys_handle:
                lib.uptake_surveys_free(surveys_handle)
            raise
        finally:
            lib.uptake_config_free(config)
        self._client = client.value
        self._tips = tips_handle
        self._surveys = surveys_handle
        # Freed when the client is collected (or at interpreter exit), never while a method
        # runs; the callbacks stay referenced until then.
        self._finalizer = weakref.finalize(self, _free, lib, self._client, tips_handle,
                                           surveys_handle, self._shared, self._presenters)

    def _number_option(self, name: str, value: Any) -> float:
        kind = NUMBER_OPTIONS[name]
        if kind == _BOOL:
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
            return 1.0 if value else 0.0
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or (
                kind == _COUNT and not isinstance(value, numbers.Integral)):
            expected = "an int" if kind == _COUNT else "a number"
            raise TypeError(f"{name} must be {expected}, not {type(value).__name__}")
        if kind == _RATE and not 0 < value <= 1:
            raise ValueError(f"{name}: {value} is out of range (0, 1]")
        if kind == _COUNT and not 0 <= value <= _MAX_COUNT:
            raise ValueError(f"{name}: {value} is out of range (0 .. {_MAX_COUNT})")
        if name == "shutdown_timeout_ms":
            self._shutdown_timeout_ms = min(int(value), _MAX_TIMEOUT_MS)
        return float(value)

    def _check(self, status: int) -> None:
        """Raises the uptake.Error subclass of a C call's status, with the library's message
        (uptake_last_error() is per thread, and ctypes calls on the caller's thread)."""
        if status != n.OK:
            raise from_status(status, self._lib_error())

    def _lib_error(self) -> str:
        return (self._lib.uptake_last_error() or b"").decode("utf-8", "replace")

    def _handle(self):
        if self._closed:
            return None
        return self._client

    # ---- events ----

    def track(self, name: str, props: Optional[Mapping[str, Any]] = None, /,
              **kwprops: Any) -> None:
        """Records that feature ``name`` was used, with props (values str, int, float or
        bool) given as a mapping, as keywords, or both: ``track("export", {"page-count": 3},
        format="a4")``. Never blocks."""
        nb = _bounded(name, "event name", MAX_NAME_BYTES)
        if nb.startswith(b"$"):
            raise ValueError(f"event name {name!r}: names starting with '$' are reserved")
        p = _Props("prop", _merged("props", props, kwprops))
        self._lib.uptake_track(self._handle(), nb, p.array, p.count)

    def identify(self, user: str, traits: Optional[Mapping[str, Any]] = None, /,
                 **kwtraits: Any) -> None:
        """Ties this install to app user ``user`` (persisted: later events and runs carry it)
        and sends an identify event with the user's traits (a mapping, keywords or both)."""
        ub = _bounded(user, "user", MAX_USER_BYTES)
        p = _Props("trait", _merged("traits", traits, kwtraits))
        self._lib.uptake_identify(self._handle(), ub, p.array, p.count)

    def group(self, account: str, traits: Optional[Mapping[str, Any]] = None, /,
              **kwtraits: Any) -> None:
        """Puts this install's person in customer account ``account`` (company, workspace)
        from now on (persisted) and sends a group event with the account's traits (plan,
        seats, ...; a mapping, keywords or both)."""
        ab = _bounded(account, "account", MAX_ACCOUNT_BYTES)
        p = _Props("trait", _merged("traits", traits, kwtraits))
        self._lib.uptake_group(self._handle(), ab, p.array, p.count)

    # ---- delivery ----

    def _not_from_sdk_thread(self, what: str) -> None:
        if threading.get_ident() in self._shared.sdk_threads:
            raise RuntimeError(f"{what}() called from the SDK's thread (a tips callback) would "
                               "wait for that thread itself")

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits up to ``timeout`` seconds until everything recorded so far is delivered.
        True when it was; False when time ran out (the events stay spooled and are sent
        later)."""
        self._not_from_sdk_thread("flush")
        ms = _timeout_ms(timeout, "flush", 0)
        if self._closed:  # nothing more is delivered after shutdown()
            s = self.stats()
            return s.queued == 0 and s.spooled_events == 0
        status = self._lib.uptake_flush(self._client, ms)
        if status == n.ERR_TIMEOUT:
            return False
        self._check(status)
        return True

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Stops recording, delivers what it can within ``timeout`` seconds (default: the
        ``shutdown_timeout_ms`` option) and spools the rest for the next run. True when
        nothing was left undelivered. Later calls return the first one's answer; events
        recorded after it are ignored."""
        self._not_from_sdk_thread("shutdown")
        ms = _timeout_ms(timeout, "shutdown", self._shutdown_timeout_ms)
        status = self._lib.uptake_shutdown(self._client, ms)
        self._closed = True
        if status == n.ERR_TIMEOUT:
            return False
        self._check(status)
        return True

    close = shutdown

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()

    # ---- state ----

    def set_opt_out(self, opt_out: bool) -> None:
        """True stops recording at once and purges the queue and the spool (persisted in
        data_dir); False records again."""
        if not isinstance(opt_out, bool):
            raise TypeError("opt_out must be a bool")
        self._check(self._lib.uptake_set_opt_out(self._client, int(opt_out)))

    def stats(self) -> Stats:
        s = n.Stats()
        self._check(self._lib.uptake_get_stats(self._client, ctypes.byref(s)))
        return Stats(**{name: getattr(s, name) for name in n.STATS_FIELDS})

    @property
    def anonymous_id(self) -> str:
        buf = ctypes.create_string_buffer(64)
        self._check(self._lib.uptake_anonymous_id(self._client, buf, len(buf)))
        return buf.value.decode()

    # ---- tips (feature_tips plugin) ----

    def _tips_handle(self):
        if not self._tips:
            raise RuntimeError("tips are off: pass tips=callable to Client() to turn them on")
        return self._tips

    def tip_clicked(self, tip_id: str) -> None:
        """The user acted on tip ``tip_id``. Any thread."""
        self._check(self._lib.uptake_tip_clicked(self._tips_handle(), _utf8(tip_id, "tip_id")))

    def tip_dismissed(self, tip_id: str, how: str = "close", snooze_hours: int = 24) -> None:
        """The user dismissed tip ``tip_id``: ``how`` is "close", "snooze" (not again for
        ``snooze_hours``) or "forever" (don't show again). Any thread."""
        if how not in _DISMISSALS:
            raise ValueError(f"how must be one of {', '.join(_DISMISSALS)}, not {how!r}")
        if isinstance(snooze_hours, bool) or not isinstance(snooze_hours, int):
            raise TypeError("snooze_hours must be an int")
        if not 0 <= snooze_hours < 2**31:
            raise ValueError("snooze_hours must be >= 0")
        self._check(self._lib.uptake_tip_dismissed(
            self._tips_handle(), _utf8(tip_id, "tip_id"), _DISMISSALS[how], snooze_hours))

    def explain_tip(self, tip_id: str) -> TipExplanation:
        """Why tip ``tip_id`` would or would not show now (for support)."""
        buf = ctypes.create_string_buffer(1024)
        would = ctypes.c_int()
        self._check(self._lib.uptake_tip_explain(
            self._tips_handle(), _utf8(tip_id, "tip_id"), buf, len(buf), ctypes.byref(would)))
        return TipExplanation(bool(would.value), buf.value.decode("utf-8", "replace"))

    # ---- surveys (surveys plugin) ----

    def _surveys_handle(self):
        if not self._surveys:
            raise RuntimeError("surveys are off: pass surveys=callable to Client() to turn "
                               "them on")
        return self._surveys

    def _check_survey(self, status: int) -> None:
        if status != n.SURVEY_OK:
            raise from_survey_status(status, self._lib_error())

    def answer_survey(self, survey_id: str, answer: Union[int, str]) -> None:
        """The person answered survey ``survey_id``: an int score for an nps (0..10) or csat
        (1..5) survey, a str (exactly one of its choices) for a choice survey. Checked at once
        against the survey: a refused answer raises a :class:`uptake.SurveyError` subclass
        (``ScoreOutOfRangeError``, ``WrongSurveyKindError``, ``UnknownChoiceError``,
        ``UnknownSurveyError``, ``AlreadyAnsweredError``, ``SurveyNotRunningError``) and
        nothing is recorded. Any thread."""
        handle = self._surveys_handle()
        sid = _utf8(survey_id, "survey_id")
        if isinstance(answer, bool):
            raise TypeError("answer must be an int score or a str choice, not a bool")
        if isinstance(answer, numbers.Integral):
            score = int(answer)
            if score not in _INT64:
                raise ValueError(f"answer: {score} does not fit in 64 bits")
            self._check_survey(self._lib.uptake_survey_answer_score(handle, sid, score))
        elif isinstance(answer, str):
            self._check_survey(self._lib.uptake_survey_answer_choice(
                handle, sid, _utf8(answer, "answer")))
        else:
            raise TypeError("answer must be an int score or a str choice, not "
                            f"{type(answer).__name__}")

    def dismiss_survey(self, survey_id: str) -> None:
        """The person closed survey ``survey_id`` without answering (it may be asked again
        after its cooldown, within max_impressions). Any thread; refusals as for
        :meth:`answer_survey`."""
        self._check_survey(self._lib.uptake_survey_dismissed(
            self._surveys_handle(), _utf8(survey_id, "survey_id")))

    def explain_survey(self, survey_id: str) -> SurveyExplanation:
        """Why survey ``survey_id`` would or would not be asked now (for support)."""
        buf = ctypes.create_string_buffer(1024)
        would = ctypes.c_int()
        self._check(self._lib.uptake_survey_explain(
            self._surveys_handle(), _utf8(survey_id, "survey_id"), buf, len(buf),
            ctypes.byref(would)))
        return SurveyExplanation(bool(would.value), buf.value.decode("utf-8", "replace"))

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<uptake.Client {state} anonymous_id={self.anonymous_id!r}>"


def _text(s: Optional[bytes]) -> str:
    return s.decode("utf-8", "replace") if s else ""


def _tip_presenter(callback: Callable[[Tip], Any], shared: _Shared):
    def present(tip_id, feature, title, body, _user_data):
        shared.sdk_threads.add(threading.get_ident())
        try:
            callback(Tip(*(_text(s) for s in (tip_id, feature, title, body))))
        except BaseException:  # nothing may unwind into the SDK's thread
            log.exception("the tips callback raised; the tip stays shown as far as the SDK knows")
    return n.TipPresenter(present)


_SURVEY_KINDS = {n.SURVEY_NPS: "nps", n.SURVEY_CSAT: "csat", n.SURVEY_CHOICE: "choice"}


def _survey_presenter(callback: Callable[[Survey], Any], shared: _Shared):
    def present(survey_id, kind, question, choices, choice_count, min_score, max_score,
                _user_data):
        shared.sdk_threads.add(threading.get_ident())
        try:
            # Strings and the array are valid only during the call: copied here.
            survey = Survey(_text(survey_id), _SURVEY_KINDS.get(kind, str(kind)), _text(question),
                            tuple(_text(choices[i]) for i in range(choice_count)), min_score,
                            max_score)
            callback(survey)
        except BaseException:  # nothing may unwind into the SDK's thread
            log.exception("the surveys callback raised; the survey stays shown as far as the "
                          "SDK knows")
    return n.SurveyPresenter(present)
