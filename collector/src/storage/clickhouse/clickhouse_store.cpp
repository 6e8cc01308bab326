#include "storage/clickhouse/clickhouse_store.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>

#include "config/limits.hpp"
#include "storage/clickhouse/clickhouse_reports.hpp"
#include "storage/clickhouse/clickhouse_rollups.hpp"
#include "storage/clickhouse/clickhouse_sql.hpp"
#include "storage/marker_props.hpp"
#include "uptake_common/endpoint_url.hpp"
#include "uptake_common/http_transport.hpp"

namespace uptake::collector {
namespace {

constexpr const char* kEventColumns =
    "(app String, id String, type UInt8, name String, anon String, user String, ts Int64, "
    "client_ts Int64, received_at Int64, session String, app_version String, props String, "
    "tip String, feature String, ms_since_install Int64, account String, has_ms UInt8, "
    "survey String, score Int64, has_score UInt8, choice String, trait_keys Array(String), "
    "trait_values Array(String), trait_strings Array(UInt8), has_tip UInt8, has_feature UInt8, "
    "has_survey UInt8, has_choice UInt8)";

// Columns added after the first schema; old parts read them from props.
constexpr std::pair<const char*, const char*> kAddedColumns[] = {
    {"tip", "String DEFAULT visitParamExtractString(props, 'tip')"},
    {"feature", "String DEFAULT visitParamExtractString(props, 'feature')"},
    {"ms_since_install", "Int64 DEFAULT visitParamExtractInt(props, 'ms_since_install')"},
    {"account", "String DEFAULT ''"},
    {"has_ms", "UInt8 DEFAULT visitParamHas(props, 'ms_since_install')"},
    {"survey", "String DEFAULT visitParamExtractString(props, 'survey')"},
    {"score", "Int64 DEFAULT visitParamExtractInt(props, 'score')"},
    {"has_score", "UInt8 DEFAULT visitParamHas(props, 'score')"},
    {"choice", "String DEFAULT visitParamExtractString(props, 'choice')"},
    {"trait_keys", "Array(String) DEFAULT emptyArrayString()"},
    {"trait_values", "Array(String) DEFAULT emptyArrayString()"},
    {"trait_strings", "Array(UInt8) DEFAULT emptyArrayUInt8()"},
    // A marker's id given as "" is an id: these tell it from an absent one.
    {"has_tip", "UInt8 DEFAULT visitParamHas(props, 'tip')"},
    {"has_feature", "UInt8 DEFAULT visitParamHas(props, 'feature')"},
    {"has_survey", "UInt8 DEFAULT visitParamHas(props, 'survey')"},
    {"has_choice", "UInt8 DEFAULT visitParamHas(props, 'choice')"},
};

std::unique_ptr<detail::HttpTransport> connect_to(const std::string& url) {
  std::string error;
  auto parsed = detail::parse_endpoint_url(url, error);
  if (!parsed) throw StoreError("clickhouse url '" + url + "': " + error);
  parsed->base_path.clear();
  detail::TransportOptions t;
  t.url = *parsed;
  t.connect_timeout = limits::kClickHouseConnectTimeout;
  t.request_timeout = limits::kClickHouseRequestTimeout;
  t.max_response_bytes = limits::kClickHouseMaxResponseBytes;
  return std::make_unique<detail::HttpTransport>(t);
}

// A ClickHouse array literal of TabSeparated-escaped strings: ['a','b\'c'].
std::string array_field(const std::vector<std::string>& values) {
  std::string quoted = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    quoted += (i ? "," : "") + clickhouse_quote(values[i]);
  quoted += "]";
  std::string out;
  append_tsv_field(out, quoted);
  return out;
}

void append_row(std::string& rows, const std::string& app, const Event& e) {
  const MarkerProps marker =
      e.type == EventType::track && is_marker_name(e.name) ? marker_props(e.props) : MarkerProps{};
  std::vector<std::string> keys, values;
  std::string strings = "[";
  if (e.type != EventType::track) {
    for (const PropTrait& t : prop_traits(e.props)) {
      strings += std::string(keys.empty() ? "" : ",") + (t.text ? "1" : "0");
      keys.push_back(t.key);
      values.push_back(t.text.value_or(""));
    }
  }
  strings += "]";
  auto field = [&](std::string_view value) {
    append_tsv_field(rows, value);
    rows += '\t';
  };
  auto number = [&](std::int64_t value) { rows += std::to_string(value) + '\t'; };
  field(app);
  field(e.id);
  number(static_cast<int>(e.type));
  field(e.name);
  field(e.anon);
  field(e.user);
  number(e.ts);
  number(e.client_ts);
  number(e.received_at);
  field(e.session);
  field(e.app_version);
  field(e.props);
  field(marker.tip.value_or(""));
  field(marker.feature.value_or(""));
  number(marker.ms_since_install.value_or(0));
  field(e.account);
  number(marker.ms_since_install ? 1 : 0);
  field(marker.survey.value_or(""));
  number(marker.score.value_or(0));
  number(marker.score ? 1 : 0);
  field(marker.choice.value_or(""));
  rows += array_field(keys) + '\t' + array_field(values) + '\t' + strings + '\t';
  rows += std::string(marker.tip ? "1" : "0") + '\t' + (marker.feature ? "1" : "0") + '\t' +
          (marker.survey ? "1" : "0") + '\t' + (marker.choice ? "1" : "0") + '\n';
}

// The answer of a write spread over several lanes: every lane's share stored, or the first
// refusal (the client resends the batch, and the stored shares come back as duplicates).
class SplitWrite {
 public:
  SplitWrite(std::size_t shares, WriteCallback done) : waiting_(shares), done_(std::move(done)) {}

