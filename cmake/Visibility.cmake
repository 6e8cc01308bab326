# The SDK's, the plugins' and the shared internal code's objects are compiled once, with
# hidden visibility, and go into both the static archives and libuptake.so: only what the
# public headers mark UPTAKE_API (uptake/export.h) can be exported, and the linker version
# script (sdk/abi/libuptake.map.in) lets nothing else out. Harmless for static linking.
function(uptake_hidden_visibility target)
  set_target_properties(${target} PROPERTIES
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endfunction()
