"""The C ABI of libuptake.so.1 through ctypes: finding the library and declaring its functions.

Only the layouts and signatures of uptake.h, feature_tips.h, first_action.h and surveys.h
appear here;
tests/test_layout.py checks them against the headers.
"""
from __future__ import annotations

import ctypes
import os
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint32, c_uint64, c_void_p)
from pathlib import Path

from .errors import LibraryNotFoundError

#: The SONAME this package speaks: a library with another major number has another ABI.
SONAME = "libuptake.so.1"

# uptake_status
OK = 0
ERR_INVALID_ARGUMENT = 1
ERR_INVALID_CONFIG = 2
ERR_IO = 3
ERR_TIMEOUT = 4
ERR_INTERNAL = 5

# uptake_prop_kind
PROP_STRING = 0
PROP_INT = 1
PROP_DOUBLE = 2
PROP_BOOL = 3

# uptake_dismissal
DISMISS_CLOSE = 0
DISMISS_SNOOZE = 1
DISMISS_FOREVER = 2

# uptake_survey_kind
SURVEY_NPS = 0
SURVEY_CSAT = 1
SURVEY_CHOICE = 2

# uptake_survey_status
SURVEY_OK = 0
SURVEY_ERR_INVALID_ARGUMENT = 1
SURVEY_ERR_NOT_RUNNING = 2
SURVEY_ERR_UNKNOWN_SURVEY = 3
SURVEY_ERR_WRONG_KIND = 4
SURVEY_ERR_SCORE_OUT_OF_RANGE = 5
SURVEY_ERR_UNKNOWN_CHOICE = 6
SURVEY_ERR_ALREADY_ANSWERED = 7
SURVEY_ERR_INTERNAL = 8


class Prop(Structure):
    _fields_ = [
        ("key", c_char_p),
        ("kind", c_int),
        ("string_value", c_char_p),
        ("int_value", c_int64),
        ("double_value", c_double),
        ("bool_value", c_int),
    ]


STATS_FIELDS = (
    "queued", "spooled_events", "spool_bytes", "sent", "batches_sent", "retries",
    "rejected_by_collector",
    "dropped_queue_full", "dropped_invalid", "dropped_client_error", "dropped_too_large",
    "dropped_spool_full", "dropped_spool_age", "dropped_spool_corrupt", "dropped_shutdown",
    "plugins_disabled", "config_fetches",
)


class Stats(Structure):
    _fields_ = [(name, c_uint64) for name in STATS_FIELDS]


#: void (*uptake_tip_presenter)(tip_id, feature, title, body, user_data)
TipPresenter = CFUNCTYPE(None, c_char_p, c_char_p, c_char_p, c_char_p, c_void_p)

#: void (*uptake_survey_presenter)(survey_id, kind, question, choices, choice_count, min_score,
#:                                  max_score, user_data)
SurveyPresenter = CFUNCTYPE(None, c_char_p, c_int, c_char_p, POINTER(c_char_p), c_size_t, c_int,
                            c_int, c_void_p)

_Status = c_int
_SIGNATURES = {
    "uptake_config_new": (c_void_p, []),
    "uptake_config_free": (None, [c_void_p]),
    "uptake_config_set_string": (_Status, [c_void_p, c_char_p, c_char_p]),
    "uptake_config_set_number": (_Status, [c_void_p, c_char_p, c_double]),
    "uptake_client_new": (_Status, [c_void_p, POINTER(c_void_p)]),
    "uptake_client_free": (None, [c_void_p]),
    "uptake_track": (None, [c_void_p, c_char_p, POINTER(Prop), c_size_t]),
    "uptake_identify": (None, [c_void_p, c_char_p, POINTER(Prop), c_size_t]),
    "uptake_group": (None, [c_void_p, c_char_p, POINTER(Prop), c_size_t]),
    "uptake_flush": (_Status, [c_void_p, c_uint32]),
    "uptake_shutdown": (_Status, [c_void_p, c_uint32]),
    "uptake_set_opt_out": (_Status, [c_void_p, c_int]),
    "uptake_get_stats": (_Status, [c_void_p, POINTER(Stats)]),
    "uptake_anonymous_id": (_Status, [c_void_p, c_char_p, c_size_t]),
    "uptake_last_error": (c_char_p, []),
    "uptake_config_add_first_action": (_Status, [c_void_p, POINTER(c_char_p), c_size_t]),
    "uptake_feature_tips_new": (c_void_p, [TipPresenter, c_void_p]),
    "uptake_feature_tips_free": (None, [c_void_p]),
    "uptake_config_add_feature_tips": (_Status, [c_void_p, c_void_p]),
    "uptake_tip_clicked": (_Status, [c_void_p, c_char_p]),
    "uptake_tip_dismissed": (_Status, [c_void_p, c_char_p, c_int, c_int]),
    "uptake_tip_explain": (_Status, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_int)]),
    "uptake_surveys_new": (c_void_p, [SurveyPresenter, c_void_p]),
    "uptake_surveys_free": (None, [c_void_p]),
    "uptake_config_add_surveys": (_Status, [c_void_p, c_void_p]),
    "uptake_survey_answer_score": (c_int, [c_void_p, c_char_p, c_int64]),
    "uptake_survey_answer_choice": (c_int, [c_void_p, c_char_p, c_char_p]),
    "uptake_survey_dismissed": (c_int, [c_void_p, c_char_p]),
    "uptake_survey_explain": (_Status, [c_void_p, c_char_p, c_char_p, c_size_t,
                                        POINTER(c_int)]),
}


def candidates():
    """Where the library is looked for, in order (see the package's docstring)."""
    env = os.environ.get("UPTAKE_LIBRARY")
    if env:
        return [env]  # set on purpose: nothing else is tried
    return [str(Path(__file__).resolve().parent / SONAME), SONAME]


_lock = threading.Lock()
_lib = None
_path = None


def load():
    """The loaded library (loaded once per process)."""
    global _lib, _path
    with _lock:
        if _lib is not None:
            return _lib
        errors = []
        for candidate in candidates():
            if os.sep in candidate and not os.path.exists(candidate):
                errors.append(f"{candidate}: no such file")
                continue
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as e:
                errors.append(f"{candidate}: {e}")
                continue
            for name, (restype, argtypes) in _SIGNATURES.items():
                try:
                    fn = getattr(lib, name)
                except AttributeError:
                    raise LibraryNotFoundError(
                        f"{candidate} is not an Uptake library for {SONAME}: it lacks {name}")
                fn.restype = restype
                fn.argtypes = argtypes
            _lib, _path = lib, _loaded_path(lib, candidate)
            return _lib
        raise LibraryNotFoundError(
            f"cannot load {SONAME} (the Uptake SDK's shared library); tried:\n  "
            + "\n  ".join(errors)
            + "\nSet UPTAKE_LIBRARY to its path, install it next to this package, or install "
            "it where the system's loader finds it (LD_LIBRARY_PATH, ldconfig).")


def _loaded_path(lib, fallback):
    """The file the loader picked (dladdr on one of its functions), for library_path()."""
    try:
        class DlInfo(Structure):
            _fields_ = [("dli_fname", c_char_p), ("dli_fbase", c_void_p),
                        ("dli_sname", c_char_p), ("dli_saddr", c_void_p)]
        libc = ctypes.CDLL(None)
        info = DlInfo()
        if libc.dladdr(ctypes.cast(lib.uptake_config_new, c_void_p), ctypes.byref(info)):
            return os.path.realpath(info.dli_fname.decode())
    except (AttributeError, OSError):
        pass
    return fallback


def loaded_path():
    load()
    return _path
