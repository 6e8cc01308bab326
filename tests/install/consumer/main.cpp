// Built against the installed SDK only: the public headers must be enough.
#include <uptake/uptake.hpp>

#include <cstdio>

int main() {
  uptake::Config config;
  config.endpoint = "ftp://invalid";
  try {
    uptake::Client client(config);
  } catch (const uptake::ConfigError& e) {
    std::puts(e.what());
    return 0;  // the library linked and validated the config
  }
  return 1;
}
