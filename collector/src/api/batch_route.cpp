// POST /v1/batch: header checks (encoding, type, rate limits), then ingest and storage.

#include <cctype>

#include "api/api_context.hpp"
#include "config/limits.hpp"
#include "ingest/batch_ingest.hpp"

namespace uptake::collector {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool accepted_content_type(std::string_view content_type) {
  std::string type;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ') type.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return type.empty() || type == "application/x-ndjson" || type == "application/ndjson" ||
         type == "application/jsonl" || type == "application/json";
}

}  // namespace

std::optional<ApiResponse> admit_batch(ApiContext& ctx, const ApiRequest& r, const KeyGrant&) {
  const std::string encoding = lower(r.content_encoding);
  if (!encoding.empty() && encoding != "zstd" && encoding != "identity") {
    return error_response(415, "unsupported_encoding",
                          "Content-Encoding must be zstd or identity.");
  }
  if (!accepted_content_type(r.content_type)) {
    return error_response(415, "unsupported_media_type",
                          "Content-Type must be application/x-ndjson.");
  }
  const auto now = std::chrono::steady_clock::now();
  // The client's own budget first: a flooding client is stopped before it can take tokens
  // that every other install of the app shares.
  if (const int wait = ctx.address_limiter.acquire(r.client_address, now); wait > 0) {
    return retry_later(429, "rate_limited",
                       "Too many requests from this client address; retry later.", wait);
  }
  if (const int wait = ctx.key_limiter.acquire(bearer_token(r.authorization), now); wait > 0) {
    return retry_later(429, "rate_limited", "Too many requests for this key; retry later.", wait);
  }
  return std::nullopt;
}

void handle_batch(ApiContext& ctx, Call& call, const Respond& respond) {
  ApiRequest& request = call.request;
  ctx.counters.bytes_in_compressed += request.body.size();
  auto memory = std::make_shared<MemoryBudget::Reservation>(ctx.ingest_memory);
  ReadBatch batch =
      read_batch(BatchInput{std::move(request.body), lower(request.content_encoding),
                            request.sent_at, now_unix_ms(), ctx.options.max_decompressed_bytes},
                 *memory);
  ctx.counters.bytes_in_decompressed += batch.decompressed_bytes;
  ctx.counters.events_rejected += batch.parsed.rejected_total;
  if (batch.status != 200) {
    ApiResponse r = batch.status == 503 ? retry_later(503, batch.error, batch.message, 1)
                                        : error_response(batch.status, batch.error, batch.message);
    if (batch.parsed.lines > 0) {
      r.body.pop_back();
      r.body += ',';
      append_rejections(r.body, batch.parsed);
      r.body += '}';
    }
    return respond(std::move(r));
  }
  const std::size_t events = batch.parsed.events.size();
  if (events == 0) {  // every line rejected: nothing to store, the answer lists why
    ApiResponse r;
    r.body = batch_answer(0, 0, batch.parsed);
    return respond(std::move(r));
  }
  auto parsed = std::make_shared<ParsedBatch>(std::move(batch.parsed));
  std::vector<Event> to_store = std::move(parsed->events);
  const auto queued_at = std::chrono::steady_clock::now();
  ctx.store.write(
      call.grant.app, std::move(to_store),
      [&ctx, respond, parsed, memory, events, queued_at](WriteResult result) {
        memory->release();  // the events are stored (or refused): not held any more
        ctx.counters.storage_write_latency.observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - queued_at).count());
        if (!result.ok) {
          return respond(retry_later(503, "storage_unavailable",
                                     "Storage could not commit the batch; resend it.",
                                     limits::kStorageRetryAfterSeconds));
        }
        ctx.counters.events_accepted += result.inserted;
        ctx.counters.events_duplicate += result.duplicates;
        ApiResponse r;
        r.events = events;
        r.body = batch_answer(result.inserted, result.duplicates, *parsed);
        respond(std::move(r));
      });
}

}  // namespace uptake::collector
