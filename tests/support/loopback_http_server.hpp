#pragma once
// A real HTTP/1.1 server on loopback for the fakes of outside APIs (fake_wechat_api.hpp,
// fake_sms_provider.hpp): its own thread and io_context, an accept loop, and per connection a
// serve loop that reads a request, asks the handler for the answer and writes it, keeping the
// connection open while the request asks so. A handler that gives no answer (nullopt) closes the
// connection without one. What the requests are checked against and what they are answered is
// the fake's: the handler runs on the server's thread.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kayou::test {

class LoopbackHttpServer {
public:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;
    // The answer to a request, or nullopt: close the connection without one. It may wait (on a
    // timer of `co_await boost::asio::this_coro::executor`) as long as it likes: the destructor
    // ends the wait.
    using Handler = std::function<boost::asio::awaitable<std::optional<Response>>(const Request&)>;

    enum class Port {
        any,     // a free port the kernel picks
        stable,  // a free port below the kernel's ephemeral range, so that while the server
                 // refuses connections no outgoing connection of any process takes it as its
                 // source port and keeps it from being bound again
    };

    // Listens on 127.0.0.1 and starts the thread. The handler must stay usable until the
    // destructor returns.
    explicit LoopbackHttpServer(Handler handler, Port port = Port::any);
    // Stops the thread, then ends every connection still open and every handler still waiting.
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    std::uint16_t port() const;
    std::string url() const;  // http://127.0.0.1:<port>
    // A plain 500 page, as a server that failed answers.
    static Response server_error_page();
    // true: close the listening socket and every open connection (a refusing server takes no
    // request at all); false: listen again on the same port. Returns once done.
    void set_refusing(bool refusing);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::test