  // One lane's answer for its share; the last one answers the write.
  void add(WriteResult r) {
    std::unique_lock lock(mutex_);
    if (!r.ok && result_.ok) {
      result_.ok = false;
      result_.error = std::move(r.error);
    }
    result_.inserted += r.inserted;
    result_.duplicates += r.duplicates;
    if (--waiting_ > 0) return;
    WriteResult all = std::move(result_);
    lock.unlock();
    done_(std::move(all));
  }

 private:
  std::mutex mutex_;
  std::size_t waiting_;
  WriteResult result_{true, "", 0, 0};
  WriteCallback done_;
};

}  // namespace

ClickHouseStore::ClickHouseStore(ClickHouseOptions options) : options_(std::move(options)) {
  std::string error;
  auto parsed = detail::parse_endpoint_url(options_.url, error);
  if (!parsed) throw StoreError("clickhouse url: " + error);
  database_ = parsed->base_path.empty() ? "uptake" : parsed->base_path.substr(1);
  if (database_.empty() ||
      database_.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos) {
    throw StoreError("clickhouse url: the database name must be letters, digits and _");
  }
  if (!options_.cluster.empty() &&
      options_.cluster.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos) {
    throw StoreError("clickhouse cluster: the name must be letters, digits and _");
  }
  std::random_device entropy;
  session_prefix_ = std::to_string((std::uint64_t{entropy()} << 32) | entropy());
  if (options_.writers == 0) throw StoreError("clickhouse: at least one writer lane is needed");
  health_transport_ = connect_to(options_.url);
  if (!options_.user.empty()) {
    // HTTP Basic, not URL parameters: credentials stay out of URLs and any log of them.
    const std::string plain = options_.user + ":" + options_.password;
    std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                  reinterpret_cast<const unsigned char*>(plain.data()),
                                  static_cast<int>(plain.size()));
    encoded.resize(static_cast<std::size_t>(n));
    authorization_ = "Basic " + encoded;
  }
  on_every_node([this](detail::HttpTransport& node) { create_schema(node); });
  for (std::size_t k = 0; k < options_.writers; ++k) {
    auto lane = std::make_unique<WriterLane>();
    lane->transport = connect_to(options_.url);
    lane->insert_transport = connect_to(options_.url);
    lane->inserting.emplace();
    lane->committer.emplace(
        limits::kClickHouseMaxEventsPerInsert,
        [this, at = lane.get()](std::vector<WriteJob>& group) { commit_group(*at, group); });
    lanes_.push_back(std::move(lane));
  }
  if (options_.compact_every.count() > 0)
    compactor_ = std::thread([this] { compact_periodically(); });
}

