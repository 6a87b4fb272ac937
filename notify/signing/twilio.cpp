#include "notify/signing/twilio.hpp"

#include <algorithm>

#include "crypto/base64.hpp"
#include "crypto/hash.hpp"

namespace kayou::notify::twilio {
namespace {

std::string form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            const auto byte = crypto::hex_decode(text.substr(i + 1, 2));
            if (!byte || byte->size() != 1) {
                throw signing::ParseError("form body: malformed %-escape");
            }
            out += *byte;
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

// Where the port of `url` would go: [host_end, authority_end) is ":port" or empty.
struct Authority {
    std::string_view scheme;  // "https"
    std::size_t host_end = 0;
    std::size_t authority_end = 0;
};

std::optional<Authority> split_authority(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    Authority a;
    a.scheme = url.substr(0, scheme_end);
    const std::size_t start = scheme_end + 3;
    a.authority_end = url.find_first_of("/?#", start);
    if (a.authority_end == std::string_view::npos) a.authority_end = url.size();
    std::string_view authority = url.substr(start, a.authority_end - start);
    std::size_t host_start = start;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        host_start = start + at + 1;  // user:password@ carries a ':' that is not a port
    }
    const std::string_view host = url.substr(host_start, a.authority_end - host_start);
    // An IPv6 literal "[::1]:8443" has colons inside the brackets.
    const auto search_from = host.starts_with('[') ? host.find(']') : 0;
    const auto colon = search_from == std::string_view::npos ? std::string_view::npos
                                                             : host.find(':', search_from);
    a.host_end = colon == std::string_view::npos ? a.authority_end : host_start + colon;
    return a;
}

}  // namespace

std::vector<Param> parse_form_urlencoded(std::string_view body) {
    std::vector<Param> out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        auto amp = body.find('&', pos);
        if (amp == std::string_view::npos) amp = body.size();
        const std::string_view segment = body.substr(pos, amp - pos);
        if (!segment.empty()) {
            const auto eq = segment.find('=');
            if (eq == std::string_view::npos) {
                out.emplace_back(form_decode(segment), std::string());
            } else {
                out.emplace_back(form_decode(segment.substr(0, eq)),
                                 form_decode(segment.substr(eq + 1)));
            }
        }
        pos = amp + 1;
    }
    return out;
}

std::string expected_signature(std::string_view auth_token, std::string_view url,
                               std::vector<Param> params) {
    std::sort(params.begin(), params.end());
    params.erase(std::unique(params.begin(), params.end()), params.end());
    std::string data(url);
    for (const auto& [name, value] : params) {
        data += name;
        data += value;
    }
    return crypto::base64_encode(crypto::hmac_sha1(auth_token, data));
}

std::vector<std::string> url_variants(std::string_view url) {
    std::vector<std::string> out{std::string(url)};
    const auto a = split_authority(url);
    if (!a) return out;
    const std::string_view default_port = a->scheme == "https"  ? ":443"
                                          : a->scheme == "http" ? ":80"
                                                                : "";
    if (default_port.empty()) return out;
    const std::string_view port = url.substr(a->host_end, a->authority_end - a->host_end);
    if (port.empty()) {
        out.push_back(std::string(url.substr(0, a->host_end)) + std::string(default_port) +
                      std::string(url.substr(a->host_end)));
    } else if (port == default_port) {
        out.push_back(std::string(url.substr(0, a->host_end)) +
                      std::string(url.substr(a->authority_end)));
    }
    return out;
}

bool validate_signature(std::string_view auth_token, std::string_view header, std::string_view url,
                        const std::vector<Param>& params) {
    if (auth_token.empty() || header.empty()) return false;
    bool match = false;
    // Every variant is computed and compared, so timing does not reveal which one matched.
    for (const std::string& candidate : url_variants(url)) {
        match |=
            crypto::constant_time_equal(expected_signature(auth_token, candidate, params), header);
    }
    return match;
}

bool validate_json_body(std::string_view auth_token, std::string_view header, std::string_view url,
                        std::string_view body) {
    const std::optional<std::string> claimed = query_value(url, "bodySHA256");
    if (!claimed) return false;
    const bool body_ok = crypto::constant_time_equal(crypto::sha256_hex(body), *claimed);
    const bool signature_ok = validate_signature(auth_token, header, url, {});
    return body_ok && signature_ok;
}

std::optional<std::string> query_value(std::string_view url, std::string_view name) {
    const auto q = url.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    try {
        for (auto& [key, value] : parse_form_urlencoded(query)) {
            if (key == name) return std::move(value);
        }
    } catch (const signing::ParseError&) {
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace kayou::notify::twilio
