#include "net/http_server.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "net/unavailable.hpp"
#include "ops/log.hpp"

namespace kayou::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

ErrorVerdict classify_by_default(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const net::Unavailable& e) {
        return {unavailable_response(e.what(), e.retry_after().count()), false, "unavailable"};
    } catch (...) {
        return {HttpResponse::error(500, "internal error"), true, "unclassified"};
    }
}

// API answers are never cached by a browser or a proxy: the admin ones hold personal data.
void forbid_caching_of_json(HttpResponse& response) {
    if (response.content_type.rfind("application/json", 0) != 0) return;
    for (const auto& [name, value] : response.headers)
        if (beast::iequals(name, "Cache-Control")) return;
    response.headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
    struct Connection {
        beast::tcp_stream stream;
        bool busy = false;  // a request is being handled or written
        explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    };

    asio::io_context& io;
    HttpServerOptions options;
    tcp::acceptor acceptor;
    struct ExactRoute {
        HttpHandler handler;
        std::string name;
    };
    std::unordered_map<std::string, ExactRoute> routes;
    // Sorted longest first, so the first match is the most specific; names end with '*'.
    std::vector<std::tuple<std::string, std::string, HttpHandler>> prefix_routes;
    // Prefixes that accept larger bodies than options.body_limit (admin uploads of FAQ scripts),
    // and the largest limit of all: the parser must admit the header of such a request before
    // the route is known, then the route's own limit is applied.
    std::vector<std::pair<std::string, std::size_t>> body_limits;
    std::size_t max_body_limit = 0;

    std::size_t body_limit_for(std::string_view target) const {
        for (const auto& [prefix, limit] : body_limits)
            if (target.substr(0, prefix.size()) == prefix) return limit;
        return options.body_limit;
    }
    HttpObserver observer;
    ErrorClassifier classify = classify_by_default;
    std::vector<std::pair<std::string, HttpGate>> gates;  // longest prefix first
    std::size_t body_bytes_reserved = 0;  // bodies being read now (options.max_body_memory)
    std::uint64_t accept_failures = 0;
    std::list<std::shared_ptr<Connection>> connections;
    bool stopping = false;
    std::function<void()> on_stopped;
    asio::steady_timer grace_timer;
    std::uint64_t request_counter = 0;
    std::string instance_tag = crypto::hex_lower(crypto::random_bytes(3));

    Impl(asio::io_context& io, HttpServerOptions opts)
        : io(io), options(std::move(opts)), acceptor(io), grace_timer(io) {}

    std::string next_request_id() { return instance_tag + "-" + std::to_string(++request_counter); }

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        asio::steady_timer pause(io);
        std::chrono::milliseconds backoff{0};
        while (!stopping) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec) {
                if (ec == asio::error::operation_aborted || stopping) break;
                // Out of descriptors (EMFILE/ENFILE) or kernel memory: the connection stays in
                // the backlog and accept fails again at once, so retrying straight away spins a
                // core. Wait, longer each time (up to 1 s), until a descriptor is free again.
                ++accept_failures;
                backoff = std::min<std::chrono::milliseconds>(
                    std::chrono::milliseconds(1000),
                    backoff.count() ? backoff * 2 : std::chrono::milliseconds(10));
                if (accept_failures == 1 || (accept_failures & (accept_failures - 1)) == 0)
                    ops::log(ops::LogLevel::error, "accept_failed",
                             {{"error", ec.message()}, {"failures", accept_failures}});
                pause.expires_after(backoff);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            backoff = std::chrono::milliseconds(0);
            if (connections.size() >= options.max_connections) {
                beast::error_code ignored;
                socket.close(ignored);
                continue;
            }
            socket.set_option(tcp::no_delay(true));
            auto connection = std::make_shared<Connection>(std::move(socket));
            connections.push_front(connection);
            auto position = connections.begin();
            asio::co_spawn(io, serve(connection), [self, position](std::exception_ptr) {
                self->connections.erase(position);
                self->maybe_finish_stop();
            });
        }
    }

    // The gate of the longest matching prefix, if any.
    const HttpGate* gate_for(std::string_view path) const {
        for (const auto& [prefix, gate] : gates)
            if (path.substr(0, prefix.size()) == prefix) return &gate;
        return nullptr;
    }

    // Request framing a smuggling proxy could read differently (RFC 9112 §6.1, §6.3): a
    // Transfer-Encoding other than exactly "chunked" (e.g. "chunked, identity", which Beast
    // reads as a body-less request followed by a second one), several of them, or one next to a
    // Content-Length. nullptr when the framing is unambiguous.
    static const char* framing_problem(const http::request_parser<http::string_body>& parser) {
        const auto& header = parser.get();
        int encodings = 0;
        bool length = false;
        std::string_view value;
        for (const auto& field : header) {
            if (field.name() == http::field::transfer_encoding) {
                ++encodings;
                value = field.value();
            } else if (field.name() == http::field::content_length) {
                length = true;
            }
        }
        if (encodings == 0) return nullptr;
        if (encodings > 1 || length) return "ambiguous Transfer-Encoding";
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        if (value.size() != 7) return "unsupported Transfer-Encoding";
        for (std::size_t i = 0; i < 7; ++i)
            if (std::tolower(static_cast<unsigned char>(value[i])) != "chunked"[i])
                return "unsupported Transfer-Encoding";
        if (header.version() < 11) return "Transfer-Encoding in HTTP/1.0";
        return nullptr;
    }

    // Gives back the body memory a request reserved, on every way out of serve().
    struct BodyReservation {
        std::shared_ptr<Impl> owner;
        std::size_t bytes = 0;
        ~BodyReservation() {
            if (owner) owner->body_bytes_reserved -= bytes;
        }
    };

    static HttpRequest to_request(const http::request<http::string_body>& message) {
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        const auto question = request.target.find('?');
        request.path = request.target.substr(0, question);
        if (question != std::string::npos) request.query = request.target.substr(question + 1);
        request.headers.reserve(8);
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = message.body();
        return request;
    }

    asio::awaitable<HttpResponse> dispatch(HttpRequest& request, std::string_view& route_name) {
        const HttpHandler* handler = nullptr;
        if (const auto found = routes.find(request.path); found != routes.end()) {
            route_name = found->second.name;
            handler = &found->second.handler;
        } else {
            for (const auto& [prefix, name, prefix_handler] : prefix_routes) {
                if (request.path.compare(0, prefix.size(), prefix) == 0) {
                    route_name = name;
                    handler = &prefix_handler;
                    break;
                }
            }
        }
        if (!handler) {
            route_name = "other";
            co_return HttpResponse::error(404, "not found");
        }
        std::exception_ptr failure;
        try {
            co_return co_await (*handler)(request);
        } catch (...) {
            failure = std::current_exception();
        }
        // One status table for every route (classify_errors; bot/http_errors.hpp): 503 +
        // Retry-After for "not now", 500 only for bugs. The client learns nothing internal; the
        // log gets the kind only (an exception's text may quote request bytes).
        auto verdict = classify(failure);
        if (verdict.bug)
            ops::log(ops::LogLevel::error, "handler_failed",
                     {{"request_id", request.request_id},
                      {"route", route_name},
                      {"kind", verdict.kind}});
        co_return std::move(verdict.response);
    }

    asio::awaitable<void> write(Connection& connection, HttpResponse response, unsigned version,
                                bool keep_alive) {
        http::response<http::string_body> message{static_cast<http::status>(response.status),
                                                  version};
        message.set(http::field::server, "kayou");
        message.set(http::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers) message.set(name, value);
        message.body() = std::move(response.body);
        message.keep_alive(keep_alive);
        message.prepare_payload();
        connection.stream.expires_after(options.read_timeout);
        co_await http::async_write(connection.stream, message, use_tuple);
    }

    // A request that could not be read: answer what the peer can still use (413, 431, 400); a
    // timeout or a closed socket gets nothing.
    asio::awaitable<void> answer_read_error(Connection& connection, beast::error_code ec,
                                            std::chrono::steady_clock::time_point started) {
        int status = 0;
        if (ec == http::error::body_limit)
            status = 413;
        else if (ec == http::error::header_limit)
            status = 431;
        else if (ec.category() == http::make_error_code(http::error::bad_target).category())
            status = 400;
        if (!status) co_return;
        const auto request_id = next_request_id();
        std::string_view reason = "malformed request";
        if (status == 413) reason = "body too large";
        co_await write(connection, HttpResponse::error(status, reason), 11, false);
        notify({"other", "", status, std::chrono::steady_clock::now() - started, request_id});
        co_await drain_before_close(connection);
    }

    asio::awaitable<void> serve(std::shared_ptr<Connection> connection) {
        beast::flat_buffer buffer;
        std::string remote;
        {
            beast::error_code ec;
            auto endpoint = connection->stream.socket().remote_endpoint(ec);
            if (!ec) remote = endpoint.address().to_string();
        }
        while (!stopping) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(std::max(options.body_limit, max_body_limit));
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            // Idle keep-alive connections wait up to idle_timeout for the first byte only; from
            // that byte on, the header and the body must arrive within read_timeout (a header
            // trickled byte by byte is cut off then, not after idle_timeout).
            if (buffer.size() == 0) {
                connection->stream.expires_after(options.idle_timeout);
                auto [first_ec, first_bytes] =
                    co_await connection->stream.async_read_some(buffer.prepare(4096), use_tuple);
                if (first_ec) break;  // idle timeout, or the peer closed between requests
                buffer.commit(first_bytes);
            }
            connection->stream.expires_after(options.read_timeout);
            auto [header_ec, header_bytes] =
                co_await http::async_read_header(connection->stream, buffer, parser, use_tuple);
            if (!header_ec) connection->busy = true;
            beast::error_code ec = header_ec;
            auto started = std::chrono::steady_clock::now();
            if (!ec) {
                if (const char* problem = framing_problem(parser)) {
                    co_await refuse(*connection, HttpResponse::error(400, problem), started);
                    break;
                }
            }
            const std::size_t route_limit =
                ec ? options.body_limit : body_limit_for(parser.get().target());
            if (!ec && max_body_limit > options.body_limit) {
                const auto length = parser.content_length();
                if (length && *length > route_limit)
                    ec = http::error::body_limit;
                else
                    parser.body_limit(route_limit);  // chunked bodies: checked while reading
            }
            if (!ec) {
                // The gate sees the header only: an unauthenticated upload is refused before a
                // byte of its body is buffered.
                HttpRequest head = to_request(parser.get());
                if (const HttpGate* gate = gate_for(head.path)) {
                    if (auto denied = (*gate)(head)) {
                        co_await refuse(*connection, std::move(*denied), started);
                        break;
                    }
                }
            }
            BodyReservation reservation;
            if (!ec && !parser.is_done()) {
                const auto length = parser.content_length();
                const std::size_t need = length ? static_cast<std::size_t>(*length) : route_limit;
                if (body_bytes_reserved + need > options.max_body_memory) {
                    co_await refuse(*connection, unavailable_response("server busy", 1), started);
                    break;
                }
                body_bytes_reserved += need;
                reservation.owner = shared_from_this();
                reservation.bytes = need;
                auto [body_ec, body_bytes] =
                    co_await http::async_read(connection->stream, buffer, parser, use_tuple);
                ec = body_ec;
                started = std::chrono::steady_clock::now();  // the latency excludes the upload
            }
            if (ec == http::error::end_of_stream) break;  // the peer closed between requests
            if (ec) {
                co_await answer_read_error(*connection, ec, started);
                break;
            }
            auto message = parser.release();
            HttpRequest request = to_request(message);
            request.remote_address = remote;
            request.request_id = next_request_id();
            std::string_view route_name;
            HttpResponse response = co_await dispatch(request, route_name);
            forbid_caching_of_json(response);
            const int status = response.status;
            const bool keep_alive = message.keep_alive() && !stopping;
            co_await write(*connection, std::move(response), message.version(), keep_alive);
            connection->busy = false;
            notify({route_name, request.method, status, std::chrono::steady_clock::now() - started,
                    request.request_id});
            if (!keep_alive) break;
        }
        beast::error_code ignored;
        connection->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        connection->stream.socket().close(ignored);
    }

    // Answers a request whose body will not be read (refused at its header) and closes the
    // connection: the body is drained into a small buffer, never kept.
    asio::awaitable<void> refuse(Connection& connection, HttpResponse response,
                                 std::chrono::steady_clock::time_point started) {
        const auto request_id = next_request_id();
        const int status = response.status;
        if (response.content_type.rfind("application/json", 0) == 0)
            response.headers.emplace_back("Cache-Control", "no-store");
        co_await write(connection, std::move(response), 11, false);
        notify({"other", "", status, std::chrono::steady_clock::now() - started, request_id});
        co_await drain_before_close(connection, max_body_limit + options.body_limit);
    }

    // Closing a socket with unread input makes the kernel send RST, and the client may lose our
    // 413/400 before reading it. So: stop sending, then read and discard what the client is
    // still sending, bounded in bytes and time, before closing.
    asio::awaitable<void> drain_before_close(Connection& connection,
                                             std::size_t max_bytes = 1024 * 1024) {
        beast::error_code ignored;
        connection.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        // A refused upload is read to its end (bounded by the largest body any route takes and by
        // read_timeout) so that the client, still writing, gets our answer instead of a reset.
        connection.stream.expires_after(max_bytes > 1024 * 1024 ? options.read_timeout
                                                                : std::chrono::milliseconds(1000));
        // One sink for every drain (its bytes are thrown away, so sharing it is harmless): a
        // burst of refused uploads costs no memory per connection.
        static std::array<char, 16 * 1024> sink;
        std::size_t drained = 0;
        while (drained < max_bytes) {
            auto [ec, n] =
                co_await connection.stream.async_read_some(asio::buffer(sink), use_tuple);
            if (ec) break;
            drained += n;
        }
    }

    void notify(const HttpObservation& observation) {
        if (observer) observer(observation);
    }

    void stop(std::function<void()> done) {
        if (stopping) return;
        stopping = true;
        on_stopped = std::move(done);
        beast::error_code ignored;
        acceptor.close(ignored);
        for (auto& connection : connections)
            if (!connection->busy) connection->stream.socket().close(ignored);
        grace_timer.expires_after(options.shutdown_grace);
        grace_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            beast::error_code ignored;
            for (auto& connection : self->connections) connection->stream.socket().close(ignored);
        });
        maybe_finish_stop();
    }

    void maybe_finish_stop() {
        if (!stopping || !connections.empty() || !on_stopped) return;
        grace_timer.cancel();
        auto done = std::move(on_stopped);
        on_stopped = nullptr;
        asio::post(io, std::move(done));
    }
};

