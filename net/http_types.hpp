#pragma once
// Transport-neutral request/response, so handlers are plain functions that tests can call
// without sockets and only net/http_server.cpp includes Beast.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kayou::net {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path + '?' + query, as received
    std::string path;
    std::string query;                                         // raw, without '?'
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string remote_address;
    std::string request_id;

    std::string_view header(std::string_view lower_name) const {
        for (const auto& [name, value] : headers)
            if (name == lower_name) return value;
        return {};
    }
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static HttpResponse text(int status, std::string body) {
        return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
    }
    static HttpResponse json(int status, std::string body) {
        return HttpResponse{status, "application/json; charset=utf-8", std::move(body), {}};
    }
    static HttpResponse xml(std::string body) {
        return HttpResponse{200, "application/xml; charset=utf-8", std::move(body), {}};
    }
    // A JSON error body {"error": reason}; reasons never contain user text or personal data.
    static HttpResponse error(int status, std::string_view reason);
};

// 503 {"error": reason} with Retry-After.
HttpResponse unavailable_response(std::string_view reason, long long retry_after_seconds);

// What an exception that escaped a handler becomes (the table: bot/http_errors.hpp).
struct ErrorVerdict {
    HttpResponse response;
    bool bug = false;  // a 500: worth a log line with the exception's type
    std::string kind;  // for the log: "unavailable", "redis:timeout", "std::exception", ...
};

}  // namespace kayou::net
