#include "storage/index/persons.hpp"

#include <algorithm>

namespace uptake::collector {

PersonTable::PersonTable(const AppIndex& index)
    : index_(index), generation_(index.identity_generation()) {
  const auto& actors = index.actors();
  const auto n = static_cast<std::uint32_t>(actors.size());
  // The actor each actor's events count for: itself for a user; for an anon, its tie, else a
  // user of the same name (persons are ids: the same string is the same person), else itself.
  std::vector<std::uint32_t> canonical_of(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const Actor& a = actors[i];
    std::uint32_t c = i;
    if (!a.is_user) {
      if (a.tie != kNone) {
        c = a.tie;
      } else if (const std::uint32_t same = index.find_user(a.name); same != kNone) {
        c = same;
      }
    }
    canonical_of[i] = c;
  }
  std::vector<std::uint32_t> position(n, kNone);
  person_of_.assign(n, kNone);
  std::vector<std::uint32_t> counts;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t& p = position[canonical_of[i]];
    if (p == kNone) {
      p = static_cast<std::uint32_t>(canonical_.size());
      canonical_.push_back(canonical_of[i]);
      counts.push_back(0);
    }
    person_of_[i] = p;
    ++counts[p];
  }
  const auto persons = static_cast<std::uint32_t>(canonical_.size());
  offsets_.assign(persons + 1, 0);
  for (std::uint32_t p = 0; p < persons; ++p) offsets_[p + 1] = offsets_[p] + counts[p];
  members_.resize(n);
  std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (std::uint32_t i = 0; i < n; ++i) members_[fill[person_of_[i]]++] = i;

  first_seen_.assign(persons, INT64_MAX);
  account_.assign(persons, kNone);
  std::vector<std::int64_t> install(persons, INT64_MAX), group_ts(persons, INT64_MIN);
  for (std::uint32_t i = 0; i < n; ++i) {
    const Actor& a = actors[i];
    const std::uint32_t p = person_of_[i];
    first_seen_[p] = std::min(first_seen_[p], a.first_ts);
    install[p] = std::min(install[p], a.install_ts);
    if (a.account == kNone) continue;
    const bool later = a.group_ts > group_ts[p] ||
                       (a.group_ts == group_ts[p] &&
                        (account_[p] == kNone ||
                         index.accounts.name(a.account) > index.accounts.name(account_[p])));
    if (account_[p] == kNone || later) {
      group_ts[p] = a.group_ts;
      account_[p] = a.account;
    }
  }
  for (std::uint32_t p = 0; p < persons; ++p) {
    if (install[p] != INT64_MAX) first_seen_[p] = install[p];
  }
}

std::string_view PersonTable::name(std::uint32_t person) const {
  return index_.actors()[canonical_[person]].name;
}

const TraitValue* PersonTable::trait(std::uint32_t person, std::uint32_t key) const {
  const TraitValue* best = nullptr;
  for (std::uint32_t actor : actors_of(person)) {
    for (const TraitValue& t : index_.actors()[actor].traits) {
      if (t.key != key) continue;
      if (!best || t.ts > best->ts ||
          (t.ts == best->ts &&
           index_.event_ids.name(t.event_id) > index_.event_ids.name(best->event_id))) {
        best = &t;
      }
    }
  }
  return best;
}

}  // namespace uptake::collector
