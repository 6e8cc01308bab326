"""The exceptions of the uptake package: one base, uptake.Error, and one subclass per failure.

Each error the C API reports (an ``uptake_status`` other than ``UPTAKE_OK``) becomes the
subclass of its status, with the library's message (``uptake_last_error()``) and the status
in ``.status``. Each subclass also derives from the built-in exception a Python caller would
expect (a bad configuration is a ``ValueError``, an unusable data directory an ``OSError``),
so ``except ValueError`` keeps working.

Bad arguments found before the C API is called (a prop that is a list, an event name too
long) are plain ``TypeError`` / ``ValueError`` naming the argument: they are the caller's
mistake, not something the SDK reported.
"""
from __future__ import annotations

import builtins
from typing import Optional


class Error(Exception):
    """Base of every error the Uptake SDK reports. ``status`` is the C API's uptake_status
    (None when the error did not come from a C call, e.g. the library was not found)."""

    status: Optional[int] = None

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(Error, ValueError):
    """UPTAKE_ERR_INVALID_ARGUMENT: the C API refused an argument (e.g. an unknown option)."""

    status = 1


class ConfigError(Error, ValueError):
    """UPTAKE_ERR_INVALID_CONFIG: the configuration cannot work; the message names the field."""

    status = 2


class DataDirError(Error, OSError):
    """UPTAKE_ERR_IO: data_dir cannot be used (created, read or written)."""

    status = 3


class TimeoutError(Error, builtins.TimeoutError):
    """UPTAKE_ERR_TIMEOUT where a call cannot answer False instead. (flush() and shutdown()
    return False when time runs out: the events stay spooled and that is not an error.)"""

    status = 4


class InternalError(Error):
    """UPTAKE_ERR_INTERNAL: the SDK failed inside (out of memory, a bug); the message says
    what. The client stays usable."""

    status = 5


class LibraryNotFoundError(Error, ImportError):
    """libuptake.so.1 could not be loaded from anywhere this package looks."""


class SurveyError(Error):
    """The surveys plugin refused an answer or a dismissal and recorded nothing. ``status`` is
    the ``uptake_survey_status`` (surveys.h), and the subclass says which refusal it was."""


class SurveyNotRunningError(SurveyError, RuntimeError):
    """UPTAKE_SURVEY_ERR_NOT_RUNNING: the client is not running (it was shut down)."""

    status = 2


class UnknownSurveyError(SurveyError, LookupError):
    """UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY: no survey with that id in the current config."""

    status = 3


class WrongSurveyKindError(SurveyError, ValueError):
    """UPTAKE_SURVEY_ERR_WRONG_KIND: a score for a choice survey, or a choice for an nps or
    csat survey."""

    status = 4


class ScoreOutOfRangeError(SurveyError, ValueError):
    """UPTAKE_SURVEY_ERR_SCORE_OUT_OF_RANGE: nps takes 0..10, csat 1..5."""

    status = 5


class UnknownChoiceError(SurveyError, ValueError):
    """UPTAKE_SURVEY_ERR_UNKNOWN_CHOICE: not exactly one of the survey's choices."""

    status = 6


class AlreadyAnsweredError(SurveyError):
    """UPTAKE_SURVEY_ERR_ALREADY_ANSWERED: this install answered that survey before."""

    status = 7


#: uptake_status -> exception class (UPTAKE_OK has none).
BY_STATUS = {cls.status: cls for cls in (InvalidArgumentError, ConfigError, DataDirError,
                                         TimeoutError, InternalError)}


def from_status(status: int, message: str) -> Error:
    """The exception for uptake_status ``status`` (an unknown one is an InternalError)."""
    cls = BY_STATUS.get(status, InternalError)
    return cls(message or f"uptake_status {status}", status)


#: uptake_survey_status -> exception class (UPTAKE_SURVEY_OK has none); a NULL argument and a
#: failure inside are the same errors as for every other call.
BY_SURVEY_STATUS = {cls.status: cls for cls in (SurveyNotRunningError, UnknownSurveyError,
                                                WrongSurveyKindError, ScoreOutOfRangeError,
                                                UnknownChoiceError, AlreadyAnsweredError)}
_SURVEY_ERR_INVALID_ARGUMENT = 1
_SURVEY_ERR_INTERNAL = 8


def from_survey_status(status: int, message: str) -> Error:
    """The exception for uptake_survey_status ``status``."""
    if status == _SURVEY_ERR_INVALID_ARGUMENT:
        return InvalidArgumentError(message or "NULL argument")
    cls = BY_SURVEY_STATUS.get(status)
    if cls is None:  # UPTAKE_SURVEY_ERR_INTERNAL, or a status this package does not know
        return InternalError(message or f"uptake_survey_status {status}")
    return cls(message or f"uptake_survey_status {status}", status)
