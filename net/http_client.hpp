#pragma once
// Outbound HTTP/1.1 client for provider APIs (SMS). Coroutine based, one executor (the process'
// io_context thread), no locking. Keep-alive connections are pooled per scheme/host/port; https
// uses the system CA store with SNI and host name verification.
//
// The one thing callers must be able to tell apart is whether the request may have reached the
// server: an SMS request that timed out after it was written may already have been delivered,
// and resending it would text the driver twice. HttpClientError::kind says which.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kayou::net {

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{3000};   // resolve + TCP connect + TLS handshake
    std::chrono::milliseconds request_timeout{10000};  // write + read of one request
    std::size_t max_idle_per_host = 32;
    // A pooled connection idle longer than this is closed instead of reused: servers drop idle
    // keep-alive connections after a few seconds, and a request written into a connection the
    // server just closed looks exactly like an unknown outcome.
    std::chrono::milliseconds idle_ttl{4000};
    std::size_t body_limit = 1 << 20;
    bool verify_tls = true;
};

struct HttpClientRequest {
    std::string method = "POST";
    std::string url;  // http://host[:port]/path?query or https://...
    std::vector<std::pair<std::string, std::string>> headers;  // Host is added unless given
    std::string body;
};

struct HttpClientResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string header(std::string_view lower_name) const;
};

class HttpClientError : public std::runtime_error {
public:
    enum class Kind {
        bad_url,           // nothing was attempted
        not_sent,          // resolve/connect/TLS failed: the server never saw the request
        sent_no_response,  // failed or timed out after the request was written: outcome unknown
    };
    HttpClientError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

struct ParsedUrl {
    bool tls = false;
    std::string host;  // without port
    std::uint16_t port = 0;
    std::string target;  // path + query, at least "/"
    // What goes in the Host header: the host, plus ":port" when it is not the default.
    std::string host_header() const;
};
// Throws HttpClientError(bad_url).
ParsedUrl parse_url(std::string_view url);

class HttpClient {
public:
    HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Throws HttpClientError; any HTTP status (including 5xx) is a response, not an error.
    boost::asio::awaitable<HttpClientResponse> request(HttpClientRequest request);

    // Closes pooled connections (in-flight requests keep theirs).
    void close_idle();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::net
