#include "api/keyring.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace uptake::collector {
namespace {

std::array<unsigned char, 32> digest_of(std::string_view key) {
  std::array<unsigned char, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), d.data());
  return d;
}

}  // namespace

Keyring::Keyring(const std::vector<AppKeys>& apps, std::string admin_key) {
  for (const AppKeys& a : apps) {
    entries_.push_back({digest_of(a.write_key), {Role::write, a.name}});
    entries_.push_back({digest_of(a.read_key), {Role::read, a.name}});
  }
  if (!admin_key.empty()) entries_.push_back({digest_of(admin_key), {Role::admin, {}}});
}

std::optional<KeyGrant> Keyring::lookup(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  const auto digest = digest_of(key);
  const Entry* found = nullptr;
  for (const Entry& e : entries_) {
    // Visit every entry and compare whole digests with CRYPTO_memcmp: no early exit.
    const bool same = CRYPTO_memcmp(e.digest.data(), digest.data(), digest.size()) == 0;
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
