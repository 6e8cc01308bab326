#include "storage/index/dictionary.hpp"

namespace uptake::collector {

std::uint32_t Dictionary::intern(std::string_view s) {
  if (const auto it = ids_.find(s); it != ids_.end()) return it->second;
  const std::string_view stored = storage_.emplace_back(s);
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.push_back(stored);
  ids_.emplace(stored, id);
  return id;
}

std::uint32_t Dictionary::find(std::string_view s) const {
  const auto it = ids_.find(s);
  return it == ids_.end() ? kNone : it->second;
}

}  // namespace uptake::collector
