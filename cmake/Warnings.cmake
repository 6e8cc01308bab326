# Warnings for our own targets only (not for third-party headers).
function(uptake_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
endfunction()
