#include <algorithm>
#include <cstring>
#include <vector>

#include "uptake/c_bridge.hpp"
#include "uptake/surveys.h"
#include "uptake/surveys.hpp"

struct uptake_surveys {
  std::shared_ptr<uptake::Surveys> plugin;
};

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

uptake_survey_status c_result(const uptake::SurveyResult& r) {
  uptake_survey_status status = UPTAKE_SURVEY_OK;
  switch (r.status) {
    case uptake::SurveyStatus::ok:
      return UPTAKE_SURVEY_OK;
    case uptake::SurveyStatus::not_running:
      status = UPTAKE_SURVEY_ERR_NOT_RUNNING;
      break;
    case uptake::SurveyStatus::unknown_survey:
      status = UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY;
      break;
    case uptake::SurveyStatus::wrong_kind:
      status = UPTAKE_SURVEY_ERR_WRONG_KIND;
      break;
    case uptake::SurveyStatus::score_out_of_range:
      status = UPTAKE_SURVEY_ERR_SCORE_OUT_OF_RANGE;
      break;
    case uptake::SurveyStatus::unknown_choice:
      status = UPTAKE_SURVEY_ERR_UNKNOWN_CHOICE;
      break;
    case uptake::SurveyStatus::already_answered:
      status = UPTAKE_SURVEY_ERR_ALREADY_ANSWERED;
      break;
  }
  uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, r.message.c_str());  // uptake_last_error()
  return status;
}

uptake_survey_status null_argument() {
  uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return UPTAKE_SURVEY_ERR_INVALID_ARGUMENT;
}

}  // namespace

extern "C" {

uptake_surveys* uptake_surveys_new(uptake_survey_presenter presenter, void* user_data) {
  try {
    auto* handle = new uptake_surveys;
    handle->plugin =
        std::make_shared<uptake::Surveys>([presenter, user_data](const uptake::Survey& s) {
          if (!presenter) return;
          std::vector<const char*> choices;
          for (const auto& c : s.choices) choices.push_back(c.c_str());
          presenter(s.id.c_str(), c_kind(s.kind), s.question.c_str(), choices.data(),
                    choices.size(), s.min_score, s.max_score, user_data);
        });
    return handle;
  } catch (...) {
    return nullptr;
  }
}

void uptake_surveys_free(uptake_surveys* surveys) {
  delete surveys;
}

uptake_status uptake_config_add_surveys(uptake_config* config, uptake_surveys* surveys) {
  if (!config || !surveys) return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  try {
    uptake::config_of(config).plugins.push_back(surveys->plugin);
  } catch (...) {
    return uptake::c_api_fail(UPTAKE_ERR_INTERNAL, "out of memory");
  }
  return UPTAKE_OK;
}

uptake_survey_status uptake_survey_answer_score(uptake_surveys* surveys, const char* survey_id,
                                                int64_t score) {
  if (!surveys || !survey_id) return null_argument();
  return c_result(surveys->plugin->answered(survey_id, static_cast<std::int64_t>(score)));
}

uptake_survey_status uptake_survey_answer_choice(uptake_surveys* surveys, const char* survey_id,
                                                 const char* choice) {
  if (!surveys || !survey_id || !choice) return null_argument();
  return c_result(surveys->plugin->answered(survey_id, std::string_view(choice)));
}

uptake_survey_status uptake_survey_dismissed(uptake_surveys* surveys, const char* survey_id) {
  if (!surveys || !survey_id) return null_argument();
  return c_result(surveys->plugin->dismissed(survey_id));
}

uptake_status uptake_survey_explain(uptake_surveys* surveys, const char* survey_id, char* buf,
                                    size_t len, int* would_show) {
  if (!surveys || !survey_id || !buf || len == 0)
    return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  try {
    const uptake::SurveyExplanation e = surveys->plugin->explain(survey_id);
    const size_t n = std::min(len - 1, e.reason.size());
    std::memcpy(buf, e.reason.data(), n);
    buf[n] = '\0';
    if (would_show) *would_show = e.would_show ? 1 : 0;
  } catch (...) {
    return uptake::c_api_fail(UPTAKE_ERR_INTERNAL, "out of memory");
  }
  return UPTAKE_OK;
}

}  // extern "C"
