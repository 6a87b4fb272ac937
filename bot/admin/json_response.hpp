#pragma once
// The one way admin APIs answer JSON: invalid UTF-8 in stored text is replaced, never a throw.
#include <nlohmann/json.hpp>

#include "bot/http_types.hpp"

namespace kayou::bot::admin {

inline HttpResponse json_response(int status, const nlohmann::json& body) {
    return HttpResponse::json(
        status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace kayou::bot::admin
