// Without libFuzzer (g++ builds), the targets still run in the test suite: every file of the
// seed corpus, then a bounded number of seeded random mutations of them.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR ITERATIONS\n";
    return 2;
  }
  std::vector<std::string> seeds;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(e.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (seeds.empty()) seeds.emplace_back("{}");
  for (const auto& s : seeds)
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  std::mt19937_64 rng(12345);
  const long iterations = std::atol(argv[2]);
  for (long i = 0; i < iterations; ++i) {
    std::string input = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      const auto pos = input.empty() ? 0 : rng() % input.size();
      switch (rng() % 4) {
        case 0:
          if (!input.empty()) input[pos] = static_cast<char>(rng());
          break;
        case 1:
          input.insert(pos, 1, static_cast<char>(rng()));
          break;
        case 2:
          if (!input.empty()) input.erase(pos, 1 + rng() % 8);
          break;
        case 3:
          input.insert(pos, input.substr(0, rng() % 64));
          break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::cout << "replayed " << seeds.size() << " seeds and " << iterations << " mutations\n";
  return 0;
}
