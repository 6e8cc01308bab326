#pragma once
// A receiver with a fresh certificate, a temp data dir, and a Config wired to both.

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "temp_dir.hpp"
#include "test_receiver.hpp"
#include "uptake/uptake.hpp"

namespace uptake::test {

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = make_test_certificate(certs_.path());
    receiver_ = std::make_unique<TestReceiver>(cert_);
  }

  Config config() const {
    Config c;
    c.endpoint = receiver_->endpoint();
    c.write_key = "wk_test";
    c.app_version = "1.2.3";
    c.data_dir = data_.str("install");
    c.tls_ca_file = cert_.cert_file.string();
    c.flush_interval_ms = std::chrono::milliseconds(50);
    c.retry_base_ms = std::chrono::milliseconds(20);
    c.retry_cap_ms = std::chrono::milliseconds(200);
    c.connect_timeout_ms = std::chrono::milliseconds(2000);
    c.request_timeout_ms = std::chrono::milliseconds(5000);
    c.shutdown_timeout_ms = std::chrono::milliseconds(2000);
    return c;
  }

  std::string config_dir() const { return data_.str("install"); }

  /// Restarts the receiver on the same port (an outage that ends).
  void restart_receiver() {
    const auto port = receiver_->port();
    receiver_.reset();
    receiver_ = std::make_unique<TestReceiver>(cert_, port);
  }

  /// Lines of `track` events named `name`.
  std::vector<std::string> tracked(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& l : receiver_->lines()) {
      if (json_field(l, "name") == name) out.push_back(l);
    }
    return out;
  }

  template <typename Pred>
  static bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
  }

  TempDir certs_;
  TempDir data_;
  TestCertificate cert_;
  std::unique_ptr<TestReceiver> receiver_;
};

}  // namespace uptake::test
