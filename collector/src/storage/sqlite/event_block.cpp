#include "storage/sqlite/event_block.hpp"

#include <zstd.h>

#include <memory>
#include <stdexcept>

namespace uptake::collector {
namespace {

// Version 2 added the account of group events; version 1 blocks are still read.
constexpr unsigned char kVersion = 2;
constexpr unsigned char kVersionWithoutAccount = 1;
// Level 1: blocks are written on the request path; higher levels cost more CPU than they save.
constexpr int kLevel = 1;

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_signed(std::string& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void put_text(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void pack(std::string& out, const Event& e) {
  out.push_back(static_cast<char>(e.type));
  put_signed(out, e.ts);
  put_signed(out, e.client_ts);
  put_signed(out, e.received_at);
  for (const std::string* s :
       {&e.id, &e.name, &e.anon, &e.user, &e.session, &e.app_version, &e.props, &e.account}) {
    put_text(out, *s);
  }
}

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

std::string compress(const std::string& packed) {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx(ZSTD_createCCtx());
  std::string out(ZSTD_compressBound(packed.size()), '\0');
  const std::size_t n =
      ZSTD_compressCCtx(ctx.get(), out.data(), out.size(), packed.data(), packed.size(), kLevel);
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

// Reads the packed layout with a bounds check on every field.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  [[nodiscard]] bool done() const { return pos_ == data_.size(); }
  unsigned char byte() {
    need(1);
    return static_cast<unsigned char>(data_[pos_++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const unsigned char b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw std::runtime_error("event block: varint too long");
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  std::string_view text() {
    const std::uint64_t n = varint();
    need(n);
    const std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  void need(std::uint64_t n) const {
    if (n > data_.size() - pos_) throw std::runtime_error("event block: truncated");
  }
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_event_block(std::span<const Event> events, const std::vector<bool>& keep) {
  std::string packed;
  packed.reserve(events.size() * 160 + 16);
  packed.push_back(static_cast<char>(kVersion));
  std::size_t kept = 0;
  for (std::size_t i = 0; i < events.size(); ++i) kept += keep[i] ? 1 : 0;
  put_varint(packed, kept);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (keep[i]) pack(packed, events[i]);
  }
  return compress(packed);
}

std::string encode_event_block(std::span<const Event> events) {
  return encode_event_block(events, std::vector<bool>(events.size(), true));
}

namespace {

// Decompresses `block` into `packed` and calls `visit(view, client_ts, received_at)` for each
// event, its views pointing into `packed`.
template <class Visit>
void walk_block(std::string_view block, std::string& packed, std::size_t max_bytes, Visit visit) {
  const unsigned long long size = ZSTD_getFrameContentSize(block.data(), block.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    throw std::runtime_error("event block: not a zstd frame with a known size");
  if (size > max_bytes) throw std::runtime_error("event block: larger than the limit");
  packed.resize(size);
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> ctx(ZSTD_createDCtx());
  const std::size_t n =
      ZSTD_decompressDCtx(ctx.get(), packed.data(), packed.size(), block.data(), block.size());
  if (ZSTD_isError(n) || n != size) throw std::runtime_error("event block: corrupt");

  Reader in(packed);
  const unsigned char version = in.byte();
  if (version != kVersion && version != kVersionWithoutAccount)
    throw std::runtime_error("event block: unknown version");
  const std::uint64_t count = in.varint();
  // Every packed event takes at least 11 bytes: no count can claim more than the data holds.
  if (count > packed.size() / 11) throw std::runtime_error("event block: bad event count");
  for (std::uint64_t k = 0; k < count; ++k) {
    EventView e;
    const unsigned char type = in.byte();
    if (type > static_cast<unsigned char>(EventType::group))
      throw std::runtime_error("event block: bad event type");
    e.type = static_cast<EventType>(type);
    e.ts = in.signed_varint();
    const std::int64_t client_ts = in.signed_varint();
    const std::int64_t received_at = in.signed_varint();
    for (std::string_view* f :
         {&e.id, &e.name, &e.anon, &e.user, &e.session, &e.app_version, &e.props})
      *f = in.text();
    if (version >= kVersion) e.account = in.text();
    visit(e, client_ts, received_at);
  }
  if (!in.done()) throw std::runtime_error("event block: trailing bytes");
}

}  // namespace

std::vector<Event> decode_event_block(std::string_view block, std::size_t max_bytes) {
  std::string packed;
  std::vector<Event> events;
  walk_block(block, packed, max_bytes,
             [&](const EventView& v, std::int64_t client_ts, std::int64_t received_at) {
               Event& e = events.emplace_back();
               e.id = v.id;
               e.type = v.type;
               e.name = v.name;
               e.anon = v.anon;
               e.user = v.user;
               e.account = v.account;
               e.session = v.session;
               e.app_version = v.app_version;
               e.props = v.props;
               e.ts = v.ts;
               e.client_ts = client_ts;
               e.received_at = received_at;
             });
  return events;
}

void decode_event_block_views(std::string_view block, std::string& buffer,
                              std::vector<EventView>& out, std::size_t max_bytes) {
  out.clear();
  walk_block(block, buffer, max_bytes,
             [&](const EventView& v, std::int64_t, std::int64_t) { out.push_back(v); });
}

}  // namespace uptake::collector
