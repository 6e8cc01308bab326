#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "client_fixture.hpp"

extern char** environ;

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

using ClientFaults = ClientTest;

TEST_F(ClientFaults, ServerErrorsAreRetriedUntilDeliveredOnce) {
  receiver_->push_reply({.status = 500});
  receiver_->push_reply({.status = 503});
  Client client(config());
  for (int i = 0; i < 50; ++i) client.track("retry_me", {{"i", i}});
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("retry_me").size(), 50u);
  EXPECT_EQ(receiver_->ids().size(), receiver_->unique_ids().size());
  EXPECT_GE(client.stats().retries, 2u);
}

TEST_F(ClientFaults, ALostResponseIsResentWithTheSameIds) {
  receiver_->push_reply({.close_mid_response = true});
  Client client(config());
  for (int i = 0; i < 20; ++i) client.track("resent", {{"i", i}});
  ASSERT_TRUE(client.flush(10s));
  // The receiver stored the batch, the client never heard: it resends the same ids, so the
  // collector's dedup counts each event once.
  const auto ids = receiver_->ids();
  const auto unique = receiver_->unique_ids();
  EXPECT_EQ(ids.size(), 2 * unique.size());
  EXPECT_EQ(tracked("resent").size(), 40u);
}

TEST_F(ClientFaults, RetryAfterIsHonoured) {
  receiver_->push_reply({.status = 429, .retry_after_s = 2});
  Client client(config());
  client.track("rate_limited");
  ASSERT_TRUE(client.flush(15s));
  const auto reqs = receiver_->requests();
  ASSERT_GE(reqs.size(), 2u);
  EXPECT_GE(reqs[1].at - reqs[0].at, 2s);
  // Uptake-Sent-At is set afresh on the resend.
  ASSERT_TRUE(reqs[0].sent_at_ms && reqs[1].sent_at_ms);
  EXPECT_GE(*reqs[1].sent_at_ms - *reqs[0].sent_at_ms, 2000);
}

TEST_F(ClientFaults, ClientErrorsDropTheBatchAndCountIt) {
  receiver_->push_reply({.status = 400});
  Config c = config();
  c.flush_interval_ms = 10s;
  Client client(c);
  for (int i = 0; i < 5; ++i) client.track("doomed");
  EXPECT_TRUE(client.flush(10s));                      // settled: dropped is not pending
  EXPECT_EQ(client.stats().dropped_client_error, 6u);  // 5 + $session_start
  client.track("after");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("doomed").size(), 0u);
  EXPECT_EQ(tracked("after").size(), 1u);
}

TEST_F(ClientFaults, TooLargeBatchesAreHalvedUntilTheyFit) {
  Config c = config();
  c.flush_interval_ms = 10s;
  c.compression_level = 1;
  Client client(c);
  receiver_->set_max_body_bytes(2500);
  for (int i = 0; i < 400; ++i) {
    client.track("bulky", {{"i", i}, {"noise", std::to_string(i * 7919u * 104729u)}});
  }
  ASSERT_TRUE(client.flush(20s));
  EXPECT_EQ(tracked("bulky").size(), 400u);
  EXPECT_EQ(receiver_->ids().size(), receiver_->unique_ids().size());
}

TEST_F(ClientFaults, OneEventOverTheLimitIsDroppedAndCounted) {
  receiver_->set_max_body_bytes(100);
  Config c = config();
  c.max_batch_events = 1;
  Client client(c);
  client.track("huge", {{"blob", std::string(6000, 'z')}});
  EXPECT_TRUE(eventually([&] { return client.stats().dropped_too_large >= 1; }));
}

TEST_F(ClientFaults, OutageSpoolsThenDeliversWhenTheCollectorReturns) {
  receiver_->stop();
  Client client(config());
  for (int i = 0; i < 300; ++i) client.track("offline", {{"i", i}});
  EXPECT_FALSE(client.flush(500ms));
  EXPECT_GE(client.stats().spooled_events, 300u);
  EXPECT_GT(client.stats().spool_bytes, 0u);
  EXPECT_GT(client.stats().retries, 0u);
  restart_receiver();
  ASSERT_TRUE(client.flush(15s));
  EXPECT_EQ(tracked("offline").size(), 300u);
  EXPECT_EQ(client.stats().spool_bytes, 0u);
}

