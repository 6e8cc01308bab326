/* What libuptake.so exports. The library is built with hidden visibility and a linker version
 * script (sdk/abi/libuptake.map): only declarations marked UPTAKE_API in the public headers
 * are visible to apps, as `uptake_*` C functions and `uptake::` C++ classes. */
#ifndef UPTAKE_EXPORT_H
#define UPTAKE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define UPTAKE_API __attribute__((visibility("default")))
#define UPTAKE_HIDDEN __attribute__((visibility("hidden")))
#else
#define UPTAKE_API
#define UPTAKE_HIDDEN
#endif

/* C entry points never throw. To C++ callers they are noexcept, so an exception could never
 * unwind through C frames: each one catches everything and returns an uptake_status. */
#ifdef __cplusplus
#define UPTAKE_NOEXCEPT noexcept
#else
#define UPTAKE_NOEXCEPT
#endif

#endif /* UPTAKE_EXPORT_H */