void ClickHouseStore::create_schema(detail::HttpTransport& node) {
  const bool cluster = !options_.cluster.empty();
  const std::string events = database_ + (cluster ? ".events_local" : ".events");
  const std::string config = database_ + (cluster ? ".app_config_local" : ".app_config");
  run(node, "CREATE DATABASE IF NOT EXISTS " + database_, "");
  // Dedup key = sort key: (app, id).
  run(node,
      "CREATE TABLE IF NOT EXISTS " + events + " " + kEventColumns +
          " ENGINE = ReplacingMergeTree() ORDER BY (app, id)",
      "");
  add_missing_columns(node, events);
  run(node,
      "CREATE TABLE IF NOT EXISTS " + config +
          " (app String, body String, etag String, version UInt64) "
          "ENGINE = ReplacingMergeTree(version) ORDER BY app",
      "");
  create_rollups(node, events);
  if (cluster) {
    // An install's events stay together: each shard can resolve its anons' identify alone,
    // and a resend lands where the first copy is, so ReplacingMergeTree merges it.
    run(node,
        "CREATE TABLE IF NOT EXISTS " + database_ + ".events AS " + events +
            " ENGINE = Distributed(" + options_.cluster + ", " + database_ +
            ", events_local, cityHash64(app, anon))",
        "");
    // A Distributed table made by an older collector lacks the columns added since.
    add_missing_columns(node, database_ + ".events");
    // Reports read the rollups of every shard; nothing inserts through these.
    for (const Rollup& rollup : clickhouse_rollups()) {
      const std::string name = database_ + "." + rollup.table;
      std::string create = "CREATE TABLE IF NOT EXISTS " + name;
      create.append(" AS ").append(name).append("_local ENGINE = Distributed(");
      create.append(options_.cluster).append(", ").append(database_).append(", ");
      create.append(rollup.table).append("_local, rand())");
      run(node, create, "");
    }
    add_missing_columns(node, database_ + ".rare");
    run(node,
        "CREATE TABLE IF NOT EXISTS " + database_ + ".app_config AS " + config +
            " ENGINE = Distributed(" + options_.cluster + ", " + database_ +
            ", app_config_local, cityHash64(app))",
        "");
  }
}

void ClickHouseStore::create_rollups(detail::HttpTransport& node, const std::string& events) {
  const std::string suffix = options_.cluster.empty() ? "" : "_local";
  // The rollups whose backfill finished on this node: one cut short (a crash, a timeout) runs
  // again at the next start, which the idempotent states allow.
  const std::string ready_table = database_ + ".rollups_ready";
  run(node,
      "CREATE TABLE IF NOT EXISTS " + ready_table +
          " (rollup String) ENGINE = ReplacingMergeTree() ORDER BY rollup",
      "");
  std::set<std::string> ready;
  for (auto& row :
       tsv_rows(run(node, "SELECT rollup FROM " + ready_table + " FORMAT TabSeparated", "")))
    ready.insert(row.at(0));
  std::uint64_t stored = 0;  // rows of `events`, counted when a backfill needs it
  for (const Rollup& rollup : clickhouse_rollups()) {
    const std::string target = database_ + "." + rollup.table + suffix;
    run(node,
        "CREATE TABLE IF NOT EXISTS " + target + " " + with_events_table(rollup.columns, events) +
            " ENGINE = " + rollup.engine,
        "");
    if (std::string(rollup.columns).starts_with("AS ")) add_missing_columns(node, target);
    // The view first, then the backfill from what is stored: events inserted in between reach
    // the rollup twice, which its idempotent states absorb.
    std::string view = "CREATE MATERIALIZED VIEW IF NOT EXISTS " + target;
    view.append("_mv TO ").append(target).append(" AS ");
    view.append(with_events_table(rollup.select, events));
    run(node, view, "");
    if (ready.contains(rollup.table)) continue;
    // In slices of the events, each well within one request's timeout.
    if (stored == 0) stored = std::stoull(run(node, "SELECT count() FROM " + events, ""));
    const std::uint64_t slices = stored / limits::kClickHouseBackfillSliceRows + 1;
    for (std::uint64_t k = 0; k < slices; ++k) {
      const std::string slice = "(SELECT * FROM " + events + " WHERE cityHash64(id) % " +
                                std::to_string(slices) + " = " + std::to_string(k) + ")";
      run(node, "INSERT INTO " + target + " " + with_events_table(rollup.select, slice), "");
    }
    run(node, "INSERT INTO " + ready_table + " VALUES (" + clickhouse_quote(rollup.table) + ")",
        "");
  }
  // The versions replaced, once their successors are filled: their views cost every insert.
  // A collector of the older version still running loses its reports here (upgrade one
  // collector first, then the rest: docs/deployment.md).
  for (const Rollup& rollup : clickhouse_rollups()) {
    if (*rollup.replaces == '\0') continue;
    const std::string old = database_ + "." + rollup.replaces + suffix;
    run(node, "DROP TABLE IF EXISTS " + old + "_mv", "");
    run(node, "DROP TABLE IF EXISTS " + old, "");
    if (!suffix.empty()) run(node, "DROP TABLE IF EXISTS " + database_ + "." + rollup.replaces, "");
  }
}

