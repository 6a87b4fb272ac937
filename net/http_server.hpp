#pragma once
// HTTP/1.1 server on Beast with keep-alive, body and header limits, read timeouts and graceful
// shutdown. Routing is by exact path, then by the longest registered prefix (for paths with
// parameters, e.g. /admin/api/tickets/<number>); handlers are coroutines over transport-neutral
// types.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http_types.hpp"

namespace kayou::net {

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 = pick a free port (tests)
    std::size_t body_limit = 64 * 1024;
    std::size_t header_limit = 8 * 1024;
    // Per request, from its first byte to its last (header included): a client that trickles a
    // header is cut off after this, not after idle_timeout.
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds idle_timeout{30'000};  // keep-alive connection with no request
    // Request bodies being read at once may hold at most this much memory together (a body
    // reserves its Content-Length, a chunked one its route's limit); beyond it: 503.
    std::size_t max_body_memory = 64u << 20;
    std::size_t max_connections = 10'000;
    std::chrono::milliseconds shutdown_grace{5'000};  // in-flight requests get this long on stop
    // SO_REUSEPORT: several kayou processes on one host listen on the same port and the kernel
    // spreads connections over them (one process is one I/O thread; this is how a host's other
    // cores are used).
    bool reuse_port = false;
};

using HttpHandler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest&)>;
// Runs on a request's header before its body is read (request.body is empty): a response here
// is sent at once and the body is read only to be discarded, never buffered. Admin routes use
// it to check the bearer token before accepting a 4 MiB upload from anyone.
using HttpGate = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

// Called once per answered request, for metrics and access logs.
struct HttpObservation {
    std::string_view route;  // the matched route, or "other"
    std::string_view method;
    int status;
    std::chrono::nanoseconds duration;
    std::string_view request_id;
};
using HttpObserver = std::function<void(const HttpObservation&)>;
// Turns an exception that escaped a handler into the response (and whether it is a bug).
using ErrorClassifier = std::function<ErrorVerdict(std::exception_ptr)>;

class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // `metrics_name` replaces the path in metrics and access logs: a path holding a secret (the
    // SMS callback token) must not reach either.
    void route(std::string path, HttpHandler handler, std::string metrics_name = {});
    // Every path that starts with `prefix` and has no exact route; the longest prefix wins. The
    // handler parses the rest of request.path itself. Metrics name the route "<prefix>*".
    // body_limit > 0 lets requests under this prefix carry bodies up to that size instead of
    // HttpServerOptions::body_limit (e.g. FAQ script uploads); 0 keeps the server's limit.
    void route_prefix(std::string prefix, HttpHandler handler, std::size_t body_limit = 0);
    void observe(HttpObserver observer);
    // Replaces the default table (every exception is a 500 bug, net::Unavailable a 503).
    void classify_errors(ErrorClassifier classifier);
    // Every request whose path starts with `prefix` passes `gate` first (the longest prefix).
    void gate(std::string prefix, HttpGate gate);

    // Binds and starts accepting; throws std::system_error when the address is taken.
    void start();
    std::uint16_t port() const;

    // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish
    // within shutdown_grace, then closes the rest; `done` runs when no connection is left.
    void stop(std::function<void()> done);
    std::size_t open_connections() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::net
