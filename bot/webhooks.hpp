#pragma once
// The four inbound chat channels: verify → decrypt → normalize to a Message → run the turn once
// (deduplicated) → answer in the channel's reply format, inside its deadline.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "bot/config.hpp"
#include "bot/customer_service.hpp"
#include "net/http_types.hpp"

namespace kayou::crypto {
class WxMsgCrypt;
}

namespace kayou::ops {
class Metrics;
}  // namespace kayou::ops

namespace kayou::net {
class HttpServer;
}  // namespace kayou::net

namespace kayou::bot {

class TurnRunner;

// Who sends the second of two long answers after the passive reply, per channel; an empty one:
// that channel says everything in its passive reply.
struct FollowUpSenders {
    FollowUpSender official_account;
    FollowUpSender wecom_app;
};

class Webhooks {
public:
    Webhooks(const Config& config, TurnRunner& turns, ops::Metrics& metrics,
             std::function<std::int64_t()> unix_now, FollowUpSenders follow_ups = {});
    ~Webhooks();

    void install(net::HttpServer& server);

    boost::asio::awaitable<net::HttpResponse> official_account(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> wecom_app(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> wecom_bot(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> bridge(net::HttpRequest& request);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace kayou::bot
