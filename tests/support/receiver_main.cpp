// uptake_test_receiver: the SDK tests' receiver as a program, for trying the SDK by hand.
// Prints each event line it stores. Usage: uptake_test_receiver [PORT]
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "test_receiver.hpp"

int main(int argc, char** argv) {
  const auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 0);
  uptake::test::TestReceiver receiver(std::nullopt, port);
  std::printf("listening on %s\n", receiver.endpoint().c_str());
  std::fflush(stdout);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::size_t printed = 0;
  std::thread printer([&] {
    for (;;) {
      const auto lines = receiver.lines();
      for (; printed < lines.size(); ++printed) std::printf("%s\n", lines[printed].c_str());
      std::fflush(stdout);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  printer.detach();
  int sig;
  sigwait(&set, &sig);
  return 0;
}
