#include "net/query.hpp"

namespace kayou::net {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Appends the percent-decoded `text` to `out`; false on a malformed escape.
bool append_decoded(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '%') {
            out.push_back(c);
            continue;
        }
        if (i + 2 >= text.size()) return false;  // needs two hex digits after '%'
        const int high = hex_value(text[i + 1]);
        const int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) return false;
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return true;
}

}  // namespace

const std::string* Target::find(std::string_view key) const {
    for (const auto& [name, value] : params) {
        if (name == key) return &value;
    }
    return nullptr;
}

std::string_view Target::get(std::string_view key) const {
    const std::string* value = find(key);
    return value ? std::string_view(*value) : std::string_view();
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    if (!append_decoded(out, text)) return std::nullopt;
    return out;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    params.reserve(8);  // WeChat sends 3-7 parameters; one allocation instead of four
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view segment = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (segment.empty()) continue;

        const std::size_t eq = segment.find('=');
        std::string key;
        std::string value;
        if (!append_decoded(key, segment.substr(0, eq))) {
            return channels::bad_request("query: malformed percent escape");
        }
        if (eq != std::string_view::npos && !append_decoded(value, segment.substr(eq + 1))) {
            return channels::bad_request("query: malformed percent escape");
        }
        bool duplicate = false;
        for (const auto& param : params) {
            if (param.first == key) {
                duplicate = true;
                break;
            }
        }
        if (duplicate) continue;
        if (params.size() == kMaxQueryParams)
            return channels::bad_request("query: too many parameters");
        params.emplace_back(std::move(key), std::move(value));
    }
    return params;
}

Result<Target> parse_target(std::string_view target) {
    const std::size_t hash = target.find('#');
    if (hash != std::string_view::npos) target = target.substr(0, hash);
    const std::size_t question = target.find('?');
    Target out;
    out.path = std::string(target.substr(0, question));
    if (question == std::string_view::npos) return out;
    auto params = parse_query(target.substr(question + 1));
    if (!params) return params.error();
    out.params = std::move(*params);
    return out;
}

}  // namespace kayou::net
