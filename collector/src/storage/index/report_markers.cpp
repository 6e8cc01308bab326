// Reports on the SDK's marker events: tips (with the control group's lift) and surveys.

#include <map>

#include "storage/index/report_scope.hpp"

namespace uptake::collector::index_detail {

Report tips(const Scope& s) {
  struct PersonTip {
    std::int64_t first_shown = INT64_MAX, first_held = INT64_MAX;
    bool clicked = false, dismissed = false;
  };
  struct TipData {
    std::int64_t feature_ts = INT64_MAX;  // F: the feature of the tip's earliest shown/held event
    std::string_view feature_id;
    std::uint32_t feature = kNone;
    bool seen = false;
    // Persons come in order, so each one's entry is the last one while they are handled.
    std::vector<std::pair<std::uint32_t, PersonTip>> persons;
    PersonTip& of(std::uint32_t p) {
      if (persons.empty() || persons.back().first != p) persons.emplace_back(p, PersonTip{});
      return persons.back().second;
    }
  };
  std::map<std::uint32_t, TipData> by_tip;
  for (std::uint32_t p : s.members) {
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const Marker& m : s.actor(a).markers) {
        if (m.kind > MarkerKind::tip_held_out || m.subject == kNone || !s.in_window(m.ts)) continue;
        TipData& t = by_tip[m.subject];
        PersonTip& pt = t.of(p);
        switch (m.kind) {
          case MarkerKind::tip_shown:
          case MarkerKind::tip_held_out: {
            t.seen = true;
            const std::string_view id =
                m.id == kNone ? std::string_view() : s.index.event_ids.name(m.id);
            if (m.ts < t.feature_ts || (m.ts == t.feature_ts && id < t.feature_id)) {
              t.feature_ts = m.ts;
              t.feature_id = id;
              t.feature = m.feature;
            }
            auto& first = m.kind == MarkerKind::tip_shown ? pt.first_shown : pt.first_held;
            first = std::min(first, m.ts);
            break;
          }
          case MarkerKind::tip_clicked:
            pt.clicked = true;
            break;
          default:
            pt.dismissed = true;
        }
      }
    }
  }
  std::vector<TipFigures> rows;
  for (const auto& [tip, t] : by_tip) {
    if (!t.seen) continue;  // only clicks or dismissals: not a row
    TipFigures f;
    f.tip = std::string(s.index.tips.name(tip));
    f.feature = t.feature == kNone ? "" : std::string(s.index.features.name(t.feature));
    // A use of F counts only when F is a feature name.
    const bool convertible = t.feature != kNone && !f.feature.starts_with('$');
    for (const auto& [p, pt] : t.persons) {
      f.clicked += pt.clicked;
      f.dismissed += pt.dismissed;
      if (pt.first_shown != INT64_MAX) {
        ++f.shown;
        f.converted += convertible && used_within_a_week_after(s, p, t.feature, pt.first_shown);
      }
      if (pt.first_held != INT64_MAX) {
        ++f.held_out;
        f.held_out_converted +=
            convertible && used_within_a_week_after(s, p, t.feature, pt.first_held);
      }
    }
    rows.push_back(std::move(f));
  }
  return tips_report(std::move(rows));
}

Report surveys(const Scope& s) {
  struct Answer {
    std::int64_t ts = INT64_MIN;
    std::string_view id;
    const Marker* marker = nullptr;
  };
  struct PersonSurvey {
    bool shown = false, dismissed = false;
    Answer latest;  // the answer that counts: the latest (equal times: greatest event id)
  };
  struct SurveyData {
    bool seen = false;
    std::vector<std::pair<std::uint32_t, PersonSurvey>> persons;  // in person order
    PersonSurvey& of(std::uint32_t p) {
      if (persons.empty() || persons.back().first != p) persons.emplace_back(p, PersonSurvey{});
      return persons.back().second;
    }
  };
  std::map<std::uint32_t, SurveyData> by_survey;
  for (std::uint32_t p : s.members) {
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const Marker& m : s.actor(a).markers) {
        if (m.kind < MarkerKind::survey_shown || m.subject == kNone || !s.in_window(m.ts)) continue;
        SurveyData& d = by_survey[m.subject];
        PersonSurvey& ps = d.of(p);
        if (m.kind == MarkerKind::survey_shown) {
          d.seen = true;
          ps.shown = true;
        } else if (m.kind == MarkerKind::survey_dismissed) {
          ps.dismissed = true;
        } else {
          d.seen = true;
          const std::string_view id = s.index.event_ids.name(m.id);
          if (!ps.latest.marker || m.ts > ps.latest.ts ||
              (m.ts == ps.latest.ts && id > ps.latest.id))
            ps.latest = {m.ts, id, &m};
        }
      }
    }
  }
  std::vector<SurveyFigures> rows;
  for (const auto& [survey, d] : by_survey) {
    if (!d.seen) continue;
    SurveyFigures f;
    f.survey = std::string(s.index.surveys.name(survey));
    const auto kind = s.request.survey_kinds.find(f.survey);
    f.kind = kind == s.request.survey_kinds.end() ? "" : kind->second;
    for (const auto& [p, ps] : d.persons) {
      f.shown += ps.shown;
      f.dismissed += ps.dismissed;
      const Marker* answer = ps.latest.marker;
      if (!answer) continue;
      ++f.answered;
      if (answer->has_value) f.scores.push_back(answer->value);
      if (answer->choice != kNone) ++f.choices[std::string(s.index.choices.name(answer->choice))];
    }
    rows.push_back(std::move(f));
  }
  return surveys_report(std::move(rows));
}

}  // namespace uptake::collector::index_detail
