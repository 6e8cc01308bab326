// libFuzzer target for the SDK's durable state files (KvFile, as the attention budget and the
// plugins keep them): any bytes in the file, or in its backup, are read as a map or refused,
// and the attention budget built on it decides, counts and saves without overflow or crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>

#include "attention_budget.hpp"

namespace {

void write(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto dir =
      std::filesystem::temp_directory_path() / ("uptake-fuzz-state-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto file = dir / "attention_budget.json";
  // The first byte picks the case: the file alone, or a torn file over this backup.
  if (!bytes.empty() && (bytes[0] & 1)) {
    write(file, bytes.substr(0, bytes.size() / 2));
    write(dir / "attention_budget.json.bak", bytes.substr(bytes.size() / 2));
  } else {
    write(file, bytes);
  }
  uptake::detail::AttentionBudget budget(file);
  constexpr std::int64_t now = 1'790'000'000'000, big = std::numeric_limits<std::int64_t>::max();
  budget.load(now, 0);
  uptake::detail::PromptLimits limits;
  limits.max_prompts_per_session = 2;
  limits.max_prompts_per_day = 3;
  limits.min_minutes_between_prompts = 30;
  budget.set_limits(limits);
  for (const std::int64_t wall : {now, std::int64_t{0}, now + 86'400'000, big, -big - 1, now}) {
    budget.observe(wall, 1'000);
    (void)budget.blocks(wall, 2'000);
    budget.count(wall, 3'000);
    budget.session_started(wall, 4'000);
  }
  budget.save();
  return 0;
}
