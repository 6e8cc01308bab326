#include "clickhouse_store.hpp"

#include <cctype>
#include <chrono>
#include <map>
#include <set>

#include "endpoint_url.hpp"
#include "http_transport.hpp"

namespace uptake::collector {
namespace {

// Bounded so one INSERT stays a few MB.
constexpr std::size_t kMaxEventsPerInsert = 100'000;

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// Rows of a FORMAT TabSeparated answer, each split into unescaped fields.
std::vector<std::vector<std::string>> tsv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      const char n = text[++i];
      row.back() += n == 't'   ? '\t'
                    : n == 'n' ? '\n'
                    : n == 'r' ? '\r'
                    : n == '0' ? '\0'
                    : n == 'b' ? '\b'
                    : n == 'f' ? '\f'
                               : n;
    } else if (c == '\t') {
      row.emplace_back();
    } else if (c == '\n') {
      rows.push_back(std::move(row));
      row.assign(1, std::string());
    } else {
      row.back() += c;
    }
  }
  return rows;
}

}  // namespace

std::string clickhouse_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

void append_tsv_field(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out.push_back(c);
    }
  }
}

ClickHouseStore::ClickHouseStore(const std::string& url, const std::string& user,
                                 const std::string& password) {
  std::string error;
  auto parsed = detail::parse_endpoint_url(url, error);
  if (!parsed) throw StoreError("clickhouse url: " + error);
  database_ = parsed->base_path.empty() ? "uptake" : parsed->base_path.substr(1);
  if (database_.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos) {
    throw StoreError("clickhouse url: the database name must be letters, digits and _");
  }
  parsed->base_path.clear();
  detail::TransportOptions t;
  t.url = *parsed;
  t.connect_timeout = std::chrono::seconds(5);
  t.request_timeout = std::chrono::seconds(60);
  t.max_response_bytes = 256 * 1024 * 1024;
  writer_transport_ = std::make_unique<detail::HttpTransport>(t);
  reader_transport_ = std::make_unique<detail::HttpTransport>(t);
  if (!user.empty())
    auth_query_ = "&user=" + url_encode(user) + "&password=" + url_encode(password);

  query("CREATE DATABASE IF NOT EXISTS " + database_);
  // Dedup key = sort key: (app, id). Reads use FINAL, so the count is exact even before the
  // background merges have collapsed a resend.
  query("CREATE TABLE IF NOT EXISTS " + database_ +
        ".events (app String, id String, type UInt8, name String, anon String, user String, ts "
        "Int64, "
        "client_ts Int64, received_at Int64, session String, app_version String, props String) "
        "ENGINE = ReplacingMergeTree() ORDER BY (app, id)");
  query("CREATE TABLE IF NOT EXISTS " + database_ +
        ".app_config (app String, body String, etag String, version UInt64) "
        "ENGINE = ReplacingMergeTree(version) ORDER BY app");
  writer_ = std::thread([this] { run_writer(); });
}

ClickHouseStore::~ClickHouseStore() {
  close();
}

std::string ClickHouseStore::run(detail::HttpTransport& transport, const std::string& sql,
                                 const std::string& body) {
  detail::HttpRequest req;
  std::string target;
  if (body.empty()) {
    req.method = "POST";
    target = "/?" + auth_query_.substr(auth_query_.empty() ? 0 : 1);
    req.body = sql;
  } else {
    // INSERT: the statement in the URL, the rows in the body.
    req.method = "POST";
    target = "/?query=" + url_encode(sql) + auth_query_;
    req.body = body;
  }
  req.target = target;
  const detail::HttpResponse res = transport.send(req);
  if (res.status == 0) throw StoreError("clickhouse unreachable: " + res.error);
  if (res.status != 200) {
    throw StoreError("clickhouse answered " + std::to_string(res.status) + ": " +
                     res.body.substr(0, 300));
  }
  return res.body;
}

std::string ClickHouseStore::query(const std::string& sql, const std::string& body) {
  std::lock_guard lock(reader_mutex_);
  return run(*reader_transport_, sql, body);
}

void ClickHouseStore::write(std::string app, std::vector<Event> events, WriteCallback done) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(Job{std::move(app), std::move(events), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(WriteResult{false, "storage is shutting down", 0, 0});
}

std::size_t ClickHouseStore::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void ClickHouseStore::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    wake_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
}

