#pragma once
// SMS in the process: the outbox, the sender worker, the provider clients, the receipt and reply
// webhooks of Tencent, Aliyun and Twilio, and the development sink (/dev/sms). Everything is off
// unless `sms.provider` is set.
//
// Routes (exact paths; <token> is sms.callback_token, a secret path segment because Tencent and
// Aliyun sign nothing):
//   POST /sms/tencent/<token>/status   delivery receipts     -> {"result":0,"errmsg":"OK"}
//   POST /sms/tencent/<token>/reply    driver replies        -> same
//   GET|POST /sms/aliyun/<token>/report  SmsReport (GET = console probe) -> {"code":0,...}
//   GET|POST /sms/aliyun/<token>/up      SmsUp
//   POST /sms/twilio/inbound, /sms/twilio/status  (X-Twilio-Signature; only with an auth token)
//
// A driver's reply is understood like a chat message (dialogs/sms_reply.hpp): an opt-out is
// recorded, 进度 gets his application's status, anything else not understood gets one short SMS
// listing the words kayou understands (template reply_help; one a day per number, never to a
// number that opted out). Tencent and Aliyun replies are answered through the outbox; a Twilio
// reply is answered inside the TwiML <Response> of the same request.
//   GET /dev/sms, POST /dev/sms/send   only with sms.provider: local_sink (development)
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "bot/config.hpp"
#include "net/http_types.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::notify {
class RedisSmsOutbox;
class TemplateCatalog;
}  // namespace kayou::notify
namespace kayou::members {
class ApplicationStore;
}
namespace kayou::faq {
class IntentModel;
}

namespace kayou::ops {
class Metrics;
}  // namespace kayou::ops

namespace kayou::net {
class HttpServer;
}  // namespace kayou::net

namespace kayou::bot {

class SmsService {
public:
    // Throws ConfigError when SMS is on but privacy.data_key or the templates are unusable.
    SmsService(const Config& config, boost::asio::any_io_executor executor,
               std::shared_ptr<redis::Client> redis);
    ~SmsService();

    void install(net::HttpServer& server);
    // Starts the sender (after the HTTP server is listening: the local sink posts to it).
    void start(std::uint16_t http_port);
    void stop();

    // What other modules enqueue through (dialogs, review).
    notify::RedisSmsOutbox& outbox();
    // The templates the sender renders (the review console previews a rejection with them).
    const notify::TemplateCatalog& catalog() const;
    // The sender's counters (requests, sent, retried, deferred, failed, unknown, taken over) as
    // kayou_sms_*_total on /metrics.
    void describe_metrics(ops::Metrics& metrics);
    // Where a driver's "进度"/"查询" reply looks up his latest application (by phone).
    void set_applications(members::ApplicationStore* applications);
    // The intent script replies are understood with (the live one, dialogs/sms_reply.hpp); null
    // from the function, or none set: the fixed word list of classify_sms_reply.
    void set_intents(std::function<std::shared_ptr<const faq::IntentModel>()> intents);

    // Exposed for tests without sockets.
    boost::asio::awaitable<net::HttpResponse> tencent_status(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> tencent_reply(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> aliyun_report(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> aliyun_up(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> twilio_inbound(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> twilio_status(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> dev_sink_send(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> dev_sink_list(net::HttpRequest& request);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Driver SMS replies without an intent script: exact words only. Opt-out words of the mainland
// providers (TD, T, N, R, 退订, 拒收).
enum class SmsReplyIntent { none, opt_out, progress };
SmsReplyIntent classify_sms_reply(std::string_view text);
// "+8613800000000" / "8613800000000" / "13800000000" -> "13800000000".
std::string normalize_mainland_phone(std::string_view phone);

}  // namespace kayou::bot
