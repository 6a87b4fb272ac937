#include "tests/support/loopback_http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <future>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace kayou::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct LoopbackHttpServer::Impl {
    Handler handler;
    Port port_choice;
    std::set<tcp::socket*> open_sockets;  // io thread only: closed when refusing
    // Pointers so that ~Impl can destroy the suspended connection coroutines (which use the
    // members above) before any member goes.
    std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
    // run() must not return while the server refuses connections (no acceptor, no socket).
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running{
        std::in_place, io->get_executor()};
    std::optional<tcp::acceptor> acceptor{std::in_place, *io};
    std::thread thread;
    std::uint16_t bound_port = 0;  // written before the thread starts

    Impl(Handler h, Port choice) : handler(std::move(h)), port_choice(choice) {}

    ~Impl() {
        io->stop();
        if (thread.joinable()) thread.join();
        acceptor.reset();
        keep_running.reset();
        io.reset();
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        open_sockets.insert(&stream.socket());
        struct Forget {
            std::set<tcp::socket*>& set;
            tcp::socket* socket;
            ~Forget() { set.erase(socket); }
        } forget{open_sockets, &stream.socket()};
        beast::flat_buffer buffer;
        try {
            for (;;) {
                Request req;
                co_await http::async_read(stream, buffer, req, asio::use_awaitable);
                auto res = co_await handler(req);
                if (!res) break;  // read, then drop the connection
                res->keep_alive(req.keep_alive());
                res->prepare_payload();
                co_await http::async_write(stream, *res, asio::use_awaitable);
                if (!req.keep_alive()) break;
            }
        } catch (const std::exception&) {
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    // Until the acceptor is closed.
    asio::awaitable<void> accept_loop() {
        try {
            for (;;) {
                auto socket = co_await acceptor->async_accept(asio::use_awaitable);
                asio::co_spawn(*io, serve(std::move(socket)), asio::detached);
            }
        } catch (const std::exception&) {
        }
    }

    std::uint16_t port_to_bind(std::uint16_t port) const {
        static std::mt19937 pick{std::random_device{}()};
        if (port != 0 || port_choice == Port::any) return port;
        return static_cast<std::uint16_t>(std::uniform_int_distribution<int>(20000, 32000)(pick));
    }

    // Binds `port` on loopback (0 = a free one, as port_choice says) and accepts until the
    // acceptor is closed. Returns the port bound.
    std::uint16_t listen(std::uint16_t port) {
        for (int attempt = 0;; ++attempt) {
            const std::uint16_t wanted = port_to_bind(port);
            tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), wanted);
            beast::error_code ec;
            acceptor->open(endpoint.protocol(), ec);
            acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
            acceptor->bind(endpoint, ec);
            if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
            if (!ec) break;
            const std::string why = ec.message();
            acceptor->close(ec);
            if (attempt >= 50 && std::getenv("KAYOU_FAKE_DEBUG"))
                std::system(("ss -tanpe | grep :" + std::to_string(wanted) + " >&2").c_str());
            if (attempt >= 50)
                throw std::runtime_error("fake provider: cannot listen on " +
                                         std::to_string(wanted) + ": " + why);
        }
        asio::co_spawn(*io, accept_loop(), asio::detached);
        return acceptor->local_endpoint().port();
    }
};

LoopbackHttpServer::LoopbackHttpServer(Handler handler, Port port)
    : impl_(std::make_unique<Impl>(std::move(handler), port)) {
    impl_->bound_port = impl_->listen(0);
    impl_->thread = std::thread([impl = impl_.get()] { impl->io->run(); });
}

LoopbackHttpServer::~LoopbackHttpServer() = default;

std::uint16_t LoopbackHttpServer::port() const { return impl_->bound_port; }

std::string LoopbackHttpServer::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

LoopbackHttpServer::Response LoopbackHttpServer::server_error_page() {
    Response res{http::status::internal_server_error, 11};
    res.set(http::field::content_type, "text/html");
    res.body() = "<html>500 Internal Server Error</html>";
    return res;
}

void LoopbackHttpServer::set_refusing(bool refusing) {
    std::promise<void> done;
    auto finished = done.get_future();
    asio::post(*impl_->io, [impl = impl_.get(), refusing, &done] {
        beast::error_code ignored;
        if (refusing) {
            // Kept-alive connections go too: a refusing server takes no request at all.
            impl->acceptor->close(ignored);
            for (auto* socket : impl->open_sockets) socket->close(ignored);
        } else if (!impl->acceptor->is_open()) {
            impl->listen(impl->bound_port);
        }
        done.set_value();
    });
    finished.wait();
}

}  // namespace kayou::test
