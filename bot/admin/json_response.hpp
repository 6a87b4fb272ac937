#pragma once
// The one way admin APIs answer JSON: invalid UTF-8 in stored text is replaced, never a throw.
// And the small helpers every admin API uses to read its path and report script problems.
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "faq/script.hpp"
#include "net/http_types.hpp"

namespace kayou::bot::admin {

inline net::HttpResponse json_response(int status, const nlohmann::json& body) {
    return net::HttpResponse::json(
        status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

// [{line, message}] for a 422 answer: the console shows each next to its line.
inline nlohmann::json problems_json(const std::vector<faq::ScriptProblem>& problems) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : problems) list.push_back({{"line", p.line}, {"message", p.message}});
    return list;
}

// "a/b/c" -> {"a", "b", "c"} (views into `rest`).
inline std::vector<std::string_view> split_path(std::string_view rest) {
    std::vector<std::string_view> parts;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return parts;
}

}  // namespace kayou::bot::admin