void ClickHouseStore::add_missing_columns(detail::HttpTransport& node, const std::string& table) {
  const std::string present =
      run(node,
          "SELECT name FROM system.columns WHERE database = " + clickhouse_quote(database_) +
              " AND table = " + clickhouse_quote(table.substr(database_.size() + 1)),
          "");
  for (const auto& [column, type] : kAddedColumns) {
    if (present.find(std::string(column) + "\n") == std::string::npos)
      run(node, "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type, "");
  }
}

void ClickHouseStore::on_every_node(const std::function<void(detail::HttpTransport&)>& task) {
  if (options_.cluster.empty() || options_.nodes.empty()) {
    with_reader([&](detail::HttpTransport& node) {
      task(node);
      return std::string();
    });
    return;
  }
  for (const std::string& node : options_.nodes) task(*connect_to(node));
}

ClickHouseStore::~ClickHouseStore() {
  close();
}

std::string ClickHouseStore::run(detail::HttpTransport& transport, const std::string& sql,
                                 const std::string& body, const std::string& settings) {
  detail::HttpRequest req;
  req.method = "POST";
  // The request only views its target: keep the string alive here.
  std::string target;
  if (body.empty()) {
    target = "/?" + settings.substr(settings.empty() ? 0 : 1);
    req.body = sql;
  } else {
    // INSERT: the statement in the URL, the rows in the body.
    target = "/?query=" + url_encode(sql) + settings;
    req.body = body;
  }
  req.target = target;
  if (!authorization_.empty()) req.headers = {{"Authorization", authorization_}};
  return checked(transport.send(req));
}

std::string ClickHouseStore::run_with_table(detail::HttpTransport& transport,
                                            const std::string& sql, const std::string& table,
                                            const std::string& structure, const std::string& tsv) {
  // ClickHouse's "external data": a multipart part per temporary table, named in the URL.
  std::string boundary = "uptake-external-data";
  while (tsv.find(boundary) != std::string::npos) boundary += "-x";
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + table +
                     "\"; filename=\"" + table +
                     "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + tsv + "\r\n--" +
                     boundary + "--\r\n";
  const std::string target = "/?query=" + url_encode(sql) + "&" + table +
                             "_structure=" + url_encode(structure) + "&" + table +
                             "_format=TabSeparated";
  detail::HttpRequest req;
  req.method = "POST";
  req.target = target;
  req.headers = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
  if (!authorization_.empty()) req.headers.emplace_back("Authorization", authorization_);
  req.body = body;
  return checked(transport.send(req));
}

std::string ClickHouseStore::checked(const detail::HttpResponse& res) {
  if (res.status == 0) throw StoreError("clickhouse unreachable: " + res.error);
  if (res.status != 200) {
    throw StoreError("clickhouse answered " + std::to_string(res.status) + ": " +
                     res.body.substr(0, 300));
  }
  return res.body;
}

std::string ClickHouseStore::with_reader(
    const std::function<std::string(detail::HttpTransport&)>& task) {
  std::unique_ptr<detail::HttpTransport> reader;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!reader) reader = connect_to(options_.url);
  std::string result = task(*reader);  // a failed connection is dropped with the exception
  std::lock_guard lock(readers_mutex_);
  idle_readers_.push_back(std::move(reader));
  return result;
}

