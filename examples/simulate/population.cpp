#include "population.hpp"

#include <algorithm>
#include <cmath>

namespace simulate {

const std::vector<FeatureModel>& notes_features() {
  static const std::vector<FeatureModel> features = {
      {"create_note", 0.95, 0.85, 1.0}, {"list_notes", 0.60, 0.70, 0.9},
      {"open_note", 0.55, 0.75, 0.9},   {"edit_note", 0.40, 0.60, 0.8},
      {"search", 0.12, 0.45, 0.7},      {"tag_note", 0.06, 0.35, 0.6},
      {"pin_note", 0.05, 0.20, 0.5},    {"archive_note", 0.05, 0.15, 0.4},
      {"export_note", 0.03, 0.25, 0.6}, {"share_link", 0.02, 0.20, 0.5},
  };
  return features;
}

Population make_population(int count, int days, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Population out;
  // Accounts until they hold about 85% of the people; sizes from a heavy tail in 3..500.
  int seats_left = count * 85 / 100;
  static const char* plans[] = {"free", "pro", "pro", "enterprise"};
  static const char* names[] = {"Acme",  "Globex", "Initech", "Umbrella",  "Hooli",
                                "Stark", "Wayne",  "Tyrell",  "Cyberdyne", "Soylent"};
  while (seats_left > 0) {
    Account a;
    const int n = static_cast<int>(out.accounts.size());
    a.id = "acct-" + std::to_string(100 + n);
    a.name = std::string(names[n % 10]) + (n >= 10 ? " " + std::to_string(n / 10 + 1) : "");
    a.plan = plans[rng() % 4];
    a.pilot = u(rng) < 0.2;
    a.health = 0.35 + 0.65 * u(rng);
    // Few large accounts, many small ones; never one account for a small population.
    const int seats =
        std::min({500, std::max(3, count / 4), 3 + static_cast<int>(std::pow(u(rng), 3) * 200)});
    for (int s = 0; s < seats && seats_left > 0; ++s, --seats_left) {
      Person p;
      p.account = n;
      out.people.push_back(p);
    }
    out.accounts.push_back(std::move(a));
  }
  while (static_cast<int>(out.people.size()) < count) out.people.emplace_back();
  std::shuffle(out.people.begin(), out.people.end(), rng);
  static const char* roles[] = {"admin", "member", "member", "member", "viewer"};
  for (int i = 0; i < count; ++i) {
    Person& p = out.people[static_cast<std::size_t>(i)];
    const double health =
        p.account >= 0 ? out.accounts[static_cast<std::size_t>(p.account)].health : 1;
    p.index = i;
    p.join_day = static_cast<int>(u(rng) * std::max(1, days / 2));
    p.active_day_chance = (0.25 + 0.65 * u(rng)) * health;
    p.churn_per_day = (0.005 + 0.04 * u(rng)) / health;
    p.role = roles[rng() % 5];
    // People of an account sign in (that is how they join it); personal users sometimes do.
    if (p.account >= 0 || u(rng) < 0.35) {
      p.user_id = "user-" + std::to_string(1000 + i);
      p.second_device = u(rng) < 0.25;
    }
  }
  return out;
}

int survey_score(int min_score, int max_score, double health, std::size_t features_found,
                 double noise) {
  const double satisfaction = std::clamp(
      0.1 + 0.45 * health + 0.05 * static_cast<double>(features_found) + 0.3 * (noise - 0.5), 0.0,
      1.0);
  return min_score + static_cast<int>(std::lround(satisfaction * (max_score - min_score)));
}

std::string release_on(const Account* account, int day, int days) {
  const int rollout = account && account->pilot ? days / 3 : 2 * days / 3;
  return day >= rollout ? "1.5.0" : "1.4.0";
}

}  // namespace simulate
