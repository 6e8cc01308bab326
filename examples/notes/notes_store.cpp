#include "notes_store.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace notes {
namespace {

// Tabs and newlines inside fields are escaped so one note stays one line.
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

NotesStore::NotesStore(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_);
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 6) continue;
    Note n;
    n.id = std::atoi(f[0].c_str());
    n.title = unescape(f[1]);
    n.body = unescape(f[2]);
    if (!f[3].empty()) n.tags = split(f[3], ',');
    n.pinned = f[4] == "1";
    n.archived = f[5] == "1";
    next_id_ = std::max(next_id_, n.id + 1);
    notes_.push_back(std::move(n));
  }
}

Note& NotesStore::create(std::string title) {
  Note n;
  n.id = next_id_++;
  n.title = std::move(title);
  notes_.push_back(std::move(n));
  return notes_.back();
}

Note* NotesStore::find(int id) {
  for (auto& n : notes_) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

std::vector<const Note*> NotesStore::search(const std::string& query) const {
  std::vector<const Note*> hits;
  const std::string q = lower(query);
  for (const auto& n : notes_) {
    std::string tags;
    for (const auto& t : n.tags) tags += " " + t;
    if (lower(n.title + " " + n.body + tags).find(q) != std::string::npos) hits.push_back(&n);
  }
  return hits;
}

void NotesStore::save() const {
  const auto tmp = std::filesystem::path(file_) += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& n : notes_) {
      std::string tags;
      for (const auto& t : n.tags) tags += (tags.empty() ? "" : ",") + t;
      out << n.id << '\t' << escape(n.title) << '\t' << escape(n.body) << '\t' << tags << '\t'
          << (n.pinned ? 1 : 0) << '\t' << (n.archived ? 1 : 0) << '\n';
    }
  }
  std::filesystem::rename(tmp, file_);
}

}  // namespace notes
