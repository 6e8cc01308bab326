# Installs the SDK into a temporary prefix, then builds consumers against it and runs them:
# static and shared, each with find_package(uptake) and with pkg-config, and the C example as
# a plain C program on libuptake.so. Keeps the install rules from rotting.
file(REMOVE_RECURSE ${WORK_DIR})
set(PREFIX ${WORK_DIR}/prefix)
set(LIBDIR ${PREFIX}/lib)

function(run)
  cmake_parse_arguments(R "" "WHAT" "COMMAND" ${ARGN})
  execute_process(COMMAND ${R_COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${R_WHAT} failed (${rc}):\n${out}")
  endif()
endfunction()

# Whether `program` loads libuptake.so (`expected` TRUE) or has the SDK linked in (FALSE).
function(expect_needs_shared program expected)
  execute_process(COMMAND readelf -d ${program} OUTPUT_VARIABLE dynamic)
  string(FIND "${dynamic}" "[libuptake.so.${SOVERSION}]" at)
  if(expected AND at EQUAL -1)
    message(FATAL_ERROR "${program} does not load libuptake.so.${SOVERSION}:\n${dynamic}")
  elseif(NOT expected AND NOT at EQUAL -1)
    message(FATAL_ERROR "${program} should be linked statically but loads libuptake.so")
  endif()
endfunction()

run(WHAT "install" COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component Unspecified)
foreach(f libuptake.a libuptake_first_action.a libuptake_feature_tips.a libuptake_surveys.a
    libuptake.so libuptake.so.${SOVERSION} libuptake.so.${ABI_VERSION} pkgconfig/uptake.pc
    pkgconfig/uptake-static.pc pkgconfig/uptake-first_action.pc pkgconfig/uptake-feature_tips.pc
    pkgconfig/uptake-surveys.pc)
  if(NOT EXISTS ${LIBDIR}/${f})
    message(FATAL_ERROR "not installed: lib/${f}")
  endif()
endforeach()

# find_package(uptake), static and shared. Programs run with LD_BIND_NOW, so every symbol they
# use must be found in the library when they start.
foreach(link static shared)
  run(WHAT "configuring the ${link} find_package consumer"
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/cmake-${link}
      -DCMAKE_PREFIX_PATH=${PREFIX} -DUPTAKE_LINK=${link})
  run(WHAT "building the ${link} find_package consumer" COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-${link})
  run(WHAT "running the ${link} find_package consumer"
    COMMAND ${CMAKE_COMMAND} -E env LD_BIND_NOW=1 ${WORK_DIR}/cmake-${link}/consumer)
endforeach()
expect_needs_shared(${WORK_DIR}/cmake-static/consumer FALSE)
expect_needs_shared(${WORK_DIR}/cmake-shared/consumer TRUE)

# pkg-config, as a Makefile user would do it: each plugin's module on uptake-static, and
# uptake (shared, every plugin inside).
set(ENV{PKG_CONFIG_PATH} ${LIBDIR}/pkgconfig)
function(pkg_flags out)
  execute_process(COMMAND pkg-config ${ARGN} OUTPUT_VARIABLE flags RESULT_VARIABLE rc
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc)
    message(FATAL_ERROR "pkg-config ${ARGN} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()
pkg_flags(static_flags --cflags --libs --static uptake-surveys uptake-feature_tips uptake-first_action)
run(WHAT "building with pkg-config uptake-surveys uptake-feature_tips uptake-first_action"
  COMMAND c++ -std=c++20 ${SOURCE_DIR}/tests/install/consumer/main.cpp -o ${WORK_DIR}/pc-static ${static_flags})
run(WHAT "running the pkg-config static consumer" COMMAND ${WORK_DIR}/pc-static)
expect_needs_shared(${WORK_DIR}/pc-static FALSE)

pkg_flags(shared_flags --cflags --libs uptake)
run(WHAT "building with pkg-config uptake"
  COMMAND c++ -std=c++20 ${SOURCE_DIR}/tests/install/consumer/main.cpp -o ${WORK_DIR}/pc-shared ${shared_flags})
run(WHAT "running the pkg-config shared consumer"
  COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${LIBDIR} LD_BIND_NOW=1 ${WORK_DIR}/pc-shared)
expect_needs_shared(${WORK_DIR}/pc-shared TRUE)

# The C example as a C program: only libuptake.so, no C++ runtime of its own. Without
# arguments it prints its usage and exits 2, after the loader bound every symbol it uses.
run(WHAT "building the C example with pkg-config uptake"
  COMMAND cc -std=c11 ${SOURCE_DIR}/examples/c_example/main.c -o ${WORK_DIR}/c-example ${shared_flags})
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${LIBDIR} LD_BIND_NOW=1
  ${WORK_DIR}/c-example RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "the C example on the installed libuptake.so did not start (${rc})")
endif()
expect_needs_shared(${WORK_DIR}/c-example TRUE)

# The Python package, installed with a link to the installed library inside it: importing it
# finds that library with nothing set (no UPTAKE_LIBRARY, no LD_LIBRARY_PATH).
run(WHAT "installing the Python package"
  COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component python)
if(IS_ABSOLUTE "${PYTHON_DIR}")
  message(FATAL_ERROR "UPTAKE_PYTHON_DIR is absolute: the check needs it under the prefix")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=UPTAKE_LIBRARY --unset=LD_LIBRARY_PATH
    PYTHONPATH=${PREFIX}/${PYTHON_DIR} PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -c "import uptake
try:
    uptake.Client('ftp://x', 'wk', 'd')
except uptake.ConfigError:
    print(uptake.library_path())"
  RESULT_VARIABLE rc OUTPUT_VARIABLE loaded ERROR_VARIABLE error OUTPUT_STRIP_TRAILING_WHITESPACE)
file(REAL_PATH ${LIBDIR}/libuptake.so.${SOVERSION} installed)
if(rc OR NOT loaded STREQUAL installed)
  message(FATAL_ERROR "the installed Python package did not load ${installed}: '${loaded}' ${error}")
endif()
