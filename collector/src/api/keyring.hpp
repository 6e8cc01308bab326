#pragma once
// Which app and role a bearer key stands for. Keys are compared in constant time.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/options.hpp"

namespace uptake::collector {

enum class Role { write, read, admin };

struct KeyGrant {
  Role role;
  std::string app;  // empty for the admin key
};

class Keyring {
 public:
  Keyring(const std::vector<AppKeys>& apps, std::string admin_key);
  /// The grant of `key`, or nullopt when unknown. Keys are compared as SHA-256 digests, all of
  /// them every time, so the time taken says nothing about any valid key, not even its length.
  std::optional<KeyGrant> lookup(std::string_view key) const;
  bool has_app(std::string_view app) const;
  std::vector<std::string> apps() const;

 private:
  struct Entry {
    std::array<unsigned char, 32> digest;
    KeyGrant grant;
  };
  std::vector<Entry> entries_;
};

/// The key of an "Authorization: Bearer <key>" header value, or "" when absent or malformed.
std::string_view bearer_token(std::string_view authorization);

}  // namespace uptake::collector
