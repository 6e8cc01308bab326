// Helper for the SIGKILL test: records events while the collector is down, says SPOOLED once
// they are all on disk, then waits to be killed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "uptake/uptake.hpp"

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  uptake::Config c;
  c.endpoint = argv[1];
  c.write_key = "wk_test";
  c.data_dir = argv[2];
  c.tls_ca_file = argv[3];
  c.flush_interval_ms = std::chrono::milliseconds(20);
  c.retry_base_ms = std::chrono::milliseconds(50);
  c.retry_cap_ms = std::chrono::milliseconds(100);
  const int count = std::atoi(argv[4]);
  auto* client = new uptake::Client(c);  // never destroyed: the process dies by SIGKILL
  for (int i = 0; i < count; ++i) client->track("child_event", {{"i", i}});
  while (client->stats().spooled_events < static_cast<std::uint64_t>(count)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::printf("SPOOLED\n");
  std::fflush(stdout);
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}
