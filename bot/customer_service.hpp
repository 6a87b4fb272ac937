#pragma once
// Customer-service messages (客服消息) of the WeChat Official Account, and a WeCom app's messages
// (应用消息): a second text to the driver after the passive reply. Wire format and retry policy:
// bot/channels/ customer_service_api.hpp. One executor (the process' io_context thread), no
// locking.
//
// The stable access token is cached with its expiry and fetched again when under 5 minutes are
// left; concurrent sends share one fetch. A send whose answer was lost after the request was
// written is never resent (the driver would get the text twice): it ends `unknown`.
// Logs carry errcodes and fixed reasons only: never the openid, the text, the secret or the token.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::net {
class HttpClient;
}

namespace kayou::ops {
class Metrics;
}

namespace kayou::bot {

// Which API sends the texts: the Official Account's customer-service messages to a follower
// (openid), or a WeCom app's messages to a member (UserID) of the corp.
enum class MessageApi { official_account, wecom_app };

struct CustomerServiceConfig {
    MessageApi api = MessageApi::official_account;
    std::string api_base = "https://api.weixin.qq.com";  // WeCom: https://qyapi.weixin.qq.com
    std::string app_id;                                  // the OA's AppID; WeCom: the CorpID
    std::string app_secret;     // the OA's AppSecret; WeCom: the app's Secret; empty = not used
    std::int64_t agent_id = 0;  // WeCom: the app's AgentId (required there)
    std::chrono::milliseconds first_retry{1000};  // tests shorten it
    // The channel label of kayou_follow_ups_total: "oa" or "wecom_app".
    std::string_view channel() const;
};

enum class FollowUpResult {
    sent,
    gave_up,  // refused, failed or retried out: the driver did not get it
    unknown,  // no answer after the request was written: the driver may have got it
};
// "sent" | "gave_up" | "unknown", for metrics labels.
std::string_view to_string(FollowUpResult result);

class CustomerService {
public:
    // This object and `http` must outlive every send_text started on it.
    CustomerService(CustomerServiceConfig config, net::HttpClient& http);
    ~CustomerService();
    CustomerService(const CustomerService&) = delete;
    CustomerService& operator=(const CustomerService&) = delete;

    bool enabled() const;              // app_id and app_secret set (and agent_id for a WeCom app)
    std::string_view channel() const;  // CustomerServiceConfig::channel

    // Sends one text (non-empty, valid UTF-8, <= 2048 bytes; else gave_up without a request) to
    // the OA follower `openid` (WeCom: the member's UserID). Retries transient failures by the pure
    // policy (timers on the current executor) and refreshes the token once on 40001/40014/42001.
    boost::asio::awaitable<FollowUpResult> send_text(std::string openid, std::string text);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sends texts to an Official Account follower (his openid) as messages of their own, after the
// passive reply. Returns at once; the sending runs on its own.
using FollowUpSender = std::function<void(std::string openid, std::vector<std::string> texts)>;

// The passive reply is delivered when WeChat reads the webhook's answer, just after the turn:
// a follow-up sent sooner could arrive before it.
inline constexpr std::chrono::milliseconds kFollowUpDelay{800};

// A FollowUpSender over `service` on `executor`: after `delay`, each text in order, stopping at
// the first that did not surely go (the driver can still ask for it: "回复2"). Each outcome is
// counted in kayou_follow_ups_total{channel,result} (described here). `service` and `metrics` must
// outlive the sends.
FollowUpSender follow_up_sender(boost::asio::any_io_executor executor, CustomerService& service,
                                ops::Metrics& metrics,
                                std::chrono::milliseconds delay = kFollowUpDelay);

}  // namespace kayou::bot