HttpResponse unavailable_response(std::string_view reason, long long retry_after_seconds) {
    auto response = HttpResponse::error(503, reason);
    response.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return response;
}

HttpResponse HttpResponse::error(int status, std::string_view reason) {
    std::string body = "{\"error\":\"";
    for (char c : reason)
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) body.push_back(c);
    body += "\"}";
    return json(status, std::move(body));
}

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

HttpServer::~HttpServer() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

void HttpServer::route_prefix(std::string prefix, HttpHandler handler, std::size_t body_limit) {
    if (body_limit) {
        impl_->body_limits.emplace_back(prefix, body_limit);
        impl_->max_body_limit = std::max(impl_->max_body_limit, body_limit);
    }
    auto& routes = impl_->prefix_routes;
    std::string name = prefix + "*";
    routes.emplace_back(std::move(prefix), std::move(name), std::move(handler));
    std::stable_sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a).size() > std::get<0>(b).size();
    });
}

void HttpServer::route(std::string path, HttpHandler handler, std::string metrics_name) {
    if (metrics_name.empty()) metrics_name = path;
    impl_->routes[std::move(path)] = {std::move(handler), std::move(metrics_name)};
}

void HttpServer::observe(HttpObserver observer) { impl_->observer = std::move(observer); }
void HttpServer::classify_errors(ErrorClassifier classifier) {
    impl_->classify = std::move(classifier);
}

void HttpServer::gate(std::string prefix, HttpGate gate) {
    auto& gates = impl_->gates;
    gates.emplace_back(std::move(prefix), std::move(gate));
    std::stable_sort(gates.begin(), gates.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void HttpServer::start() {
    tcp::endpoint endpoint{asio::ip::make_address(impl_->options.address), impl_->options.port};
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    if (impl_->options.reuse_port)
        acceptor.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
}

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::stop(std::function<void()> done) { impl_->stop(std::move(done)); }

std::size_t HttpServer::open_connections() const { return impl_->connections.size(); }

}  // namespace kayou::net
