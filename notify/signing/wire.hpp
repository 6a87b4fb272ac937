#pragma once
// Small pieces every provider codec in notify/signing shares: the parse error type, an HTTP
// header pair, and the UTC/Beijing time formats the providers put on the wire.
//
// Error messages name fields and positions only, never values: the values are phone numbers and
// message text, and these messages end up in logs that must stay free of personal data.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kayou::notify::signing {

// Malformed provider bytes (a response or a webhook body). Thrown by every parser here; nothing
// is partially returned.
class ParseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct HttpHeader {
    std::string name;
    std::string value;
    friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

// Name/value pairs in a defined order (query parameters, form fields, template variables).
using Param = std::pair<std::string, std::string>;

// "2019-02-25" — the UTC calendar date of a unix timestamp. Pure arithmetic, so the process TZ
// (often Asia/Shanghai on these hosts) cannot shift it: Tencent's credential scope breaks every
// day between 00:00 and 08:00 Beijing time when the local date is used.
std::string utc_date(std::int64_t unix_seconds);

// "2016-02-23T12:46:24Z" — ISO 8601 UTC with the 'Z' Aliyun requires.
std::string iso8601_utc(std::chrono::sys_seconds t);

// Parses "YYYY-MM-DD hh:mm:ss" as Beijing wall-clock time (the receipt timestamps of Tencent and
// Aliyun carry no zone; the spec treats them as UTC+8). nullopt when the text is not exactly that
// shape or names an impossible date/time.
std::optional<std::chrono::sys_seconds> parse_beijing_datetime(std::string_view text);

}  // namespace kayou::notify::signing