std::string ClickHouseStore::query(const std::string& sql, const std::string& body) {
  return with_reader([&](detail::HttpTransport& t) { return run(t, sql, body); });
}

void ClickHouseStore::write(std::string app, std::vector<Event> events, WriteCallback done) {
  const std::size_t n = lanes_.size();
  std::vector<std::vector<Event>> by_lane(n);
  const std::size_t app_hash = std::hash<std::string>{}(app);
  for (Event& e : events)
    by_lane[(std::hash<std::string>{}(e.id) ^ app_hash) % n].push_back(std::move(e));
  std::size_t used = 0, last = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (by_lane[k].empty()) continue;
    ++used;
    last = k;
  }
  if (used <= 1) {
    lanes_[last]->committer->submit(
        WriteJob{std::move(app), std::move(by_lane[last]), {}, std::move(done)});
    return;
  }
  auto split = std::make_shared<SplitWrite>(used, std::move(done));
  for (std::size_t k = 0; k < n; ++k) {
    if (by_lane[k].empty()) continue;
    lanes_[k]->committer->submit(WriteJob{
        app, std::move(by_lane[k]), {}, [split](WriteResult r) { split->add(std::move(r)); }});
  }
}

std::size_t ClickHouseStore::queue_depth() const {
  std::size_t depth = 0;
  for (const auto& lane : lanes_) depth += lane->committer->depth();
  return depth;
}

void ClickHouseStore::close() {
  {
    std::lock_guard lock(compact_mutex_);
    closing_ = true;
  }
  compact_wake_.notify_all();
  if (compactor_.joinable()) compactor_.join();
  for (const auto& lane : lanes_) {
    lane->committer->close();
    lane->inserting->wait();  // the last group's INSERT
  }
}

void ClickHouseStore::compact_rollups() {
  const std::string suffix = options_.cluster.empty() ? "" : "_local";
  std::string tables;
  for (const Rollup& rollup : clickhouse_rollups()) {
    if (rollup.compacted)
      tables += (tables.empty() ? "" : ", ") + clickhouse_quote(rollup.table + suffix);
  }
  on_every_node([&](detail::HttpTransport& node) {
    // A partition already in one part is left alone: OPTIMIZE FINAL would rewrite it again. So
    // a day-keyed rollup has only the weeks that got new rows rewritten (an unpartitioned
    // table's one partition is 'all').
    const std::string spread =
        run(node,
            "SELECT table, partition_id FROM system.parts WHERE active AND database = " +
                clickhouse_quote(database_) + " AND table IN (" + tables +
                ") GROUP BY table, partition_id HAVING count() > 1 FORMAT TabSeparated",
            "");
    for (const auto& row : tsv_rows(spread)) {
      run(node,
          "OPTIMIZE TABLE " + database_ + "." + row.at(0) + " PARTITION ID " +
              clickhouse_quote(row.at(1)) + " FINAL",
          "");
    }
  });
}

void ClickHouseStore::compact_periodically() {
  std::unique_lock lock(compact_mutex_);
  while (!compact_wake_.wait_for(lock, options_.compact_every, [this] { return closing_; })) {
    lock.unlock();
    try {
      compact_rollups();
    } catch (const StoreError&) {
      // ClickHouse away or busy: reports stay exact on spread parts, and the next round retries.
    }
    lock.lock();
  }
}

// A group ready to INSERT: its jobs, their counts, and the rows of their new events.
struct ClickHouseStore::PreparedInsert {
  std::vector<WriteJob> jobs;
  std::vector<WriteResult> results;  // one per job
  std::string rows;                  // TabSeparated
  EventKeys keys;                    // every event of the group, new or duplicate
  std::string error;                 // set: the duplicate check failed, the group is refused
};

