#include "storage/store.hpp"

#include "uptake_common/remote_config.hpp"

namespace uptake::collector {

Report Store::report(ReportRequest request) {
  if (auto config = get_config(request.app)) {
    const detail::RemoteConfig parsed = detail::parse_remote_config(config->body);
    request.key_actions = parsed.key_actions;
    for (const detail::SurveyRule& s : parsed.surveys)
      request.survey_kinds.emplace(s.id, std::string(detail::survey_kind_name(s.kind)));
  }
  return compute_report(request);
}

}  // namespace uptake::collector
