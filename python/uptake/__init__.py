"""Uptake for Python: record feature usage and ship it to the Uptake collector.

    import uptake

    with uptake.Client(endpoint="https://collector.example.com", write_key="wk_...",
                       data_dir="/var/lib/myapp/uptake", app_version="2.3.0") as client:
        client.track("export_pdf", pages=12, format="a4")
        client.identify("user-42", role="admin")
        client.group("acme-corp", plan="enterprise", seats=40)

A thin layer over the SDK's stable C ABI (libuptake.so.1, through ctypes): nothing to build.
The library is looked for, in order, at

1. ``$UPTAKE_LIBRARY`` (a path to the file; when set, nothing else is tried),
2. ``libuptake.so.1`` next to this package (a wheel that bundles it, or ``cmake --install``,
   which links it there),
3. wherever the system's loader finds ``libuptake.so.1`` (``LD_LIBRARY_PATH``, ldconfig).

Errors: every error the SDK reports is an :class:`uptake.Error` (``ConfigError``,
``DataDirError``, ... see :mod:`uptake.errors`); bad arguments are ``TypeError`` or
``ValueError`` naming the argument, raised before anything is recorded.
"""
from ._native import SONAME, loaded_path as library_path
from .client import Client, Stats, Survey, SurveyExplanation, Tip, TipExplanation
from .errors import (AlreadyAnsweredError, ConfigError, DataDirError, Error, InternalError,
                     InvalidArgumentError, LibraryNotFoundError, ScoreOutOfRangeError,
                     SurveyError, SurveyNotRunningError, TimeoutError, UnknownChoiceError,
                     UnknownSurveyError, WrongSurveyKindError)

__all__ = ["AlreadyAnsweredError", "Client", "ConfigError", "DataDirError", "Error",
           "InternalError", "InvalidArgumentError", "LibraryNotFoundError", "SONAME",
           "ScoreOutOfRangeError", "Stats", "Survey", "SurveyError", "SurveyExplanation",
           "SurveyNotRunningError", "Tip", "TipExplanation", "TimeoutError",
           "UnknownChoiceError", "UnknownSurveyError", "WrongSurveyKindError", "library_path"]
