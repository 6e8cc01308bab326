#pragma once
// The adoption model the simulator plays: how discoverable each notes feature is, how habits
// form, how people come back or churn, and who signs in on a second device.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace simulate {

struct FeatureModel {
  std::string name;
  double discover_per_session;  // chance a person finds it on their own in a session
  double habit;                 // once found, chance it is part of a given session
  double tip_lift;              // chance a person who clicks its tip starts using it
};

/// The notes app's features, most to least discoverable.
const std::vector<FeatureModel>& notes_features();

struct Person {
  int index = 0;
  std::string user_id;           // empty: never signs in
  bool second_device = false;    // signs in on a second install too
  int join_day = 0;              // first day of use, from the simulation's start
  double active_day_chance = 0;  // chance of using the app on a given day
  double churn_per_day = 0;      // chance of leaving for good, per day
};

/// `count` people, reproducible from `seed`, joining over the first half of `days`.
std::vector<Person> make_population(int count, int days, std::uint64_t seed);

}  // namespace simulate
