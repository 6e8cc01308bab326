#include "client_fixture.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

using ClientTls = ClientTest;

TEST_F(ClientTls, AnUnknownCertificateAuthorityIsRefused) {
  Config c = config();
  c.tls_ca_file.clear();  // the system trust store does not know our test CA
  Client client(c);
  client.track("untrusted");
  EXPECT_FALSE(client.flush(1s));
  EXPECT_TRUE(receiver_->requests().empty());
  EXPECT_GT(client.stats().retries, 0u);
}

TEST_F(ClientTls, AWrongHostNameIsRefused) {
  // A certificate from a trusted CA (itself) that names another host.
  TempDir other_dir;
  const TestCertificate other =
      make_test_certificate(other_dir.path(), "DNS:collector.example.com");
  TestReceiver impostor(other);
  Config c = config();
  c.endpoint = impostor.endpoint();
  c.tls_ca_file = other.cert_file.string();
  Client client(c);
  client.track("impostor");
  EXPECT_FALSE(client.flush(1s));
  EXPECT_TRUE(impostor.requests().empty());
}

TEST_F(ClientTls, TheRightHostAndCaAreAccepted) {
  Client client(config());
  client.track("trusted");
  EXPECT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("trusted").size(), 1u);
}

TEST(ClientPlainHttp, LoopbackCollectorsMayUsePlainHttp) {
  TempDir data;
  TestReceiver plain(std::nullopt);
  Config c;
  c.endpoint = plain.endpoint();
  c.write_key = "wk";
  c.data_dir = data.str("d");
  Client client(c);
  client.track("over_http");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(plain.unique_ids().size(), 2u);  // $session_start + the event
}
