#pragma once
// Text helpers for ClickHouse's HTTP interface (18.16 has no query parameters, so values are
// quoted client-side) and its TabSeparated format.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uptake::collector {

/// Quotes `s` as a ClickHouse string literal.
std::string clickhouse_quote(std::string_view s);
/// Escapes `s` for a TabSeparated field.
void append_tsv_field(std::string& out, std::string_view s);
/// The rows of a TabSeparated answer, each split into unescaped fields.
std::vector<std::vector<std::string>> tsv_rows(std::string_view text);
/// The integers of an Array(Int64) field as TabSeparated prints it ("[1,2,3]").
std::vector<std::int64_t> tsv_int_array(std::string_view field);
/// Percent-encodes `s` for a URL query value.
std::string url_encode(std::string_view s);

}  // namespace uptake::collector
