#include "population.hpp"

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

std::vector<Person> make_population(int count, int days, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Person> people;
  for (int i = 0; i < count; ++i) {
    Person p;
    p.index = i;
    p.join_day = static_cast<int>(u(rng) * std::max(1, days / 2));
    p.active_day_chance = 0.25 + 0.65 * u(rng);
    p.churn_per_day = 0.005 + 0.04 * u(rng);
    if (u(rng) < 0.35) {
      p.user_id = "user-" + std::to_string(1000 + i);
      p.second_device = u(rng) < 0.25;
    }
    people.push_back(std::move(p));
  }
  return people;
}

}  // namespace simulate
