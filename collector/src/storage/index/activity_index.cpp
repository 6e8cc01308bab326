#include "storage/index/activity_index.hpp"

#include "config/limits.hpp"
#include "storage/index/app_index.hpp"
#include "storage/index/persons.hpp"
#include "storage/index/report_scope.hpp"
#include "storage/store.hpp"

namespace uptake::collector {

struct ActivityIndex::App {
  AppIndex index;
  std::unique_ptr<PersonTable> persons;  // rebuilt when the index's identities change
};

ActivityIndex::ActivityIndex() : folder_([this] { run_folder(); }) {}

ActivityIndex::~ActivityIndex() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
    loaded_ = true;  // nobody waits for a load that will not come
  }
  queue_wake_.notify_all();
  loaded_wake_.notify_all();
  folder_.join();
}

ActivityIndex::App& ActivityIndex::app(const std::string& name) {
  auto it = apps_.find(name);
  if (it == apps_.end()) it = apps_.emplace(name, std::make_unique<App>()).first;
  return *it->second;
}

void ActivityIndex::add(const std::string& app_name, std::vector<Event> events) {
  if (events.empty()) return;
  bool wake = false;
  {
    std::lock_guard lock(queue_mutex_);
    queued_events_ += events.size();
    queue_.emplace_back(app_name, std::move(events));
    wake = queued_events_ >= limits::kIndexFoldEvents;
  }
  if (wake) queue_wake_.notify_one();
}

void ActivityIndex::fold_queued() {
  std::vector<std::pair<std::string, std::vector<Event>>> batch;
  {
    std::lock_guard lock(queue_mutex_);
    batch.swap(queue_);
    queued_events_ = 0;
  }
  if (batch.empty()) return;
  std::unique_lock lock(mutex_);
  for (const auto& [name, events] : batch) {
    AppIndex& index = app(name).index;
    for (const Event& e : events) index.add(view_of(e));
  }
}

void ActivityIndex::run_folder() {
  std::unique_lock lock(queue_mutex_);
  while (!stopping_) {
    queue_wake_.wait_for(lock, limits::kIndexFoldInterval,
                         [&] { return stopping_ || queued_events_ >= limits::kIndexFoldEvents; });
    if (stopping_) break;
    if (queue_.empty() || !loaded_) continue;
    lock.unlock();
    fold_queued();
    lock.lock();
  }
}

void ActivityIndex::load(const std::function<void(const Fold&)>& load) {
  fold_queued();
  std::unique_lock lock(mutex_);
  load([this](const std::string& name, const EventView& e) { app(name).index.add(e); });
}

void ActivityIndex::rebuild(const std::string& name,
                            const std::function<void(const Fold&)>& replay) {
  // What is queued is stored already: fold it first, or the replay would count it twice.
  fold_queued();
  std::unique_lock lock(mutex_);
  apps_.erase(name);
  App& fresh = app(name);
  replay([&](const std::string& event_app, const EventView& e) {
    if (event_app == name) fresh.index.add(e);
  });
}

void ActivityIndex::mark_loaded() {
  {
    std::lock_guard lock(queue_mutex_);
    loaded_ = true;
  }
  loaded_wake_.notify_all();
}

Report ActivityIndex::report(const ReportRequest& request) {
  {
    std::unique_lock lock(queue_mutex_);
    loaded_wake_.wait(lock, [&] { return loaded_; });
  }
  fold_queued();  // every acknowledged event is in
  for (;;) {
    {
      std::shared_lock lock(mutex_);
      const auto it = apps_.find(request.app);
      if (it == apps_.end()) {
        static const AppIndex empty;
        const PersonTable nobody(empty);
        return index_detail::compute(index_detail::make_scope(empty, nobody, request));
      }
      const App& a = *it->second;
      if (a.persons && a.persons->identity_generation() == a.index.identity_generation())
        return index_detail::compute(index_detail::make_scope(a.index, *a.persons, request));
    }
    // Identities changed since the person table was built: rebuild it, then read again.
    std::unique_lock lock(mutex_);
    App& a = app(request.app);
    if (!a.persons || a.persons->identity_generation() != a.index.identity_generation())
      a.persons = std::make_unique<PersonTable>(a.index);
  }
}

std::set<std::string> ActivityIndex::tied_anons(const std::string& app_name,
                                                const std::string& user) {
  fold_queued();
  std::shared_lock lock(mutex_);
  std::set<std::string> out;
  const auto it = apps_.find(app_name);
  if (it == apps_.end()) return out;
  const auto& actors = it->second->index.actors();
  for (const Actor& a : actors) {
    if (!a.is_user && a.tie != kNone && actors[a.tie].name == user) out.insert(a.name);
  }
  return out;
}

}  // namespace uptake::collector
