#pragma once
// The adoption model the simulator plays: how discoverable each notes feature is, how habits
// form, how people come back or churn, and who signs in on a second device.

#include <cstddef>
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

/// A customer of the app: a company whose people sign in and join it with group().
struct Account {
  std::string id, name;
  std::string plan;    // free, pro or enterprise: a trait of its people and of the account
  bool pilot = false;  // in the pilot wave: gets the new version first
  double health = 1;   // < 1: its people come back less often and leave sooner
};

struct Person {
  int index = 0;
  std::string user_id;           // empty: never signs in
  bool second_device = false;    // signs in on a second install too
  int join_day = 0;              // first day of use, from the simulation's start
  double active_day_chance = 0;  // chance of using the app on a given day
  double churn_per_day = 0;      // chance of leaving for good, per day
  int account = -1;              // index into the accounts; -1: a personal user
  std::string role;              // admin, member or viewer (a trait)
};

struct Population {
  std::vector<Account> accounts;
  std::vector<Person> people;
};

/// `count` people, reproducible from `seed`, joining over the first half of `days`: most of
/// them in accounts of 3..500 seats (sizes skewed: few large, many small), some accounts
/// healthier than others, one in five in the pilot wave.
Population make_population(int count, int days, std::uint64_t seed);

/// How a person answers a score survey on the scale min_score..max_score: satisfaction grows
/// with their account's health and with the features they have found, so scores differ by
/// account and by adoption. `noise` is uniform in [0, 1).
int survey_score(int min_score, int max_score, double health, std::size_t features_found,
                 double noise);

/// The release an install runs on `day`: the pilot wave gets 1.5.0 a third of the way in,
/// everyone else two thirds of the way in.
std::string release_on(const Account* account, int day, int days);

}  // namespace simulate
