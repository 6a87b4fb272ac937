#pragma once
// The four inbound chat channels: verify → decrypt → normalize to a Message → run the turn once
// (deduplicated) → answer in the channel's reply format, inside its deadline.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "bot/config.hpp"
#include "net/http_types.hpp"

namespace kayou::crypto {
class WxMsgCrypt;
}

namespace kayou::ops {
class Metrics;
}  // namespace kayou::ops

namespace kayou::bot {

class HttpServer;
class TurnRunner;

class Webhooks {
public:
    Webhooks(const Config& config, TurnRunner& turns, ops::Metrics& metrics,
             std::function<std::int64_t()> unix_now);
    ~Webhooks();

    void install(HttpServer& server);

    boost::asio::awaitable<HttpResponse> official_account(HttpRequest& request);
    boost::asio::awaitable<HttpResponse> wecom_app(HttpRequest& request);
    boost::asio::awaitable<HttpResponse> wecom_bot(HttpRequest& request);
    boost::asio::awaitable<HttpResponse> bridge(HttpRequest& request);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace kayou::bot
