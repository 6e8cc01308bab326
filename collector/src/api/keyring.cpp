#include "api/keyring.hpp"

#include <openssl/crypto.h>

namespace uptake::collector {

Keyring::Keyring(const std::vector<AppKeys>& apps, std::string admin_key) {
  for (const AppKeys& a : apps) {
    entries_.push_back({a.write_key, {Role::write, a.name}});
    entries_.push_back({a.read_key, {Role::read, a.name}});
  }
  if (!admin_key.empty()) entries_.push_back({std::move(admin_key), {Role::admin, {}}});
}

std::optional<KeyGrant> Keyring::lookup(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  const Entry* found = nullptr;
  for (const Entry& e : entries_) {
    // Visit every entry and compare whole strings with CRYPTO_memcmp: no early exit.
    const bool same =
        e.key.size() == key.size() && CRYPTO_memcmp(e.key.data(), key.data(), key.size()) == 0;
    if (same && !found) found = &e;
  }
  if (!found) return std::nullopt;
  return found->grant;
}

bool Keyring::has_app(std::string_view app) const {
  for (const Entry& e : entries_) {
    if (e.grant.app == app && !app.empty()) return true;
  }
  return false;
}

std::vector<std::string> Keyring::apps() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    if (e.grant.role == Role::write) out.push_back(e.grant.app);
  }
  return out;
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.size() <= kPrefix.size()) return {};
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i]))) {
      return {};
    }
  }
  std::string_view key = authorization.substr(kPrefix.size());
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  return key;
}

}  // namespace uptake::collector
