#pragma once
// Opens the store a --db option names (sqlite:PATH or clickhouse:URL): the one place that
// knows which backend a spec means and how each is configured.

#include <memory>

#include "config/options.hpp"
#include "storage/store.hpp"

namespace uptake::collector {

enum class StoreAccess {
  /// The collector: owns the database, writes, maintains what reports read.
  owner,
  /// A command run beside a collector (report, export): owns the database when nobody else
  /// does, else reads what the running collector has written.
  reader,
};

/// Opens the store of `options.db` with the options' backend settings. Throws StoreError
/// (StoreBusy when another collector owns a SQLite file and access is owner).
std::unique_ptr<Store> open_store(const Options& options, StoreAccess access);

}  // namespace uptake::collector
