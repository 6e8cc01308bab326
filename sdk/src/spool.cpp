#include "spool.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>
#include <vector>

namespace uptake::detail {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[4] = {'U', 'P', 'S', '1'};
constexpr std::string_view kSuffix = ".upb";

// Fixed little-endian layout (all supported targets are little-endian).
struct RecordHeader {
  char magic[4];
  std::uint32_t events;
  std::uint32_t payload_bytes;
  std::uint32_t payload_crc;
  std::int64_t created_ms;
  std::uint32_t reserved;
  std::uint32_t header_crc;  // over every byte before it
};
static_assert(sizeof(RecordHeader) == 32);

std::uint32_t crc_of(const void* data, std::size_t n) {
  return static_cast<std::uint32_t>(
      crc32(0L, static_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

std::uint32_t header_crc(const RecordHeader& h) {
  return crc_of(&h, offsetof(RecordHeader, header_crc));
}

bool header_valid(const RecordHeader& h) {
  return std::memcmp(h.magic, kMagic, 4) == 0 && header_crc(h) == h.header_crc;
}

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::optional<RecordHeader> read_header(const fs::path& path, std::uint64_t file_bytes) {
  if (file_bytes < sizeof(RecordHeader)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  RecordHeader h{};
  if (!in.read(reinterpret_cast<char*>(&h), sizeof h)) return std::nullopt;
  if (!header_valid(h)) return std::nullopt;
  if (file_bytes != sizeof(RecordHeader) + h.payload_bytes) return std::nullopt;  // torn
  return h;
}

std::uint64_t parse_seq(const std::string& name) {
  // <created_ms:016x>-<seq:016x>.upb
  const auto dash = name.find('-');
  if (dash == std::string::npos) return 0;
  return std::strtoull(name.c_str() + dash + 1, nullptr, 16);
}

}  // namespace

Spool::Spool(fs::path dir, SpoolLimits limits, DropCounters& drops)
    : dir_(std::move(dir)), limits_(limits), drops_(drops) {}

void Spool::open() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  std::vector<fs::path> names;
  for (const auto& item : fs::directory_iterator(dir_, ec)) {
    const fs::path& p = item.path();
    if (p.extension() == ".tmp") {
      fs::remove(p, ec);  // a write the previous run did not finish
    } else if (p.extension() == kSuffix) {
      names.push_back(p);
    }
  }
  std::sort(names.begin(), names.end());
  for (const fs::path& p : names) {
    const auto size = fs::file_size(p, ec);
    const auto header = ec ? std::nullopt : read_header(p, size);
    if (!header) {
      drops_.add(DropReason::spool_corrupt);
      fs::remove(p, ec);
      continue;
    }
    entries_.push_back(Entry{p, size, header->events, header->created_ms, 0});
    next_seq_ = std::max(next_seq_, parse_seq(p.filename().string()) + 1);
  }
  recount();
}

std::optional<Spool::Entry> Spool::write_record(std::string_view payload, std::uint32_t events,
                                                std::int64_t created_ms, std::uint64_t min_pos) {
  RecordHeader h{};
  std::memcpy(h.magic, kMagic, 4);
  h.events = events;
  h.payload_bytes = static_cast<std::uint32_t>(payload.size());
  h.payload_crc = crc_of(payload.data(), payload.size());
  h.created_ms = created_ms;
  h.header_crc = header_crc(h);

  char name[64];
  std::snprintf(name, sizeof name, "%016llx-%016llx",
                static_cast<unsigned long long>(created_ms < 0 ? 0 : created_ms),
                static_cast<unsigned long long>(next_seq_++));
  const fs::path final_path = dir_ / (std::string(name) + std::string(kSuffix));
  const fs::path tmp_path = dir_ / (std::string(name) + ".tmp");

  const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  bool ok = write_all(fd, reinterpret_cast<const char*>(&h), sizeof h) &&
            write_all(fd, payload.data(), payload.size());
  if (ok && limits_.fsync) ok = ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) fs::rename(tmp_path, final_path, ec);
  if (!ok || ec) {
    fs::remove(tmp_path, ec);
    return std::nullopt;
  }
  return Entry{final_path, sizeof h + payload.size(), events, created_ms, min_pos};
}

bool Spool::append(std::string_view payload, std::uint32_t events, std::int64_t created_ms,
                   std::uint64_t min_pos) {
  evict_to_fit(sizeof(RecordHeader) + payload.size());
  auto entry = write_record(payload, events, created_ms, min_pos);
  if (!entry) {
    drops_.add(DropReason::spool_full, events);
    return false;
  }
  entries_.push_back(std::move(*entry));
  recount();
  return true;
}

void Spool::evict_to_fit(std::uint64_t incoming_bytes) {
  while (!entries_.empty() && bytes() + incoming_bytes > limits_.max_bytes) {
    drops_.add(DropReason::spool_full, entries_.front().events);
    remove_entry(entries_.front());
    entries_.pop_front();
    recount();
  }
}

std::optional<SpoolBatch> Spool::front() {
  while (!entries_.empty()) {
    const Entry& e = entries_.front();
    std::ifstream in(e.path, std::ios::binary);
    RecordHeader h{};
    SpoolBatch batch;
    bool ok = static_cast<bool>(in.read(reinterpret_cast<char*>(&h), sizeof h)) && header_valid(h);
    if (ok) {
      batch.payload.resize(h.payload_bytes);
      ok = static_cast<bool>(in.read(batch.payload.data(), h.payload_bytes)) &&
           in.peek() == std::ifstream::traits_type::eof() &&
           crc_of(batch.payload.data(), batch.payload.size()) == h.payload_crc;
    }
    if (ok) {
      batch.events = h.events;
      batch.created_ms = h.created_ms;
      return batch;
    }
    drops_.add(DropReason::spool_corrupt);
    remove_entry(e);
    entries_.pop_front();
    recount();
  }
  return std::nullopt;
}

void Spool::pop_front() {
  if (entries_.empty()) return;
  remove_entry(entries_.front());
  entries_.pop_front();
  recount();
}

bool Spool::split_front(std::string_view first, std::uint32_t first_events, std::string_view second,
                        std::uint32_t second_events) {
  if (entries_.empty()) return false;
  const Entry old = entries_.front();
  auto a = write_record(first, first_events, old.created_ms, old.min_pos);
  auto b = write_record(second, second_events, old.created_ms, old.min_pos);
  if (!a || !b) {
    std::error_code ec;
    if (a) fs::remove(a->path, ec);
    if (b) fs::remove(b->path, ec);
    return false;
  }
  remove_entry(old);
  entries_.pop_front();
  entries_.push_front(std::move(*b));
  entries_.push_front(std::move(*a));
  recount();
  return true;
}

void Spool::expire(std::int64_t now_ms) {
  const auto before = entries_.size();
  std::erase_if(entries_, [&](const Entry& e) {
    if (now_ms - e.created_ms <= limits_.max_age_ms) return false;
    drops_.add(DropReason::spool_age, e.events);
    remove_entry(e);
    return true;
  });
  if (entries_.size() != before) recount();
}

void Spool::purge() {
  for (const Entry& e : entries_) remove_entry(e);
  entries_.clear();
  recount();
}

std::uint64_t Spool::min_pos() const {
  std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
  for (const Entry& e : entries_) lowest = std::min(lowest, e.min_pos);
  return lowest;
}

void Spool::remove_entry(const Entry& entry) {
  std::error_code ec;
  fs::remove(entry.path, ec);
}

void Spool::recount() {
  std::uint64_t b = 0, n = 0;
  for (const Entry& e : entries_) {
    b += e.file_bytes;
    n += e.events;
  }
  bytes_.store(b, std::memory_order_relaxed);
  events_.store(n, std::memory_order_relaxed);
}

}  // namespace uptake::detail
