#pragma once
// What an install remembers across runs: its anonymous id, the identified user, the account
// of its latest group() call, the current session and the opt-out choice. Stored as a small
// JSON file replaced atomically.

#include <cstdint>
#include <filesystem>
#include <string>

namespace uptake::detail {

struct InstallState {
  std::string anon;
  std::string user;
  std::string account;  // empty: group() never called
  std::string session;
  std::int64_t last_event_ms = 0;
  bool opted_out = false;
};

/// Loads the state file, or creates a new install (fresh anonymous id) when it is missing or
/// unreadable. Throws std::system_error when the new state cannot be written.
InstallState load_or_create_install_state(const std::filesystem::path& file);

/// Replaces the state file (write to a temporary name, then rename). False on I/O failure.
bool save_install_state(const std::filesystem::path& file, const InstallState& state);

/// A random UUIDv4 string.
std::string random_uuid_v4();

}  // namespace uptake::detail
