#pragma once
// Interned strings: each distinct string gets a dense id, so the index stores 4 bytes where a
// feature, version, account, tip or trait value would otherwise repeat.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uptake::collector {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(const Dictionary&) = delete;  // the views point into this object's storage
  Dictionary& operator=(const Dictionary&) = delete;

  /// The id of `s`, adding it when new.
  std::uint32_t intern(std::string_view s);
  /// The id of `s`, or kNone.
  [[nodiscard]] std::uint32_t find(std::string_view s) const;
  [[nodiscard]] std::string_view name(std::uint32_t id) const { return names_[id]; }
  [[nodiscard]] std::size_t size() const { return names_.size(); }

 private:
  std::deque<std::string> storage_;  // a deque never moves what it holds
  std::vector<std::string_view> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

}  // namespace uptake::collector
