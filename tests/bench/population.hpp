#pragma once
// Populations for the collector benchmarks, as streams of stored events in arrival order.
//
// Realistic (the default): ~100 events per person over 90 days from people who come back on
// many days (active days heavy-tailed: median ~12, power users on 60+), one to three sessions
// a day, 30 features of Zipf popularity, 10% of persons on two devices, identifies that arrive
// days after the first events for 20%, traits (plan, role), 2,000 accounts of Zipf sizes with
// group events, a staged release (pilot accounts first), tips with control groups, first
// actions and surveys.
//
// Bursty (the first benchmark's): each person active in one or two bursts.

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "storage/event.hpp"

namespace uptake::bench {

inline constexpr std::int64_t kDayMs = 86'400'000;
/// The end (exclusive) of the 90 simulated days: a UTC midnight.
inline constexpr std::int64_t kEndMs = 1'795'000'000'000 / kDayMs * kDayMs;
inline constexpr int kDays = 90;

enum class PopulationKind { realistic, bursty };

class Population {
 public:
  /// About `events` events of `kind`, reproducible.
  Population(PopulationKind kind, std::size_t events);
  ~Population();
  /// The next events, at most `n`, in arrival order; false when all were given.
  bool next(std::vector<collector::Event>& out, std::size_t n);
  /// The persons the population has (for the figures' context).
  [[nodiscard]] std::size_t persons() const;

  /// A mid-size account, a trait value and a version the segment benchmarks cut by.
  static const char* sample_account() { return "account-40"; }
  static const char* sample_plan() { return "pro"; }
  static const char* sample_version() { return "1.5.0"; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The NDJSON lines of `events`, as a client sends them.
std::string ndjson_of(const std::vector<collector::Event>& events);

}  // namespace uptake::bench
