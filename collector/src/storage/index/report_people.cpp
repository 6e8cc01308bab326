// Reports per account and per person, and per release: accounts, champions, releases.

#include <map>

#include "storage/index/report_scope.hpp"

namespace uptake::collector::index_detail {
namespace {

// The account trait `name` as a string, or "".
std::string account_name(const Scope& s, std::uint32_t account) {
  const std::uint32_t key = s.index.trait_keys.find("name");
  if (key == kNone) return "";
  const auto it = s.index.account_traits.find(AppIndex::account_trait_key(account, key));
  if (it == s.index.account_traits.end() || it->second.value == kNone) return "";
  return std::string(s.index.trait_values.name(it->second.value));
}

}  // namespace

Report accounts(const Scope& s) {
  std::vector<std::int32_t> day_scratch, previous_scratch;
  const auto actions = key_actions(s);
  std::vector<std::size_t> action_of(s.index.features.size(), kNone);
  for (std::size_t k = 0; k < actions.size(); ++k) {
    if (actions[k].feature != kNone) action_of[actions[k].feature] = k;
  }
  const std::int64_t days = s.to_day - s.from_day + 1;
  std::map<std::uint32_t, AccountFigures> by_account;
  std::vector<bool> used(actions.size());
  for (std::uint32_t p : s.members) {
    const std::uint32_t account = s.persons.account(p);
    if (account == kNone) continue;
    AccountFigures& f = by_account[account];
    f.key_action_users.resize(actions.size(), 0);
    f.seats += s.persons.first_seen(p) < s.end_ms();
    const auto active = active_days(s, p, s.from_day, s.to_day, day_scratch);
    f.previous_active_users +=
        !active_days(s, p, s.from_day - days, s.from_day - 1, previous_scratch).empty();
    if (active.empty()) continue;
    ++f.active_users;
    f.active_person_days += static_cast<std::int64_t>(active.size());
    std::fill(used.begin(), used.end(), false);
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const FeatureDay& fd : days_between(s.actor(a).feature_days, s.from_day, s.to_day)) {
        if (action_of[fd.feature] != kNone) used[action_of[fd.feature]] = true;
      }
    }
    for (std::size_t k = 0; k < actions.size(); ++k) f.key_action_users[k] += used[k];
  }
  std::vector<AccountFigures> rows;
  for (auto& [account, f] : by_account) {
    if (f.active_users == 0) continue;  // only accounts with someone active in the window
    f.account = std::string(s.index.accounts.name(account));
    f.name = account_name(s, account);
    rows.push_back(std::move(f));
  }
  return accounts_report(std::move(rows), actions.size(), days);
}

Report champions(const Scope& s) {
  std::vector<std::int32_t> day_scratch;
  const auto actions = key_actions(s);
  std::vector<bool> is_action(s.index.features.size(), false);
  for (const KeyAction& k : actions) {
    if (k.feature != kNone) is_action[k.feature] = true;
  }
  std::vector<ChampionFigures> rows;
  CountedOnce counted(s.index.features.size());
  for (std::uint32_t p : s.members) {
    const auto days = active_days(s, p, s.from_day, s.to_day, day_scratch);
    if (days.empty()) continue;
    ChampionFigures f;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const FeatureDay& fd : days_between(s.actor(a).feature_days, s.from_day, s.to_day)) {
        f.uses += fd.uses;
        if (!counted.first_time(fd.feature, p)) continue;
        ++f.features;
        f.key_actions += is_action[fd.feature];
      }
    }
    f.person = std::string(s.persons.name(p));
    const std::uint32_t account = s.persons.account(p);
    f.account = account == kNone ? "" : std::string(s.index.accounts.name(account));
    f.active_days = static_cast<std::int64_t>(days.size());
    rows.push_back(std::move(f));
  }
  return champions_report(std::move(rows), s.request.limit);
}

Report releases(const Scope& s) {
  const std::size_t n = s.index.versions.size();
  std::vector<ReleaseFigures> by_version(n);
  std::vector<std::int64_t> first_ts(n, INT64_MAX);
  CountedOnce counted(n);
  std::int64_t active = 0;
  for (std::uint32_t p : s.members) {
    bool is_active = false;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      const Actor& actor = s.actor(a);
      is_active = is_active || !days_between(actor.days, s.from_day, s.to_day).empty();
      for (const VersionDay& v : days_between(actor.version_days, s.from_day, s.to_day)) {
        by_version[v.version].events += v.events;
        if (counted.first_time(v.version, p)) ++by_version[v.version].users;
      }
      for (const FirstTime& v : actor.version_first)
        first_ts[v.what] = std::min(first_ts[v.what], v.ts);
    }
    active += is_active;
  }
  std::vector<ReleaseFigures> rows;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (by_version[v].events == 0) continue;
    by_version[v].app_version = std::string(s.index.versions.name(v));
    by_version[v].first_seen_day = utc_day(first_ts[v]);
    rows.push_back(std::move(by_version[v]));
  }
  return releases_report(std::move(rows), active);
}

}  // namespace uptake::collector::index_detail
