#pragma once
// The SQLite store's report engine: every stored event of every app folded into an in-memory
// activity index (app_index.hpp) that reports read in milliseconds, whatever the window or the
// segment. Nothing depends on it surviving: it is rebuilt from the stored events when a store
// opens, and a GDPR deletion rebuilds the app it touched.
//
// Writers never wait for readers: committed events are queued (add) and folded in by a
// background thread, or by the next report before it reads, so every report includes every
// acknowledged event.

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "reports/report.hpp"
#include "reports/report_request.hpp"
#include "storage/event.hpp"

namespace uptake::collector {

class AppIndex;
class PersonTable;

class ActivityIndex {
 public:
  ActivityIndex();
  ~ActivityIndex();
  ActivityIndex(const ActivityIndex&) = delete;
  ActivityIndex& operator=(const ActivityIndex&) = delete;

  /// Queues committed events of `app` (any thread; never waits for a report).
  void add(const std::string& app, std::vector<Event> events);

  /// Exclusive access for loading and rebuilding: `fold(app, event)` adds one event at once.
  using Fold = std::function<void(const std::string& app, const EventView& e)>;
  /// Runs `load(fold)` with every queued event folded first, reports waiting meanwhile.
  void load(const std::function<void(const Fold&)>& load);
  /// Forgets `app` and refills it with `replay(fold)`, reports waiting meanwhile.
  void rebuild(const std::string& app, const std::function<void(const Fold&)>& replay);
  /// Reports wait until this is called once (the store has loaded what was stored).
  void mark_loaded();

  /// Computes a report on everything added so far. Throws StoreError on a bad request.
  Report report(const ReportRequest& request);

  /// The anons of `app` an identify ties to `user` now (their earliest identify names it).
  std::set<std::string> tied_anons(const std::string& app, const std::string& user);

 private:
  struct App;
  App& app(const std::string& name);  // with the exclusive lock held
  void fold_queued();                 // takes the exclusive lock
  void run_folder();

  std::shared_mutex mutex_;  // guards apps_ and everything in them
  std::map<std::string, std::unique_ptr<App>, std::less<>> apps_;

  std::mutex queue_mutex_;
  std::condition_variable queue_wake_, loaded_wake_;
  std::vector<std::pair<std::string, std::vector<Event>>> queue_;
  std::size_t queued_events_ = 0;
  bool loaded_ = false, stopping_ = false;
  std::thread folder_;
};

}  // namespace uptake::collector
