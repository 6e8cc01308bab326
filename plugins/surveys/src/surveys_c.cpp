// surveys.h over uptake::Surveys. No exception crosses this boundary: the answer calls, which
// return an uptake_survey_status, turn any failure inside into UPTAKE_SURVEY_ERR_INTERNAL.

#include <algorithm>
#include <cstring>
#include <vector>

#include "uptake/c_bridge.hpp"
#include "uptake/surveys.h"
#include "uptake/surveys.hpp"

struct uptake_surveys {
  std::shared_ptr<uptake::Surveys> plugin;
};

using uptake::c_api_fail;
using uptake::c_api_guard;

namespace {

uptake_survey_kind c_kind(uptake::SurveyKind kind) {
  switch (kind) {
    case uptake::SurveyKind::nps:
      return UPTAKE_SURVEY_NPS;
    case uptake::SurveyKind::csat:
      return UPTAKE_SURVEY_CSAT;
    case uptake::SurveyKind::choice:
      return UPTAKE_SURVEY_CHOICE;
  }
  return UPTAKE_SURVEY_NPS;
}

uptake_survey_status c_status(uptake::SurveyStatus status) {
  switch (status) {
    case uptake::SurveyStatus::ok:
      return UPTAKE_SURVEY_OK;
    case uptake::SurveyStatus::not_running:
      return UPTAKE_SURVEY_ERR_NOT_RUNNING;
    case uptake::SurveyStatus::unknown_survey:
      return UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY;
    case uptake::SurveyStatus::wrong_kind:
      return UPTAKE_SURVEY_ERR_WRONG_KIND;
    case uptake::SurveyStatus::score_out_of_range:
      return UPTAKE_SURVEY_ERR_SCORE_OUT_OF_RANGE;
    case uptake::SurveyStatus::unknown_choice:
      return UPTAKE_SURVEY_ERR_UNKNOWN_CHOICE;
    case uptake::SurveyStatus::already_answered:
      return UPTAKE_SURVEY_ERR_ALREADY_ANSWERED;
  }
  return UPTAKE_SURVEY_ERR_INTERNAL;
}

uptake_survey_status null_argument() noexcept {
  c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return UPTAKE_SURVEY_ERR_INVALID_ARGUMENT;
}

// Runs `body` (which returns a SurveyResult): its status, with its message for
// uptake_last_error() when it refused; any exception is UPTAKE_SURVEY_ERR_INTERNAL with its
// message.
template <class Body>
uptake_survey_status survey_guard(Body&& body) noexcept {
  uptake_survey_status status = UPTAKE_SURVEY_ERR_INTERNAL;
  const uptake_status guarded = c_api_guard([&] {
    const uptake::SurveyResult r = body();
    status = c_status(r.status);
    if (status != UPTAKE_SURVEY_OK) c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, r.message.c_str());
    return UPTAKE_OK;
  });
  return guarded == UPTAKE_OK ? status : UPTAKE_SURVEY_ERR_INTERNAL;
}

}  // namespace

extern "C" {

uptake_surveys* uptake_surveys_new(uptake_survey_presenter presenter, void* user_data) noexcept {
  try {
    auto handle = std::make_unique<uptake_surveys>();
    handle->plugin =
        std::make_shared<uptake::Surveys>([presenter, user_data](const uptake::Survey& s) {
          if (!presenter) return;
          std::vector<const char*> choices;
          for (const auto& c : s.choices) choices.push_back(c.c_str());
          presenter(s.id.c_str(), c_kind(s.kind), s.question.c_str(), choices.data(),
                    choices.size(), s.min_score, s.max_score, user_data);
        });
    return handle.release();
  } catch (...) {
    c_api_fail(UPTAKE_ERR_INTERNAL, "out of memory");
    return nullptr;
  }
}

void uptake_surveys_free(uptake_surveys* surveys) noexcept {
  delete surveys;
}

uptake_status uptake_config_add_surveys(uptake_config* config, uptake_surveys* surveys) noexcept {
  if (!config || !surveys) return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    uptake::config_of(config).plugins.push_back(surveys->plugin);
    return UPTAKE_OK;
  });
}

uptake_survey_status uptake_survey_answer_score(uptake_surveys* surveys, const char* survey_id,
                                                int64_t score) noexcept {
  if (!surveys || !survey_id) return null_argument();
  return survey_guard(
      [&] { return surveys->plugin->answered(survey_id, static_cast<std::int64_t>(score)); });
}

uptake_survey_status uptake_survey_answer_choice(uptake_surveys* surveys, const char* survey_id,
                                                 const char* choice) noexcept {
  if (!surveys || !survey_id || !choice) return null_argument();
  return survey_guard(
      [&] { return surveys->plugin->answered(survey_id, std::string_view(choice)); });
}

uptake_survey_status uptake_survey_dismissed(uptake_surveys* surveys,
                                             const char* survey_id) noexcept {
  if (!surveys || !survey_id) return null_argument();
  return survey_guard([&] { return surveys->plugin->dismissed(survey_id); });
}

uptake_status uptake_survey_explain(uptake_surveys* surveys, const char* survey_id, char* buf,
                                    size_t len, int* would_show) noexcept {
  if (!surveys || !survey_id || !buf || len == 0)
    return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    const uptake::SurveyExplanation e = surveys->plugin->explain(survey_id);
    uptake::copy_to_c_buffer(e.reason, buf, len);
    if (would_show) *would_show = e.would_show ? 1 : 0;
    return UPTAKE_OK;
  });
}

}  // extern "C"
