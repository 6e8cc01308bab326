"""The ctypes declarations match the C headers they bind (the ABI the package speaks)."""
import ctypes
import re
from pathlib import Path

import pytest

import uptake
from uptake import _native as n

ROOT = Path(__file__).resolve().parents[2]
UPTAKE_H = ROOT / "sdk/include/uptake/uptake.h"
SURVEYS_H = ROOT / "plugins/surveys/include/uptake/surveys.h"


def header(path):
    if not path.exists():
        pytest.skip(f"{path} not present (not a source checkout)")
    return re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)


def struct_fields(text, name):
    body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), text, re.S).group(1)
    names = []
    for decl in body.split(";"):
        decl = decl.strip()
        if decl:
            # "uint64_t a, b" / "const char* key": the names after the type
            names += [p.strip().split()[-1].lstrip("*") for p in decl.split(",")]
    return names


def enum_values(text, name):
    body = re.search(r"typedef enum %s \{(.*?)\} %s;" % (name, name), text, re.S).group(1)
    return {k: int(v) for k, v in re.findall(r"(\w+)\s*=\s*(\d+)", body)}


def test_structs_match_uptake_h():
    text = header(UPTAKE_H)
    assert [f[0] for f in n.Stats._fields_] == struct_fields(text, "uptake_stats")
    assert ctypes.sizeof(n.Stats) == 8 * len(n.STATS_FIELDS)
    assert [f[0] for f in n.Prop._fields_] == struct_fields(text, "uptake_prop")


def test_enums_match_the_headers():
    text = header(UPTAKE_H)
    status = enum_values(text, "uptake_status")
    assert status == {"UPTAKE_OK": n.OK, "UPTAKE_ERR_INVALID_ARGUMENT": n.ERR_INVALID_ARGUMENT,
                      "UPTAKE_ERR_INVALID_CONFIG": n.ERR_INVALID_CONFIG,
                      "UPTAKE_ERR_IO": n.ERR_IO, "UPTAKE_ERR_TIMEOUT": n.ERR_TIMEOUT,
                      "UPTAKE_ERR_INTERNAL": n.ERR_INTERNAL}
    assert enum_values(text, "uptake_prop_kind") == {
        "UPTAKE_PROP_STRING": n.PROP_STRING, "UPTAKE_PROP_INT": n.PROP_INT,
        "UPTAKE_PROP_DOUBLE": n.PROP_DOUBLE, "UPTAKE_PROP_BOOL": n.PROP_BOOL}
    tips = header(ROOT / "plugins/feature_tips/include/uptake/feature_tips.h")
    assert enum_values(tips, "uptake_dismissal") == {
        "UPTAKE_DISMISS_CLOSE": n.DISMISS_CLOSE, "UPTAKE_DISMISS_SNOOZE": n.DISMISS_SNOOZE,
        "UPTAKE_DISMISS_FOREVER": n.DISMISS_FOREVER}
    surveys = header(SURVEYS_H)
    assert enum_values(surveys, "uptake_survey_kind") == {
        "UPTAKE_SURVEY_NPS": n.SURVEY_NPS, "UPTAKE_SURVEY_CSAT": n.SURVEY_CSAT,
        "UPTAKE_SURVEY_CHOICE": n.SURVEY_CHOICE}
    assert enum_values(surveys, "uptake_survey_status") == {
        "UPTAKE_SURVEY_" + name[len("SURVEY_"):]: value for name, value in vars(n).items()
        if name.startswith("SURVEY_") and name[len("SURVEY_"):].startswith(("OK", "ERR_"))}


def test_every_survey_refusal_has_its_exception():
    from uptake import errors
    text = header(SURVEYS_H)
    for name, value in enum_values(text, "uptake_survey_status").items():
        if name == "UPTAKE_SURVEY_OK":
            continue
        e = errors.from_survey_status(value, "why")
        assert isinstance(e, uptake.Error) and str(e) == "why", name
        if name not in ("UPTAKE_SURVEY_ERR_INVALID_ARGUMENT", "UPTAKE_SURVEY_ERR_INTERNAL"):
            assert isinstance(e, uptake.SurveyError) and e.status == value, name


def test_every_declared_function_is_bound():
    headers = [UPTAKE_H, ROOT / "plugins/feature_tips/include/uptake/feature_tips.h",
               ROOT / "plugins/first_action/include/uptake/first_action.h", SURVEYS_H]
    declared = set()
    for path in headers:
        declared |= set(re.findall(r"\bUPTAKE_API\b[^;{]*?\b(uptake_\w+)\s*\(", header(path),
                                   re.S))
    assert declared == set(n._SIGNATURES)
