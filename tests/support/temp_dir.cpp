#include "temp_dir.hpp"

#include <stdlib.h>

#include <stdexcept>

namespace uptake::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "uptake-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace uptake::test
