#include "net/http_client.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <map>

namespace kayou::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string HttpClientResponse::header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
        if (name == lower_name) return value;
    return {};
}

std::string ParsedUrl::host_header() const {
    const bool default_port = (tls && port == 443) || (!tls && port == 80);
    return default_port ? host : host + ":" + std::to_string(port);
}

ParsedUrl parse_url(std::string_view url) {
    ParsedUrl parsed;
    std::string_view rest;
    if (url.rfind("https://", 0) == 0) {
        parsed.tls = true;
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else {
        throw HttpClientError(HttpClientError::Kind::bad_url, "url: expected http:// or https://");
    }
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    parsed.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (!parsed.target.empty() && parsed.target[0] == '?') parsed.target = "/" + parsed.target;
    parsed.port = parsed.tls ? 443 : 80;
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        const auto port_text = authority.substr(colon + 1);
        unsigned long port = 0;
        for (char c : port_text) {
            if (!std::isdigit(static_cast<unsigned char>(c)))
                throw HttpClientError(HttpClientError::Kind::bad_url, "url: bad port");
            port = port * 10 + static_cast<unsigned long>(c - '0');
            if (port > 65535)
                throw HttpClientError(HttpClientError::Kind::bad_url, "url: bad port");
        }
        if (port_text.empty() || port == 0)
            throw HttpClientError(HttpClientError::Kind::bad_url, "url: bad port");
        parsed.port = static_cast<std::uint16_t>(port);
        authority = authority.substr(0, colon);
    }
    if (authority.empty()) throw HttpClientError(HttpClientError::Kind::bad_url, "url: no host");
    parsed.host = std::string(authority);
    return parsed;
}

namespace {

struct Connection {
    explicit Connection(asio::any_io_executor executor) : tcp(executor) {}
    beast::tcp_stream tcp;
    std::unique_ptr<ssl::stream<beast::tcp_stream&>> tls;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;

    // A pooled connection the server has closed (or written to unasked) reads as ready; a live
    // idle one would block. Checked without blocking before every reuse.
    bool looks_alive() {
        auto& socket = tcp.socket();
        if (!socket.is_open()) return false;
        char byte;
        const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

}  // namespace

struct HttpClient::Impl {
    asio::any_io_executor executor;
    HttpClientOptions options;
    ssl::context tls_context{ssl::context::tls_client};
    std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

    Impl(asio::any_io_executor e, HttpClientOptions o) : executor(std::move(e)), options(o) {
        tls_context.set_default_verify_paths();
        tls_context.set_verify_mode(options.verify_tls ? ssl::verify_peer : ssl::verify_none);
    }

    std::unique_ptr<Connection> take_idle(const std::string& key) {
        auto found = idle.find(key);
        if (found == idle.end()) return nullptr;
        auto& list = found->second;
        const auto now = std::chrono::steady_clock::now();
        while (!list.empty()) {
            auto connection = std::move(list.back());
            list.pop_back();
            if (now - connection->idle_since < options.idle_ttl && connection->looks_alive())
                return connection;
        }
        return nullptr;
    }

    void give_back(const std::string& key, std::unique_ptr<Connection> connection) {
        auto& list = idle[key];
        if (list.size() >= options.max_idle_per_host) return;
        connection->idle_since = std::chrono::steady_clock::now();
        list.push_back(std::move(connection));
    }

    asio::awaitable<std::unique_ptr<Connection>> connect(const ParsedUrl& url) {
        auto connection = std::make_unique<Connection>(executor);
        try {
            tcp::resolver resolver(executor);
            connection->tcp.expires_after(options.connect_timeout);
            auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port),
                                                             asio::use_awaitable);
            co_await connection->tcp.async_connect(endpoints, asio::use_awaitable);
            connection->tcp.socket().set_option(tcp::no_delay(true));
            if (url.tls) {
                connection->tls =
                    std::make_unique<ssl::stream<beast::tcp_stream&>>(connection->tcp, tls_context);
                if (!SSL_set_tlsext_host_name(connection->tls->native_handle(), url.host.c_str()))
                    throw std::runtime_error("tls: cannot set SNI");
                if (options.verify_tls)
                    connection->tls->set_verify_callback(ssl::host_name_verification(url.host));
                co_await connection->tls->async_handshake(ssl::stream_base::client,
                                                          asio::use_awaitable);
            }
        } catch (const std::exception& error) {
            throw HttpClientError(HttpClientError::Kind::not_sent,
                                  std::string("connect failed: ") + error.what());
        }
        co_return connection;
    }

    template <typename Stream>
    static asio::awaitable<HttpClientResponse> exchange(Stream& stream, Connection& connection,
                                                        http::request<http::string_body>& req,
                                                        std::size_t body_limit, bool& keep_alive) {
        co_await http::async_write(stream, req, asio::use_awaitable);
        http::response_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        co_await http::async_read(stream, connection.buffer, parser, asio::use_awaitable);
        auto& res = parser.get();
        HttpClientResponse response;
        response.status = static_cast<int>(res.result_int());
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            response.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        response.body = std::move(res.body());
        keep_alive = res.keep_alive();
        co_return response;
    }
};

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), options)) {}

HttpClient::~HttpClient() = default;

void HttpClient::close_idle() { impl_->idle.clear(); }

asio::awaitable<HttpClientResponse> HttpClient::request(HttpClientRequest request) {
    auto impl = impl_;  // keeps the pool alive across suspensions
    const ParsedUrl url = parse_url(request.url);
    const std::string key =
        std::string(url.tls ? "https://" : "http://") + url.host + ":" + std::to_string(url.port);

    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(url.target);
    req.version(11);
    bool has_host = false;
    for (const auto& [name, value] : request.headers) {
        if (beast::iequals(name, "host")) has_host = true;
        req.set(name, value);
    }
    if (!has_host) req.set(http::field::host, url.host_header());
    req.keep_alive(true);
    req.body() = std::move(request.body);
    req.prepare_payload();

    auto connection = impl->take_idle(key);
    if (!connection) connection = co_await impl->connect(url);

    // From here on the request may reach the server: any failure is an unknown outcome.
    bool keep_alive = false;
    HttpClientResponse response;
    try {
        connection->tcp.expires_after(impl->options.request_timeout);
        if (connection->tls)
            response = co_await Impl::exchange(*connection->tls, *connection, req,
                                               impl->options.body_limit, keep_alive);
        else
            response = co_await Impl::exchange(connection->tcp, *connection, req,
                                               impl->options.body_limit, keep_alive);
    } catch (const std::exception& error) {
        throw HttpClientError(HttpClientError::Kind::sent_no_response,
                              std::string("no response: ") + error.what());
    }
    connection->tcp.expires_never();
    if (keep_alive) impl->give_back(key, std::move(connection));
    co_return response;
}

}  // namespace kayou::net
