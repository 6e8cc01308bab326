#include "drop_reasons.hpp"

namespace uptake::detail {
namespace {

struct ReasonInfo {
  std::string_view name;
  std::string_view unit;
};

constexpr std::array<ReasonInfo, kDropReasonCount> kReasons = {{
#define UPTAKE_DROP_REASON_INFO(name, unit, doc) {#name, unit},
    UPTAKE_DROP_REASONS(UPTAKE_DROP_REASON_INFO)
#undef UPTAKE_DROP_REASON_INFO
}};

}  // namespace

std::string_view drop_reason_name(DropReason reason) noexcept {
  return kReasons[static_cast<std::size_t>(reason)].name;
}

std::string_view drop_reason_unit(DropReason reason) noexcept {
  return kReasons[static_cast<std::size_t>(reason)].unit;
}

void DropCounters::fill(Stats& stats) const noexcept {
#define UPTAKE_DROP_REASON_FILL(name, unit, doc) stats.dropped_##name = get(DropReason::name);
  UPTAKE_DROP_REASONS(UPTAKE_DROP_REASON_FILL)
#undef UPTAKE_DROP_REASON_FILL
}

}  // namespace uptake::detail
