#pragma once
// The notes app's own data: notes in one tab-separated file in its data directory.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace notes {

struct Note {
  int id = 0;
  std::string title;
  std::string body;
  std::vector<std::string> tags;
  bool pinned = false;
  bool archived = false;
};

class NotesStore {
 public:
  explicit NotesStore(std::filesystem::path file);
  Note& create(std::string title);
  Note* find(int id);
  const std::vector<Note>& all() const { return notes_; }
  std::vector<const Note*> search(const std::string& query) const;
  /// Writes every note (temporary file, then rename).
  void save() const;

 private:
  std::filesystem::path file_;
  std::vector<Note> notes_;
  int next_id_ = 1;
};

}  // namespace notes
