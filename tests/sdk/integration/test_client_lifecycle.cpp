// The client's life: start, shutdown (bounded, idempotent, from any thread), and what the app
// may still call around it.
#include <future>

#include "client_fixture.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

using ClientLifecycle = ClientTest;

TEST_F(ClientLifecycle, ShutdownIsIdempotentAndEveryCallGetsTheFirstResult) {
  Client client(config());
  client.track("before_shutdown");
  EXPECT_TRUE(client.shutdown(10s));
  EXPECT_TRUE(client.shutdown(0ms)) << "the second call returns the first call's result";
  client.track("after_shutdown");
  client.identify("nobody");
  const Stats s = client.stats();
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.dropped_invalid + s.dropped_queue_full, 0u) << "not recording is not dropping";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.flush(5s)) << "nothing is pending";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "and flush() does not wait for it";
  EXPECT_EQ(tracked("before_shutdown").size(), 1u);
  EXPECT_EQ(tracked("after_shutdown").size(), 0u);
}

TEST_F(ClientLifecycle, ConcurrentShutdownsAllReturnOnceTheFirstHasFinished) {
  Client client(config());
  for (int i = 0; i < 100; ++i) client.track("many");
  auto a = std::async(std::launch::async, [&] { return client.shutdown(10s); });
  auto b = std::async(std::launch::async, [&] { return client.shutdown(10s); });
  EXPECT_TRUE(a.get());
  EXPECT_TRUE(b.get());
  EXPECT_EQ(tracked("many").size(), 100u);
}

TEST_F(ClientLifecycle, OptingBackInWhileShutdownDrainsDoesNotRestartRecording) {
  receiver_->push_reply({.stall = 1500ms});
  {
    Client client(config());
    client.track("in_flight");
    std::this_thread::sleep_for(300ms);  // the request is now in flight, the receiver stalling
    auto done = std::async(std::launch::async, [&] { return client.shutdown(5s); });
    std::this_thread::sleep_for(300ms);  // shutdown() is now waiting for delivery
    client.set_opt_out(false);
    client.track("during_shutdown");
    EXPECT_TRUE(done.get());
  }
  Client next(config());
  ASSERT_TRUE(next.flush(10s));
  EXPECT_GE(tracked("in_flight").size(), 1u);
  EXPECT_EQ(tracked("during_shutdown").size(), 0u);
}
