#pragma once
// A small durable string→string map in one JSON file. Saved by writing a temporary file and
// renaming it over the old one, after keeping the old one as ".bak": a crash at any moment
// leaves a readable copy, and a torn or corrupt file falls back to the backup.

#include <filesystem>
#include <map>
#include <string>

namespace uptake::detail {

class KvFile {
 public:
  explicit KvFile(std::filesystem::path path) : path_(std::move(path)) {}
  /// Loads the file (or its backup). Returns false when neither could be read as a map; the
  /// map is then empty. A missing file is not a failure.
  bool load();
  /// Whether the latest load() had to read the backup (which may miss the latest save).
  bool loaded_backup() const { return loaded_backup_; }
  /// Writes the map if it changed since the last load/save. False on I/O failure.
  bool save_if_dirty();

  std::map<std::string, std::string, std::less<>>& values() { return values_; }
  void mark_dirty() { dirty_ = true; }

 private:
  std::filesystem::path path_;
  std::map<std::string, std::string, std::less<>> values_;
  bool dirty_ = false;
  bool loaded_backup_ = false;
};

}  // namespace uptake::detail
