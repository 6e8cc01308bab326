// uptake-simulate: plays a population of people through the notes app's features over
// simulated days, driving the real SDK and its plugins with a simulated clock, and sends
// their events to a collector. Seeded: the same flags give the same event stream (ids aside).
//
// Usage: uptake-simulate --endpoint URL --write-key KEY [--users N] [--days D] [--seed S]
//                        [--end-date YYYY-MM-DD] [--data DIR] [--ca FILE]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "notes_tips.hpp"
#include "population.hpp"
#include "uptake/feature_tips.hpp"
#include "uptake/first_action.hpp"
#include "uptake/surveys.hpp"
#include "uptake/uptake.hpp"

using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                       kDay = 24 * kHour;

struct Options {
  std::string endpoint = "http://127.0.0.1:8080", write_key = "wk_test", ca_file;
  int users = 200, days = 28;
  std::uint64_t seed = 1;
  std::int64_t end_day_ms = 0;  // midnight UTC after the last simulated day
  std::string data_dir;
};

std::int64_t parse_date_ms(const std::string& ymd) {
  std::tm tm{};
  if (!strptime(ymd.c_str(), "%Y-%m-%d", &tm)) throw std::invalid_argument("bad date " + ymd);
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

Options parse(int argc, char** argv) {
  Options o;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  o.end_day_ms = (now_ms / kDay + 1) * kDay;  // through today (UTC)
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i], v = argv[i + 1];
    if (f == "--endpoint")
      o.endpoint = v;
    else if (f == "--write-key")
      o.write_key = v;
    else if (f == "--ca")
      o.ca_file = v;
    else if (f == "--users")
      o.users = std::stoi(v);
    else if (f == "--days")
      o.days = std::stoi(v);
    else if (f == "--seed")
      o.seed = std::stoull(v);
    else if (f == "--end-date")
      o.end_day_ms = parse_date_ms(v) + kDay;
    else if (f == "--data")
      o.data_dir = v;
    else
      throw std::invalid_argument("unknown option " + f);
  }
  if (o.data_dir.empty()) {
    o.data_dir =
        (std::filesystem::temp_directory_path() / ("uptake-simulate-" + std::to_string(o.seed)))
            .string();
  }
  return o;
}

struct Totals {
  std::uint64_t installs = 0, events = 0, sent = 0, tips_shown = 0, tips_clicked = 0,
                surveys_shown = 0, surveys_answered = 0, undelivered = 0;
};

// One install of one person, played day by day on its own simulated clock. The clock only
// moves forward: each session starts after the previous one ended.
class Install {
 public:
  Install(const Options& o, const simulate::Population& population, const simulate::Person& person,
          int device, std::mt19937_64& rng)
      : options_(o), person_(person), device_(device), rng_(rng) {
    if (person.account >= 0)
      account_ = &population.accounts[static_cast<std::size_t>(person.account)];
    clock_ = std::make_shared<std::atomic<std::int64_t>>(0);
    tips_ = std::make_shared<uptake::FeatureTips>([this](const uptake::Tip& tip) {
      std::lock_guard lock(prompt_mutex_);
      pending_tip_ = tip;
    });
    surveys_ = std::make_shared<uptake::Surveys>([this](const uptake::Survey& survey) {
      std::lock_guard lock(prompt_mutex_);
      pending_survey_ = survey;
    });
    first_action_ = std::make_shared<uptake::FirstAction>();
    data_dir_ = (std::filesystem::path(o.data_dir) /
                 ("p" + std::to_string(person.index) + "-d" + std::to_string(device)))
                    .string();
    std::filesystem::remove_all(data_dir_);  // every run simulates fresh installs
    start_ms_ = o.end_day_ms - static_cast<std::int64_t>(o.days) * kDay;
    first_day_ = person.join_day + device * 3;
    std::uniform_int_distribution<int> later(1, 5);
    identify_day_ = device == 1 || std::uniform_real_distribution<double>(0, 1)(rng_) < 0.8
                        ? first_day_
                        : first_day_ + later(rng_);
    clock_->store(start_ms_ + first_day_ * kDay + 9 * kHour);
    start_client(simulate::release_on(account_, first_day_, o.days));
  }

