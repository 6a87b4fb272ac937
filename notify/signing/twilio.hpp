#pragma once
// Twilio webhook authentication: X-Twilio-Signature (HMAC-SHA1 over the URL and the sorted POST
// parameters, base64), the bodySHA256 variant for JSON bodies, and the form decoding the check
// needs. Pure functions. Reference: docs/spec sms-providers.md §4.3.
//
// Validate against the public URL configured for the webhook, not the URL the socket saw: behind
// a TLS-terminating proxy the app sees http:// and every signature fails (Twilio "Webhooks
// security").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/signing/wire.hpp"

namespace kayou::notify::twilio {

using signing::Param;

// Decodes an application/x-www-form-urlencoded body: '&'-separated name=value pairs, '+' is a
// space, %XX is a byte. Order and repeats are kept (the signature covers every value). Empty
// segments are skipped. Throws signing::ParseError on a malformed escape.
std::vector<Param> parse_form_urlencoded(std::string_view body);

// Base64(HMAC-SHA1(auth_token, url + name1 + value1 + name2 + value2 ...)) with the parameters
// sorted by name then value (byte order) and repeated identical pairs counted once, as Twilio's
// own validators do. For GET webhooks pass no params (they are inside the URL).
std::string expected_signature(std::string_view auth_token, std::string_view url,
                               std::vector<Param> params);

// The URL as given, plus the same URL with the scheme's default port added (:443 / :80) when it
// has none, or removed when it has it: Twilio may sign either form.
std::vector<std::string> url_variants(std::string_view url);

// True when `header` matches the signature of any url_variants(url). Compared in constant time;
// an empty header or empty token is always false.
bool validate_signature(std::string_view auth_token, std::string_view header, std::string_view url,
                        const std::vector<Param>& params);

// JSON-body webhooks: the URL carries bodySHA256=<hex SHA-256 of the raw body>. True when the
// signature over the URL (no params) matches and the body hashes to that value.
bool validate_json_body(std::string_view auth_token, std::string_view header, std::string_view url,
                        std::string_view body);

// The value of `name` in the URL's query string (percent-decoded), if present.
std::optional<std::string> query_value(std::string_view url, std::string_view name);

}  // namespace kayou::notify::twilio
