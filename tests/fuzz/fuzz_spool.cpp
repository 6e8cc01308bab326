// libFuzzer target for the SDK's spool reader: any bytes in a spool file must be either a
// valid record or skipped and counted, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "spool.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto dir =
      std::filesystem::temp_directory_path() / ("uptake-fuzz-spool-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "0000000000000001-0000000000000001.upb", std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  uptake::detail::DropCounters drops;
  uptake::detail::Spool spool(dir, {}, drops);
  spool.open();
  while (auto batch = spool.front()) spool.pop_front();
  return 0;
}
