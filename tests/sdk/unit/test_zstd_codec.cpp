#include <gtest/gtest.h>

#include "zstd_codec.hpp"

using namespace uptake::detail;

TEST(ZstdCodec, RoundTripsAndEnforcesTheOutputLimit) {
  ZstdCompressor c(3);
  const std::string text(1 << 20, 'x');
  const std::string z = c.compress(text);
  EXPECT_LT(z.size(), 1000u);
  EXPECT_EQ(zstd_decompress(z, 1 << 20), text);
  EXPECT_FALSE(zstd_decompress(z, (1 << 20) - 1));  // a bomb is cut off while decoding
}

TEST(ZstdCodec, CorruptOrTruncatedFramesAreRefused) {
  ZstdCompressor c(3);
  std::string z = c.compress("hello hello hello hello");
  EXPECT_FALSE(zstd_decompress(z.substr(0, z.size() - 3), 1000));
  z[z.size() / 2] ^= 0x55;
  EXPECT_FALSE(zstd_decompress(z, 1000));
  EXPECT_FALSE(zstd_decompress("not zstd at all", 1000));
}
