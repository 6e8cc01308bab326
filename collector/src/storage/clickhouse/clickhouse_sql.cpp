#include "storage/clickhouse/clickhouse_sql.hpp"

#include <cctype>
#include <charconv>

namespace uptake::collector {

std::string clickhouse_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

void append_tsv_field(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::vector<std::vector<std::string>> tsv_rows(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      const char n = text[++i];
      row.back() += n == 't'   ? '\t'
                    : n == 'n' ? '\n'
                    : n == 'r' ? '\r'
                    : n == '0' ? '\0'
                    : n == 'b' ? '\b'
                    : n == 'f' ? '\f'
                               : n;
    } else if (c == '\t') {
      row.emplace_back();
    } else if (c == '\n') {
      rows.push_back(std::move(row));
      row.assign(1, std::string());
    } else {
      row.back() += c;
    }
  }
  return rows;
}

std::vector<std::int64_t> tsv_int_array(std::string_view field) {
  std::vector<std::int64_t> out;
  const char* p = field.data();
  const char* end = p + field.size();
  while (p < end) {
    // A '-' starts a number only before a digit: from_chars does not advance past a lone one.
    const char* first_digit = *p == '-' && p + 1 < end ? p + 1 : p;
    if (std::isdigit(static_cast<unsigned char>(*first_digit))) {
      std::int64_t v = 0;
      p = std::from_chars(p, end, v).ptr;
      out.push_back(v);
    } else {
      ++p;
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace uptake::collector