  void play(int days, Totals& totals) {
    std::uniform_real_distribution<double> u(0, 1);
    const auto& features = simulate::notes_features();
    bool first_session = true;
    for (int day = first_day_; day < days; ++day) {
      if (!first_session && u(rng_) < person_.churn_per_day) break;
      if (!first_session && u(rng_) > person_.active_day_chance) continue;
      // An app update is a restart on the new release (the staged roll-out).
      const std::string release = simulate::release_on(account_, day, days);
      if (release != version_) start_client(release);
      const int sessions = 1 + (u(rng_) < 0.3 ? 1 : 0);
      for (int s = 0; s < sessions; ++s) {
        const std::int64_t hour = 8 + static_cast<std::int64_t>(u(rng_) * 12);
        const std::int64_t proposed =
            start_ms_ + day * kDay + hour * kHour + static_cast<std::int64_t>(u(rng_) * kHour);
        // Never before the last event: a session after a pause of at least half an hour.
        clock_->store(std::max(proposed, clock_->load() + 35 * kMinute));
        if (!person_.user_id.empty() && !identified_ && day >= identify_day_) sign_in();
        first_session = false;
        const int events = 3 + static_cast<int>(u(rng_) * 10);
        for (int e = 0; e < events; ++e) {
          for (const auto& f : features) {
            if (!found_.contains(f.name) && u(rng_) < f.discover_per_session / events)
              found_.insert(f.name);
          }
          std::vector<const simulate::FeatureModel*> habits;
          for (const auto& f : features) {
            if (found_.contains(f.name) && u(rng_) < f.habit) habits.push_back(&f);
          }
          const std::string name =
              habits.empty()
                  ? "create_note"
                  : habits[static_cast<std::size_t>(u(rng_) * static_cast<double>(habits.size()))]
                        ->name;
          found_.insert(name);
          use(name, totals);
          react_to_tip(totals);
          react_to_survey(totals);
          clock_->fetch_add(10 * kSecond + static_cast<std::int64_t>(u(rng_) * 80 * kSecond));
        }
      }
    }
  }

  void finish(Totals& totals) {
    client_->flush(120s);
    const auto s = client_->stats();
    totals.sent += s.sent;
    totals.undelivered += s.spooled_events + s.queued;
    ++totals.installs;
    client_->shutdown(5s);
  }

 private:
  void start_client(const std::string& version) {
    if (client_) {
      client_->flush(120s);
      client_->shutdown(5s);
      client_.reset();
    }
    version_ = version;
    uptake::Config c;
    c.endpoint = options_.endpoint;
    c.write_key = options_.write_key;
    c.tls_ca_file = options_.ca_file;
    c.app_version = version;
    c.data_dir = data_dir_;
    c.clock = [clk = clock_] { return clk->load(); };
    c.plugins = {tips_, surveys_, first_action_};
    c.default_remote_config = notes::kTipsConfig;
    c.fetch_remote_config = false;  // the shipped tips: the same run gives the same stream
    c.flush_interval_ms = std::chrono::hours(1);  // batches by size; flushed at the end
    c.queue_capacity = 1 << 14;
    c.request_timeout_ms = 60s;
    client_ = std::make_unique<uptake::Client>(c);
  }

  // Signing in ties the install to the person and, for people of a company, the company.
  void sign_in() {
    identified_ = true;
    const std::string plan = account_ ? account_->plan : "free";
    client_->identify(person_.user_id, {{"plan", plan}, {"role", person_.role}});
    if (account_) {
      client_->group(account_->id, {{"name", account_->name},
                                    {"plan", account_->plan},
                                    {"wave", account_->pilot ? "pilot" : "later"}});
    }
  }

  void use(const std::string& feature, Totals& totals) {
    client_->track(feature);
    ++totals.events;
    client_->wait_processed(5s);  // the plugins react before the person's next move
  }

