#include <gtest/gtest.h>

#include "uptake_common/endpoint_url.hpp"

using namespace uptake::detail;

TEST(EndpointUrl, ParsesSchemeHostPortAndPrefix) {
  std::string err;
  auto u = parse_endpoint_url("https://collect.example.com:8443/uptake/", err);
  ASSERT_TRUE(u) << err;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "collect.example.com");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->base_path, "/uptake");
  u = parse_endpoint_url("http://[::1]", err);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "80");
}

TEST(EndpointUrl, RejectsWhatCannotWork) {
  std::string err;
  EXPECT_FALSE(parse_endpoint_url("ftp://x", err));
  EXPECT_FALSE(parse_endpoint_url("https://", err));
  EXPECT_FALSE(parse_endpoint_url("https://host:99999", err));
  EXPECT_FALSE(parse_endpoint_url("https://host:abc", err));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}
