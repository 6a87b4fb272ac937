#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>

namespace kayou::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string HttpResult::header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers)
        if (name == lower_name) return value;
    return {};
}

struct HttpConnection::Impl {
    asio::io_context io;
    tcp::socket socket{io};
    beast::flat_buffer buffer;
    std::chrono::milliseconds deadline;
    bool ok = false;

    // Runs the io_context until `done` or the deadline; on the deadline the socket is closed so
    // the pending operation completes with an error.
    template <typename Done>
    bool run_until(Done&& done) {
        io.restart();
        const auto stop_at = std::chrono::steady_clock::now() + deadline;
        while (!done() && std::chrono::steady_clock::now() < stop_at) {
            io.run_for(std::chrono::milliseconds(20));
            if (io.stopped()) io.restart();
        }
        if (!done()) {
            beast::error_code ignored;
            socket.close(ignored);
            io.restart();
            io.run_for(std::chrono::milliseconds(100));
            ok = false;
            return false;
        }
        return true;
    }

    HttpResult read_response() {
        HttpResult result;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        bool finished = false;
        beast::error_code error;
        http::async_read(socket, buffer, parser, [&](beast::error_code ec, std::size_t) {
            error = ec;
            finished = true;
        });
        if (!run_until([&] { return finished; })) {
            result.error = "deadline passed waiting for the response";
            return result;
        }
        if (error) {
            ok = false;
            result.error = error.message();
            return result;
        }
        auto message = parser.release();
        result.status = static_cast<int>(message.result_int());
        result.body = std::move(message.body());
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            result.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        if (!message.keep_alive()) ok = false;
        return result;
    }

    HttpResult send(const std::string& bytes) {
        bool finished = false;
        beast::error_code error;
        asio::async_write(socket, asio::buffer(bytes), [&](beast::error_code ec, std::size_t) {
            error = ec;
            finished = true;
        });
        if (!run_until([&] { return finished; }) || error) {
            HttpResult result;
            result.error = error ? error.message() : "deadline passed while sending";
            ok = false;
            return result;
        }
        return read_response();
    }
};

HttpConnection::HttpConnection(std::uint16_t port, std::chrono::milliseconds deadline)
    : impl_(std::make_unique<Impl>()) {
    impl_->deadline = deadline;
    bool finished = false;
    beast::error_code error;
    impl_->socket.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                [&](beast::error_code ec) {
                                    error = ec;
                                    finished = true;
                                });
    impl_->ok = impl_->run_until([&] { return finished; }) && !error;
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::connected() const { return impl_->ok; }

HttpResult HttpConnection::request(const std::string& method, const std::string& target,
                                   const std::string& body, const Headers& headers) {
    if (!impl_->ok) return HttpResult{0, {}, {}, "not connected"};
    http::request<http::string_body> message{http::string_to_verb(method), target, 11};
    message.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) message.set(name, value);
    message.body() = body;
    message.keep_alive(true);
    message.prepare_payload();
    std::ostringstream out;
    out << message;
    return impl_->send(out.str());
}

HttpResult HttpConnection::raw(const std::string& bytes) {
    if (!impl_->ok) return HttpResult{0, {}, {}, "not connected"};
    return impl_->send(bytes);
}

HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body, const Headers& headers,
                        std::chrono::milliseconds deadline) {
    HttpConnection connection(port, deadline);
    if (!connection.connected()) return HttpResult{0, {}, {}, "connection failed"};
    return connection.request(method, target, body, headers);
}

}  // namespace kayou::test