void ClickHouseStore::commit_group(WriterLane& lane, std::vector<WriteJob>& group) {
  // Once the INSERT is done, what ClickHouse holds is the truth (a deletion may have come since).
  if (!lane.inserting->busy()) lane.in_flight.clear();
  auto next = std::make_shared<PreparedInsert>(
      prepare_insert(*lane.transport, std::move(group), lane.in_flight));
  if (!lane.inserting->wait()) {
    // The INSERT in flight failed: the events this group left out as its duplicates may not
    // be stored, so the group is checked again against what ClickHouse holds.
    *next = prepare_insert(*lane.transport, std::move(next->jobs), {});
  }
  lane.in_flight = std::move(next->keys);
  lane.inserting->start([this, &lane, next] { return insert(*lane.insert_transport, *next); });
}

// Duplicates are found before inserting (ids this app already has, those of the INSERT in
// flight, and repeats within the group), so the 200 can say how many there were;
// ReplacingMergeTree keeps storage exact even when two collectors race on the same resend.
ClickHouseStore::PreparedInsert ClickHouseStore::prepare_insert(detail::HttpTransport& transport,
                                                                std::vector<WriteJob> jobs,
                                                                const EventKeys& in_flight) {
  PreparedInsert out;
  out.jobs = std::move(jobs);
  out.results.resize(out.jobs.size());
  try {
    std::map<std::string, std::string> id_tables;  // app -> its ids, one TSV row each
    for (const WriteJob& job : out.jobs) {
      std::string& table = id_tables[job.app];
      for (const Event& e : job.events) {
        append_tsv_field(table, e.id);
        table += '\n';
      }
    }
    EventKeys& seen = out.keys;
    for (const auto& [app, ids] : id_tables) {
      if (ids.empty()) continue;
      // The ids go as an external table, not an IN list: a list of 100k ids is past the
      // server's query size and AST limits.
      const std::string existing = run_with_table(
          transport,
          "SELECT id FROM " + database_ + ".events WHERE app = " + clickhouse_quote(app) +
              " AND id IN ids FORMAT TabSeparated",
          "ids", "id String", ids);
      for (auto& row : tsv_rows(existing)) seen.emplace(app, row[0]);
    }
    for (std::size_t j = 0; j < out.jobs.size(); ++j) {
      const WriteJob& job = out.jobs[j];
      for (const Event& e : job.events) {
        std::pair<std::string, std::string> key(job.app, e.id);
        if (in_flight.contains(key) || !seen.insert(std::move(key)).second) {
          ++out.results[j].duplicates;
          continue;
        }
        ++out.results[j].inserted;
        append_row(out.rows, job.app, e);
      }
      out.results[j].ok = true;
    }
  } catch (const std::exception& e) {
    out.error = e.what();
    out.rows.clear();
  }
  return out;
}

