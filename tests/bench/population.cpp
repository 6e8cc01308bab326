#include "population.hpp"

#include <algorithm>
#include <cmath>

#include "uptake_common/json_writer.hpp"

namespace uptake::bench {
namespace {

using collector::Event;
using collector::EventType;
constexpr std::int64_t kHourMs = 3'600'000;
constexpr int kFeatures = 30;
constexpr int kAccounts = 2000;
const std::int64_t kStartMs = kEndMs - kDays * kDayMs;

// Zipf weights 1/(rank+1)^s.
std::discrete_distribution<int> zipf(int n, double s) {
  std::vector<double> w;
  for (int i = 0; i < n; ++i) w.push_back(1.0 / std::pow(i + 1, s));
  return {w.begin(), w.end()};
}

std::string feature_name(int f) {
  return "feature-" + std::string(f < 10 ? "0" : "") + std::to_string(f);
}

struct Person {
  int account = -1;  // -1: none
  bool two_devices = false;
  bool identifies = false;
  int join_day = 0, identify_day = 0;
  bool pilot = false;
  const char* role = "member";
};

struct Session {
  std::int64_t start;
  std::uint32_t person;
  std::uint16_t events;
  std::uint8_t device;
  bool first_of_device;
};

}  // namespace

struct Population::Impl {
  PopulationKind kind;
  std::size_t total, made = 0;
  std::mt19937_64 rng{2026};
  std::vector<Person> persons;
  std::vector<Session> sessions;
  std::size_t session = 0;  // next session to play
  std::discrete_distribution<int> feature = zipf(kFeatures, 1.1);
  // Bursty generator state.
  std::size_t burst_left = 0, burst_person = 0;

  Impl(PopulationKind k, std::size_t events) : kind(k), total(events) {
    if (kind == PopulationKind::realistic) plan_realistic();
  }

  int pick(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
  double unit() { return std::uniform_real_distribution<double>(0, 1)(rng); }

  void plan_realistic() {
    const std::size_t n = std::max<std::size_t>(1000, total / 100);
    auto account_of = zipf(kAccounts, 1.0);
    std::lognormal_distribution<double> active_days(std::log(12.0), 1.0);
    persons.resize(n);
    for (std::uint32_t p = 0; p < n; ++p) {
      Person& person = persons[p];
      person.account = unit() < 0.85 ? account_of(rng) : -1;
      person.pilot = person.account >= 0 && person.account % 10 == 0;
      person.two_devices = unit() < 0.10;
      person.identifies = unit() < 0.7;
      person.join_day = pick(kDays - 10);
      person.identify_day = person.join_day + (unit() < 0.2 ? 2 + pick(10) : 0);
      static const char* roles[] = {"admin", "member", "member", "viewer"};
      person.role = roles[pick(4)];
      const int span = kDays - person.join_day;
      const int days = std::clamp(static_cast<int>(active_days(rng)), 1, span);
      // Distinct active days: the first, then a sample of the rest.
      std::vector<int> chosen{person.join_day};
      for (int d = person.join_day + 1; d < kDays && static_cast<int>(chosen.size()) < days; ++d) {
        if (unit() < static_cast<double>(days - chosen.size()) / (kDays - d)) chosen.push_back(d);
      }
      bool first[2] = {true, true};
      for (int day : chosen) {
        const int count = 1 + (unit() < 0.4 ? 1 : 0) + (unit() < 0.15 ? 1 : 0);
        std::int64_t at = kStartMs + day * kDayMs + 7 * kHourMs + pick(4) * kHourMs;
        for (int s = 0; s < count; ++s) {
          const std::uint8_t device = person.two_devices && unit() < 0.3 ? 1 : 0;
          sessions.push_back({at, p, 0, device, first[device]});
          first[device] = false;
          at += kHourMs + pick(static_cast<int>(3 * kHourMs));
        }
      }
    }
    // Spread the events over the sessions: about the same number each, power users more.
    const double per_session = static_cast<double>(total) / static_cast<double>(sessions.size());
    std::poisson_distribution<int> events(std::max(1.0, per_session - 1));
    for (Session& s : sessions)
      s.events = static_cast<std::uint16_t>(1 + std::min(events(rng), 400));
    std::sort(sessions.begin(), sessions.end(),
              [](const Session& a, const Session& b) { return a.start < b.start; });
  }

  Event base(std::uint32_t p, int device, std::int64_t ts, bool identified) {
    Event e;
    e.id = "ev-" + std::to_string(made++);
    e.anon = "anon-" + std::to_string(p) + (device ? "-b" : "");
    if (identified) e.user = "user-" + std::to_string(p);
    e.ts = e.client_ts = e.received_at = ts;
    return e;
  }

  void play(const Session& s, std::vector<Event>& out) {
    const Person& person = persons[s.person];
    const int day = static_cast<int>((s.start - kStartMs) / kDayMs);
    const bool identified = person.identifies && day >= person.identify_day;
    const int rollout = person.pilot ? 30 : 60;
    const std::string version = day >= rollout ? "1.5.0" : "1.4.0";
    const std::string session = "s-" + std::to_string(s.person) + "-" + std::to_string(s.start);
    std::int64_t ts = s.start;
    auto add = [&](Event e) {
      e.session = session;
      e.app_version = version;
      out.push_back(std::move(e));
    };
    if (s.first_of_device) {
      Event install = base(s.person, s.device, ts++, false);
      install.name = "$install";
      add(std::move(install));
    }
    if (identified && (day == person.identify_day || s.first_of_device)) {
      Event id = base(s.person, s.device, ts++, true);
      id.type = EventType::identify;
      id.props = std::string(R"({"plan":")") + (person.account % 3 == 0 ? "pro" : "free") +
                 R"(","role":")" + person.role + "\"}";
      add(std::move(id));
    }
    if (person.account >= 0 && s.first_of_device) {
      Event g = base(s.person, s.device, ts++, identified);
      g.type = EventType::group;
      g.account = "account-" + std::to_string(person.account);
      g.props = R"({"name":"Account )" + std::to_string(person.account) + R"(","wave":")" +
                (person.pilot ? "pilot" : "later") + "\"}";
      add(std::move(g));
    }
    Event start = base(s.person, s.device, ts++, identified);
    start.name = "$session_start";
    add(std::move(start));
    for (int i = 0; i < s.events && made < total; ++i) {
      ts += 5'000 + pick(60'000);
      Event e = base(s.person, s.device, ts, identified);
      const int kind = pick(1000);
      const int f = feature(rng);
      if (kind < 30) {
        static const char* tips[] = {"$tip_shown", "$tip_clicked", "$tip_dismissed",
                                     "$tip_held_out"};
        e.name = tips[kind % 4];
        e.props = R"({"tip":"tip-)" + std::to_string(f % 5) + R"(","feature":")" +
                  feature_name(f % 5 + 10) + "\"}";
      } else if (kind < 35) {
        e.name = "$first_action";
        e.props = R"({"feature":")" + feature_name(f) + R"(","ms_since_install":)" +
                  std::to_string(pick(1'000'000'000)) + "}";
      } else if (kind < 38) {
        e.name = "$survey_answered";
        e.props = R"({"survey":"nps-q4","score":)" + std::to_string(pick(11)) + "}";
      } else if (kind < 41) {
        e.name = "$survey_shown";
        e.props = R"({"survey":"nps-q4"})";
      } else {
        e.name = feature_name(f);
        if (kind % 3 == 0) e.props = R"({"source":"menu"})";
      }
      add(std::move(e));
    }
  }

