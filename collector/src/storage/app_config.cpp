#include "storage/app_config.hpp"

#include <openssl/sha.h>

namespace uptake::collector {

std::string default_app_config() {
  return R"({"key_actions":[],"tips":[],"limits":{"max_tips_per_session":1,"min_minutes_between_tips":30}})";
}

std::string config_etag(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int i = 0; i < 16; ++i) {
    etag.push_back(kHex[digest[i] >> 4]);
    etag.push_back(kHex[digest[i] & 0xF]);
  }
  etag.push_back('"');
  return etag;
}

}  // namespace uptake::collector