bool ClickHouseStore::insert(detail::HttpTransport& transport, PreparedInsert& prepared) {
  std::string error = prepared.error;
  if (error.empty() && !prepared.rows.empty()) {
    try {
      // Columns named: a table created before some columns existed has them in another order.
      // The views run side by side (parallel_view_processing): one INSERT then keeps more
      // than one of the server's cores busy.
      run(transport,
          "INSERT INTO " + database_ +
              ".events (app, id, type, name, anon, user, ts, client_ts, received_at, session, "
              "app_version, props, tip, feature, ms_since_install, account, has_ms, survey, "
              "score, has_score, choice, trait_keys, trait_values, trait_strings, has_tip, "
              "has_feature, has_survey, has_choice) FORMAT "
              "TabSeparated",
          prepared.rows,
          std::string("&parallel_view_processing=1") +
              (options_.cluster.empty() ? "" : "&insert_distributed_sync=1"));
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  for (std::size_t j = 0; j < prepared.jobs.size(); ++j) {
    WriteResult result =
        error.empty() ? std::move(prepared.results[j]) : WriteResult{false, error, 0, 0};
    prepared.jobs[j].done(std::move(result));
  }
  return error.empty();
}

StoreHealth ClickHouseStore::health() {
  try {
    // Its own connection: a long report query never delays a health check.
    std::lock_guard lock(health_mutex_);
    if (run(*health_transport_, "SELECT 1", "") == "1\n") return {};
    return {false, "storage_unavailable", "ClickHouse answered SELECT 1 unexpectedly."};
  } catch (const StoreError& e) {
    return {false, "storage_unavailable", std::string("ClickHouse does not answer: ") + e.what()};
  }
}

std::uint64_t ClickHouseStore::delete_person(const std::string& app, const std::string& person) {
  const std::string a = clickhouse_quote(app), p = clickhouse_quote(person),
                    table = database_ + ".events";
  // Anons whose earliest identify ties them to the person (the reports' identity).
  const std::string tied_sql = "SELECT anon FROM " + ties_subquery(database_, a) +
                               " WHERE tie = " + p + " FORMAT TabSeparated";
  std::string tied;
  for (auto& row : tsv_rows(query(tied_sql))) {
    tied += (tied.empty() ? "" : ",") + clickhouse_quote(row[0]);
  }
  const std::string predicate = "app = " + a + " AND (user = " + p +
                                (tied.empty() ? "" : " OR anon IN (" + tied + ")") +
                                " OR (anon = " + p + " AND user = ''))";
  const auto deleted =
      std::stoull(query("SELECT uniqExact(id) FROM " + table + " WHERE " + predicate));
  if (deleted == 0) return 0;
  const std::string suffix = options_.cluster.empty() ? "" : "_local";
  std::vector<std::string> tables{"events" + suffix};
  tables.reserve(clickhouse_rollups().size() + 1);
  for (const Rollup& rollup : clickhouse_rollups()) tables.push_back(rollup.table + suffix);
  on_every_node([&](detail::HttpTransport& node) {
    // ALTER DELETE does not reach what materialized views wrote: every rollup is deleted from
    // too. user and anon are key columns of each, so the same predicate is exact there.
    std::string names;
    for (const std::string& t : tables) {
      std::string alter = "ALTER TABLE " + database_;
      alter.append(".").append(t).append(" DELETE WHERE ").append(predicate);
      run(node, alter, "");
      names += (names.empty() ? "" : ", ") + clickhouse_quote(t);
    }
    // Mutations run in the background; answer only once they are done, so reports after the
    // DELETE no longer see the person.
    const auto deadline = std::chrono::steady_clock::now() + limits::kClickHouseMutationWait;
    while (run(node,
               "SELECT count() FROM system.mutations WHERE database = " +
                   clickhouse_quote(database_) + " AND table IN (" + names + ") AND is_done = 0",
               "") != "0\n") {
      if (std::chrono::steady_clock::now() > deadline)
        throw StoreError("clickhouse: the deletion is still running");
      std::this_thread::sleep_for(limits::kClickHouseMutationPoll);
    }
  });
  return deleted;
}

std::optional<StoredConfig> ClickHouseStore::get_config(const std::string& app) {
  // argMax: on a cluster the rows of one app may sit in parts not merged yet.
  const auto rows = tsv_rows(query("SELECT argMax(body, version), argMax(etag, version) FROM " +
                                   database_ + ".app_config WHERE app = " + clickhouse_quote(app) +
                                   " HAVING count() > 0 FORMAT TabSeparated"));
  if (rows.empty() || rows[0].size() != 2) return std::nullopt;
  return StoredConfig{rows[0][0], rows[0][1]};
}

void ClickHouseStore::put_config(const std::string& app, const StoredConfig& config) {
  std::string row;
  append_tsv_field(row, app);
  row += '\t';
  append_tsv_field(row, config.body);
  row += '\t';
  append_tsv_field(row, config.etag);
  row += '\t' +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()) +
         '\n';
  query("INSERT INTO " + database_ + ".app_config FORMAT TabSeparated", row);
}

Report ClickHouseStore::compute_report(const ReportRequest& request) {
  // Its own HTTP session, named uniquely across collectors and reports: a session runs one
  // query at a time and holds the report's temporary tables until it ends.
  const std::string session =
      "&session_id=uptake-" + session_prefix_ + "-" + std::to_string(next_session_.fetch_add(1)) +
      "&session_timeout=" + std::to_string(limits::kClickHouseRequestTimeout.count()) +
      "&max_query_size=" + std::to_string(limits::kClickHouseMaxReportQueryBytes);
  const ClickHouseQuery ask = [&](const std::string& sql) {
    return with_reader([&](detail::HttpTransport& t) { return run(t, sql, "", session); });
  };
  return run_clickhouse_report(ask, database_, request);
}

}  // namespace uptake::collector
