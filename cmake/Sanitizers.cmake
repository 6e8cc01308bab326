# One switch for the sanitizer builds the test suite must pass under.
if(UPTAKE_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(UPTAKE_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT UPTAKE_SANITIZER STREQUAL "")
  message(FATAL_ERROR "UPTAKE_SANITIZER must be '', 'address' or 'thread'")
endif()

# libFuzzer builds: every target gets coverage instrumentation (so the fuzzer sees into the
# libraries), plus ASan+UBSan; the fuzz executables add the libFuzzer main (tests/fuzz).
if(UPTAKE_BUILD_FUZZERS AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