  void react_to_tip(Totals& totals) {
    std::optional<uptake::Tip> tip;
    {
      std::lock_guard lock(prompt_mutex_);
      tip.swap(pending_tip_);
    }
    if (!tip) return;
    ++totals.tips_shown;
    std::uniform_real_distribution<double> u(0, 1);
    const double r = u(rng_);
    clock_->fetch_add(5 * kSecond);
    if (r < 0.35) {
      tips_->clicked(tip->id);
      ++totals.tips_clicked;
      client_->wait_processed(5s);
      for (const auto& f : simulate::notes_features()) {
        if (f.name == tip->feature && u(rng_) < f.tip_lift) {
          found_.insert(f.name);
          clock_->fetch_add(20 * kSecond);
          use(f.name, totals);
        }
      }
    } else if (r < 0.75) {
      const double how = u(rng_);
      tips_->dismissed(tip->id,
                       how < 0.1   ? uptake::Dismissal::forever
                       : how < 0.4 ? uptake::Dismissal::snooze
                                   : uptake::Dismissal::close,
                       24);
      client_->wait_processed(5s);
    }
  }

  // Most people answer (a score that follows their account's health and what they have found),
  // some close the survey, some ignore it.
  void react_to_survey(Totals& totals) {
    std::optional<uptake::Survey> survey;
    {
      std::lock_guard lock(prompt_mutex_);
      survey.swap(pending_survey_);
    }
    if (!survey) return;
    ++totals.surveys_shown;
    std::uniform_real_distribution<double> u(0, 1);
    const double r = u(rng_);
    clock_->fetch_add(15 * kSecond);
    if (r < 0.6) {
      const double health = account_ ? account_->health : 1;
      const uptake::SurveyResult result =
          survey->kind == uptake::SurveyKind::choice
              ? surveys_->answered(survey->id,
                                   std::string_view(survey->choices.at(static_cast<std::size_t>(
                                       u(rng_) * static_cast<double>(survey->choices.size())))))
              : surveys_->answered(survey->id, std::int64_t{simulate::survey_score(
                                                   survey->min_score, survey->max_score, health,
                                                   found_.size(), u(rng_))});
      if (!result) throw std::runtime_error("survey answer refused: " + result.message);
      ++totals.surveys_answered;
    } else if (r < 0.85) {
      surveys_->dismissed(survey->id);
    }
    client_->wait_processed(5s);
  }

  const Options& options_;
  const simulate::Person& person_;
  const simulate::Account* account_ = nullptr;
  int device_;
  std::mt19937_64& rng_;
  std::string data_dir_, version_;
  std::int64_t start_ms_ = 0;
  int first_day_ = 0, identify_day_ = 0;
  bool identified_ = false;
  std::shared_ptr<std::atomic<std::int64_t>> clock_;
  std::shared_ptr<uptake::FeatureTips> tips_;
  std::shared_ptr<uptake::Surveys> surveys_;
  std::shared_ptr<uptake::FirstAction> first_action_;
  std::unique_ptr<uptake::Client> client_;
  std::mutex prompt_mutex_;
  std::optional<uptake::Tip> pending_tip_;
  std::optional<uptake::Survey> pending_survey_;
  std::set<std::string> found_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "uptake-simulate: " << e.what() << "\n";
    return 2;
  }
  const auto population = simulate::make_population(o.users, o.days, o.seed);
  Totals totals;
  try {
    for (const auto& person : population.people) {
      std::mt19937_64 rng(o.seed * 1000003 + static_cast<std::uint64_t>(person.index));
      for (int device = 0; device < (person.second_device ? 2 : 1); ++device) {
        Install install(o, population, person, device, rng);
        install.play(o.days, totals);
        install.finish(totals);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "uptake-simulate: " << e.what() << "\n";
    return 1;
  }
  std::printf(
      "simulated %d people, %llu installs, %d days: %llu feature uses, %llu tips shown, "
      "%llu clicked, %llu surveys shown, %llu answered; %llu events delivered, %llu "
      "undelivered\n",
      o.users, static_cast<unsigned long long>(totals.installs), o.days,
      static_cast<unsigned long long>(totals.events),
      static_cast<unsigned long long>(totals.tips_shown),
      static_cast<unsigned long long>(totals.tips_clicked),
      static_cast<unsigned long long>(totals.surveys_shown),
      static_cast<unsigned long long>(totals.surveys_answered),
      static_cast<unsigned long long>(totals.sent),
      static_cast<unsigned long long>(totals.undelivered));
  return totals.undelivered == 0 ? 0 : 1;
}
