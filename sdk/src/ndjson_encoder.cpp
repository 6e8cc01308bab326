#include "ndjson_encoder.hpp"

#include "uptake_common/json_writer.hpp"

namespace uptake::detail {

bool NdjsonEncoder::append(std::string& out, const EventRecord& record,
                           const EventContext& context) {
  const std::size_t start = out.size();
  PackedReader reader(record.data());
  const bool is_identify = record.kind == EventKind::identify;
  const std::string_view user = is_identify ? reader.name() : context.user;

  out.append(R"({"id":")");
  ids_.append_next(out, record.ts_ms);
  switch (record.kind) {
    case EventKind::track:
      out.append(R"(","type":"track","name":)");
      append_json_string(out, reader.name());
      break;
    case EventKind::identify:
      out.append(R"(","type":"identify")");
      break;
    case EventKind::group:
      out.append(R"(","type":"group","account":)");
      append_json_string(out, reader.name());
      break;
  }
  out.append(R"(,"ts":)");
  append_json_int(out, record.ts_ms);
  out.append(R"(,"anon":)");
  append_json_string(out, context.anon);
  if (!user.empty()) {
    out.append(R"(,"user":)");
    append_json_string(out, user);
  }
  if (!context.session.empty()) {
    out.append(R"(,"session":)");
    append_json_string(out, context.session);
  }
  if (!context.app_version.empty()) {
    out.append(R"(,"app_version":)");
    append_json_string(out, context.app_version);
  }
  if (reader.prop_count() > 0) {
    out.append(R"(,"props":{)");
    const std::size_t props_start = out.size() - 1;
    for (std::size_t i = 0; i < reader.prop_count(); ++i) {
      const PackedProp p = reader.next_prop();
      if (i > 0) out.push_back(',');
      append_json_string(out, p.key);
      out.push_back(':');
      switch (p.kind) {
        case PropValue::Kind::string:
          append_json_string(out, p.string);
          break;
        case PropValue::Kind::integer:
          append_json_int(out, p.integer);
          break;
        case PropValue::Kind::number:
          append_json_number(out, p.number);
          break;
        case PropValue::Kind::boolean:
          out.append(p.boolean ? "true" : "false");
          break;
      }
    }
    out.push_back('}');
    if (out.size() - props_start > kMaxPropsBytes) {
      out.resize(start);
      return false;
    }
  }
  out.append("}\n");
  return true;
}

}  // namespace uptake::detail
