#include "survey_history.hpp"

#include <charconv>
#include <cstdio>

namespace uptake::surveys_detail {
namespace {

std::int64_t state_int(const PluginContext& ctx, std::string_view key) {
  const auto s = ctx.get_state(key);
  std::int64_t v = 0;
  if (s) std::from_chars(s->data(), s->data() + s->size(), v);
  return v;
}

template <typename Fn>
void each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl > 0) fn(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

std::string joined(const std::set<std::string, std::less<>>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

}  // namespace

InstallHistory load_history(const PluginContext& ctx) {
  InstallHistory h;
  h.install_ms = state_int(ctx, "install_ms");
  h.sessions = state_int(ctx, "sessions");
  if (auto used = ctx.get_state("used")) each_line(*used, [&](auto f) { h.used.emplace(f); });
  if (auto ids = ctx.get_state("surveys")) {
    each_line(*ids, [&](std::string_view id) {
      const auto rec = ctx.get_state("survey:" + std::string(id));
      long long impressions = 0, last = 0, dismissals = 0, session = 0;
      int open = 0, answered = 0;
      if (rec && std::sscanf(rec->c_str(), "%lld %lld %lld %lld %d %d", &impressions, &last,
                             &dismissals, &session, &open, &answered) == 6) {
        h.surveys[std::string(id)] =
            SurveyHistory{impressions, last, dismissals, session, open != 0, answered != 0};
      }
    });
  }
  return h;
}

void save_survey(PluginContext& ctx, const std::string& survey_id, const SurveyHistory& h) {
  char rec[128];
  std::snprintf(rec, sizeof rec, "%lld %lld %lld %lld %d %d", static_cast<long long>(h.impressions),
                static_cast<long long>(h.last_impression_ms), static_cast<long long>(h.dismissals),
                static_cast<long long>(h.shown_in_session), h.open ? 1 : 0, h.answered ? 1 : 0);
  ctx.set_state("survey:" + survey_id, rec);
  const std::string ids = ctx.get_state("surveys").value_or("");
  if (("\n" + ids + "\n").find("\n" + survey_id + "\n") == std::string::npos) {
    ctx.set_state("surveys", ids.empty() ? survey_id : ids + "\n" + survey_id);
  }
}

void save_counters(PluginContext& ctx, const InstallHistory& h) {
  ctx.set_state("install_ms", std::to_string(h.install_ms));
  ctx.set_state("sessions", std::to_string(h.sessions));
  ctx.set_state("used", joined(h.used));
}

}  // namespace uptake::surveys_detail