TEST_F(ClientFaults, EventsSpooledByAKilledProcessAreDeliveredByTheNextRun) {
  receiver_->stop();
  const Config c = config();
  int out_pipe[2];
  ASSERT_EQ(pipe(out_pipe), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  std::string endpoint = c.endpoint, dir = c.data_dir, ca = c.tls_ca_file, count = "250";
  char* argv[] = {const_cast<char*>(UPTAKE_SPOOL_CHILD),
                  endpoint.data(),
                  dir.data(),
                  ca.data(),
                  count.data(),
                  nullptr};
  pid_t pid;
  ASSERT_EQ(posix_spawn(&pid, UPTAKE_SPOOL_CHILD, &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  std::string output;
  char buf[64];
  ssize_t n;
  while (output.find("SPOOLED") == std::string::npos &&
         (n = read(out_pipe[0], buf, sizeof buf)) > 0) {
    output.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_NE(output.find("SPOOLED"), std::string::npos) << output;
  ASSERT_TRUE(WIFSIGNALED(status));

  restart_receiver();
  Client client(c);
  ASSERT_TRUE(client.flush(15s));
  const auto lines = tracked("child_event");
  ASSERT_EQ(lines.size(), 250u);
  std::set<std::string> props;
  for (const auto& l : lines) props.insert(l.substr(l.find("\"props\"")));
  EXPECT_EQ(props.size(), 250u);
}

TEST_F(ClientFaults, ACorruptSpoolRecordIsSkippedAndTheRestDelivered) {
  receiver_->stop();
  {
    Client client(config());
    client.track("before_corruption");
    client.flush(300ms);
  }
  const auto spool = std::filesystem::path(config().data_dir) / "spool";
  std::ofstream(spool / "0000000000000000-0000000000000000.upb") << "not a spool record";
  restart_receiver();
  Client client(config());
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("before_corruption").size(), 1u);
  EXPECT_EQ(client.stats().dropped_spool_corrupt, 1u);
}

TEST_F(ClientFaults, TheSpoolStaysWithinItsSizeLimitDuringAnOutage) {
  receiver_->stop();
  Config c = config();
  c.max_spool_bytes = 64 * 1024;
  c.max_batch_events = 50;
  c.compression_level = 1;
  Client client(c);
  for (int i = 0; i < 20000; ++i) {
    client.track("flood", {{"i", i}, {"r", std::to_string(i * 2654435761u)}});
    if (i % 1000 == 0) std::this_thread::sleep_for(5ms);
  }
  client.flush(1s);
  const Stats s = client.stats();
  EXPECT_LE(s.spool_bytes, 64u * 1024);
  EXPECT_GT(s.dropped_spool_full, 0u);
}

TEST_F(ClientFaults, ShutdownIsBoundedWhileTheCollectorStalls) {
  receiver_->push_reply({.stall = 20s});
  Config c = config();
  c.request_timeout_ms = 60s;
  auto client = std::make_unique<Client>(c);
  client->track("stalled");
  std::this_thread::sleep_for(500ms);  // the request is now in flight, the receiver stalling
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(client->shutdown(500ms));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 10s) << "shutdown must not wait for the stalled request";
  client.reset();
  // What was not acknowledged stays spooled for the next run.
  receiver_->stop();
  restart_receiver();
  Client next(config());
  ASSERT_TRUE(next.flush(10s));
  EXPECT_GE(tracked("stalled").size(), 1u);
}

TEST_F(ClientFaults, RejectedLinesAreCountedFromRejectedTotalNotTheCappedList) {
  // The collector lists at most the first 100 rejected lines and counts them all.
  receiver_->push_reply(
      {.body = R"({"accepted":4,"duplicates":0,"rejected":[{"line":2,"error":"ts out of range"}],)"
               R"("rejected_total":7})"});
  Config c = config();
  c.flush_interval_ms = 10s;
  Client client(c);
  for (int i = 0; i < 10; ++i) client.track("partly_rejected", {{"i", i}});
  ASSERT_TRUE(client.flush(10s));
  const Stats s = client.stats();
  EXPECT_EQ(s.batches_sent, 1u);
  EXPECT_EQ(s.rejected_by_collector, 7u);
  EXPECT_EQ(s.sent, 4u);  // 10 + $session_start, less the 7 rejected
}
