#pragma once
// Whole-file reads and crash-safe whole-file writes for the SDK's small state files.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace uptake::detail {

/// The file's bytes, or nullopt when it cannot be read.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

/// Writes `text` to "<path>.tmp" and renames it over `path`: readers see the old file or the
/// new one, never a torn one. When `backup` is set, the previous file is kept as "<path>.bak".
bool replace_file(const std::filesystem::path& path, std::string_view text, bool backup = false);

}  // namespace uptake::detail