  bool next_realistic(std::vector<Event>& out, std::size_t n) {
    while (out.size() < n && session < sessions.size() && made < total)
      play(sessions[session++], out);
    return !out.empty();
  }

  // The first benchmark's population: in time order, in bursts of one install's events.
  bool next_bursty(std::vector<Event>& out, std::size_t n) {
    static const char* features[] = {"create_note", "list_notes", "open_note", "edit_note",
                                     "search",      "tag_note",   "pin_note",  "archive_note",
                                     "export_note", "share_link"};
    static const double weights[] = {30, 20, 18, 12, 8, 5, 3, 2, 1.5, 0.5};
    std::discrete_distribution<int> pick_feature(std::begin(weights), std::end(weights));
    const std::size_t people = std::max<std::size_t>(1000, total / 100);
    while (out.size() < n && made < total) {
      Event e;
      e.id = "ev-" + std::to_string(made);
      e.ts = kStartMs + static_cast<std::int64_t>(made * (kDays * kDayMs / total));
      if (burst_left == 0) {
        burst_person = rng() % people;
        burst_left = 20 + rng() % 280;
      }
      --burst_left;
      const std::size_t p = burst_person;
      e.anon = "anon-" + std::to_string(p);
      if (p % 7 == 0) e.user = "user-" + std::to_string(p / 7);
      e.session = "s-" + std::to_string(p) + "-" + std::to_string(e.ts / (3 * kHourMs));
      e.received_at = e.client_ts = e.ts;
      const int kind = static_cast<int>(rng() % 100);
      if (kind < 2) {
        e.name = kind == 0 ? "$tip_shown" : "$tip_clicked";
        e.props = R"({"tip":"tip-search","feature":"search"})";
      } else if (kind == 2) {
        e.name = "$first_action";
        e.props =
            R"({"feature":"search","ms_since_install":)" + std::to_string(rng() % 10'000'000) + "}";
      } else if (kind == 3 && p % 5 == 1) {
        e.type = EventType::identify;
        e.user = "user-" + std::to_string(p / 5);
      } else if (kind == 4) {
        e.name = "$session_start";
      } else {
        e.name = features[pick_feature(rng)];
        e.props = R"({"source":"menu"})";
      }
      out.push_back(std::move(e));
      ++made;
    }
    return !out.empty();
  }
};

Population::Population(PopulationKind kind, std::size_t events)
    : impl_(std::make_unique<Impl>(kind, events)) {}
Population::~Population() = default;

bool Population::next(std::vector<Event>& out, std::size_t n) {
  out.clear();
  return impl_->kind == PopulationKind::realistic ? impl_->next_realistic(out, n)
                                                  : impl_->next_bursty(out, n);
}

std::size_t Population::persons() const {
  return impl_->kind == PopulationKind::realistic ? impl_->persons.size()
                                                  : std::max<std::size_t>(1000, impl_->total / 100);
}

std::string ndjson_of(const std::vector<Event>& events) {
  std::string out;
  for (const Event& e : events) {
    out += "{\"id\":";
    detail::append_json_string(out, e.id);
    out += ",\"type\":\"";
    out += collector::event_type_name(e.type);
    out += '"';
    auto field = [&](const char* key, const std::string& value) {
      if (value.empty()) return;
      out += ",\"";
      out += key;
      out += "\":";
      detail::append_json_string(out, value);
    };
    field("name", e.name);
    field("anon", e.anon);
    field("user", e.user);
    field("account", e.account);
    field("session", e.session);
    field("app_version", e.app_version);
    out += ",\"ts\":" + std::to_string(e.ts);
    if (!e.props.empty()) out += ",\"props\":" + e.props;
    out += "}\n";
  }
  return out;
}

}  // namespace uptake::bench