void ClickHouseStore::run_writer() {
  for (;;) {
    std::deque<Job> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;
      std::size_t events = 0;
      while (!queue_.empty() && events < kMaxEventsPerInsert) {
        events += queue_.front().events.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_group(group);
  }
}

// Duplicates are found before inserting (ids this app already has, and repeats within the
// group), so the 200 can say how many there were; ReplacingMergeTree keeps storage exact
// even when two collectors race on the same resend.
void ClickHouseStore::commit_group(std::deque<Job>& group) {
  std::vector<WriteResult> results(group.size());
  try {
    std::map<std::string, std::string> id_lists;  // app -> quoted id list
    for (const Job& job : group) {
      std::string& list = id_lists[job.app];
      for (const Event& e : job.events) {
        if (!list.empty()) list += ',';
        list += clickhouse_quote(e.id);
      }
    }
    std::set<std::pair<std::string, std::string>> seen;  // (app, id)
    for (const auto& [app, list] : id_lists) {
      if (list.empty()) continue;
      const std::string existing =
          run(*writer_transport_,
              "SELECT id FROM " + database_ + ".events WHERE app = " + clickhouse_quote(app) +
                  " AND id IN (" + list + ") FORMAT TabSeparated",
              "");
      for (auto& row : tsv_rows(existing)) seen.emplace(app, row[0]);
    }
    std::string rows;
    for (std::size_t j = 0; j < group.size(); ++j) {
      for (const Event& e : group[j].events) {
        if (!seen.emplace(group[j].app, e.id).second) {
          ++results[j].duplicates;
          continue;
        }
        ++results[j].inserted;
        for (const std::string* f : {static_cast<const std::string*>(&group[j].app), &e.id}) {
          append_tsv_field(rows, *f);
          rows += '\t';
        }
        rows += std::to_string(static_cast<int>(e.type)) + '\t';
        for (const std::string* f : {&e.name, &e.anon, &e.user}) {
          append_tsv_field(rows, *f);
          rows += '\t';
        }
        rows += std::to_string(e.ts) + '\t' + std::to_string(e.client_ts) + '\t' +
                std::to_string(e.received_at) + '\t';
        append_tsv_field(rows, e.session);
        rows += '\t';
        append_tsv_field(rows, e.app_version);
        rows += '\t';
        append_tsv_field(rows, e.props);
        rows += '\n';
      }
      results[j].ok = true;
    }
    if (!rows.empty())
      run(*writer_transport_, "INSERT INTO " + database_ + ".events FORMAT TabSeparated", rows);
  } catch (const std::exception& e) {
    for (auto& r : results) r = WriteResult{false, e.what(), 0, 0};
  }
  for (std::size_t j = 0; j < group.size(); ++j) group[j].done(std::move(results[j]));
}

bool ClickHouseStore::healthy() {
  try {
    return query("SELECT 1") == "1\n";
  } catch (const StoreError&) {
    return false;
  }
}

std::uint64_t ClickHouseStore::delete_person(const std::string& app, const std::string& person) {
  const std::string a = clickhouse_quote(app), p = clickhouse_quote(person),
                    table = database_ + ".events";
  // Anons whose earliest identify ties them to the person (METRICS.md identity).
  std::string tied;
  for (auto& row :
       tsv_rows(query("SELECT anon FROM (SELECT anon, argMin(user, ts) AS tie FROM " + table +
                      " FINAL WHERE app = " + a + " AND type = 1 GROUP BY anon) WHERE tie = " + p +
                      " FORMAT TabSeparated"))) {
    tied += (tied.empty() ? "" : ",") + clickhouse_quote(row[0]);
  }
  const std::string predicate = "app = " + a + " AND (user = " + p +
                                (tied.empty() ? "" : " OR anon IN (" + tied + ")") +
                                " OR (anon = " + p + " AND user = ''))";
  const auto deleted =
      std::stoull(query("SELECT count() FROM " + table + " FINAL WHERE " + predicate));
  if (deleted == 0) return 0;
  query("ALTER TABLE " + table + " DELETE WHERE " + predicate);
  // Mutations run in the background; answer only once they are done, so reports after the
  // DELETE no longer see the person.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (query("SELECT count() FROM system.mutations WHERE database = " +
               clickhouse_quote(database_) + " AND table = 'events' AND is_done = 0") != "0\n") {
    if (std::chrono::steady_clock::now() > deadline)
      throw StoreError("clickhouse: the deletion is still running");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return deleted;
}

std::optional<StoredConfig> ClickHouseStore::get_config(const std::string& app) {
  const auto rows = tsv_rows(query("SELECT body, etag FROM " + database_ +
                                   ".app_config FINAL WHERE app = " + clickhouse_quote(app) +
                                   " FORMAT TabSeparated"));
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

Report ClickHouseStore::report(const ReportRequest&) {
  throw NotSupported(
      "reports are not served by the ClickHouse backend yet; use the SQLite backend for reports");
}

}  // namespace uptake::collector
