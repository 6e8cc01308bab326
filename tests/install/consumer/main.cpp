// Built against the installed SDK only: the public headers must be enough, for the static
// libraries and for libuptake.so alike (the plugins' classes and ConfigError included).
#include <uptake/feature_tips.hpp>
#include <uptake/first_action.hpp>
#include <uptake/uptake.hpp>

#include <cstdio>
#include <memory>

int main() {
  uptake::Config config;
  config.endpoint = "ftp://invalid";
  config.plugins.push_back(std::make_shared<uptake::FirstAction>());
  config.plugins.push_back(std::make_shared<uptake::FeatureTips>([](const uptake::Tip&) {}));
  try {
    uptake::Client client(config);
  } catch (const uptake::ConfigError& e) {  // thrown inside the library, caught here
    std::puts(e.what());
    return 0;  // the library linked and validated the config
  }
  return 1;
}
