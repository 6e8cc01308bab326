// Built against the installed SDK and plugins only: the public headers must be enough, for the
// static libraries and for libuptake.so alike (the plugins' classes, their C API and
// ConfigError included).
#include <uptake/surveys.h>
#include <uptake/feature_tips.hpp>
#include <uptake/first_action.hpp>
#include <uptake/surveys.hpp>
#include <uptake/uptake.hpp>

#include <cstdio>

int main() {
  uptake::Config config;
  config.endpoint = "ftp://invalid";
  config.plugins = {std::make_shared<uptake::Surveys>([](const uptake::Survey&) {}),
                    std::make_shared<uptake::FeatureTips>([](const uptake::Tip&) {}),
                    std::make_shared<uptake::FirstAction>()};
  uptake_surveys* c_surveys = uptake_surveys_new(nullptr, nullptr);
  if (!c_surveys || uptake_survey_answer_score(c_surveys, "x", 1) != UPTAKE_SURVEY_ERR_NOT_RUNNING)
    return 1;
  uptake_surveys_free(c_surveys);
  try {
    uptake::Client client(config);
  } catch (const uptake::ConfigError& e) {  // thrown inside the library, caught here
    std::puts(e.what());
    return 0;  // the libraries linked and validated the config
  }
  return 1;
}
