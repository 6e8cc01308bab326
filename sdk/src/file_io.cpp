#include "file_io.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace uptake::detail {
namespace fs = std::filesystem;

std::optional<std::string> read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool replace_file(const fs::path& path, std::string_view text, bool backup) {
  const fs::path tmp = fs::path(path) += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush())
      return false;
  }
  std::error_code ec;
  if (backup && fs::exists(path, ec)) {
    fs::copy_file(path, fs::path(path) += ".bak", fs::copy_options::overwrite_existing, ec);
  }
  fs::rename(tmp, path, ec);
  return !ec;
}

}  // namespace uptake::detail
