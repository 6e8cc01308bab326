#pragma once
// The persons of an app as METRICS.md defines them, derived from the actors of its activity
// index when a report runs: a user is a person; an anon is the person of the user its earliest
// identify names, else itself (and the same person as a user of the same name). Built in one
// pass over the actors; rebuilt whenever an identify or group event changes who is whom.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "storage/index/app_index.hpp"

namespace uptake::collector {

class PersonTable {
 public:
  explicit PersonTable(const AppIndex& index);

  [[nodiscard]] std::uint32_t size() const {
    return static_cast<std::uint32_t>(first_seen_.size());
  }
  /// The person (0 .. size()-1) of an actor.
  [[nodiscard]] std::uint32_t person_of(std::uint32_t actor) const { return person_of_[actor]; }
  /// The actors whose events are this person's.
  [[nodiscard]] std::span<const std::uint32_t> actors_of(std::uint32_t person) const {
    return {members_.data() + offsets_[person], offsets_[person + 1] - offsets_[person]};
  }
  /// The person's id: their user id, or their anon.
  [[nodiscard]] std::string_view name(std::uint32_t person) const;
  /// Earliest $install, else earliest event, all time (ms).
  [[nodiscard]] std::int64_t first_seen(std::uint32_t person) const { return first_seen_[person]; }
  /// The account of the person's latest group event, or kNone.
  [[nodiscard]] std::uint32_t account(std::uint32_t person) const { return account_[person]; }
  /// The person's trait `key` (their latest identify carrying it), or nullptr.
  [[nodiscard]] const TraitValue* trait(std::uint32_t person, std::uint32_t key) const;
  /// The generation of the index this table was built from.
  [[nodiscard]] std::uint64_t identity_generation() const { return generation_; }

 private:
  const AppIndex& index_;
  std::uint64_t generation_;
  std::vector<std::uint32_t> person_of_;  // by actor
  std::vector<std::uint32_t> canonical_;  // by person: the actor whose name it bears
  std::vector<std::uint32_t> offsets_;    // by person, into members_
  std::vector<std::uint32_t> members_;
  std::vector<std::int64_t> first_seen_;
  std::vector<std::uint32_t> account_;
};

}  // namespace uptake::collector
