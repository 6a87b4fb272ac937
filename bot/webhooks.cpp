#include "bot/webhooks.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "bot/channels/bridge.hpp"
#include "bot/channels/official_account.hpp"
#include "bot/channels/wecom_app.hpp"
#include "bot/channels/wecom_bot.hpp"
#include "bot/turn_runner.hpp"
#include "crypto/hash.hpp"
#include "crypto/wx_msg_crypt.hpp"
#include "net/http_server.hpp"
#include "net/query.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "redis/reply.hpp"

namespace kayou::bot {

namespace asio = boost::asio;
using channels::DecodeError;

namespace {

std::optional<crypto::WxMsgCrypt> make_crypt(const WechatEndpointConfig& endpoint,
                                             const char* name) {
    if (!endpoint.enabled || endpoint.encoding_aes_key.empty()) return std::nullopt;
    auto crypt =
        crypto::WxMsgCrypt::create(endpoint.token, endpoint.encoding_aes_key, endpoint.receive_id);
    if (!crypt)
        throw ConfigError(std::string(name) + ".encoding_aes_key: not a valid EncodingAESKey");
    return crypt;
}

// Why a request was refused; the reason is a fixed phrase, never user content.
struct Rejection {
    int status;
    std::string reason;
};

// The bot's name first, then its aliases: the longest is tried first, so "@卡友小助手" is not
// read as "@卡友" followed by something else.
std::vector<std::string> bridge_names(const BridgeConfig& bridge) {
    std::vector<std::string> names{bridge.bot_name};
    names.insert(names.end(), bridge.bot_aliases.begin(), bridge.bot_aliases.end());
    std::erase_if(names, [](const std::string& name) { return name.empty(); });
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        return a.size() > b.size();
    });
    return names;
}

}  // namespace

struct Webhooks::State {
    const Config& config;
    TurnRunner& turns;
    ops::Metrics& metrics;
    std::function<std::int64_t()> now;
    std::optional<crypto::WxMsgCrypt> oa_crypt;
    std::optional<crypto::WxMsgCrypt> wecom_app_crypt;
    std::optional<crypto::WxMsgCrypt> wecom_bot_crypt;
    FollowUpSenders follow_ups;
    channels::BridgeConfig bridge{config.bridge.secret, bridge_names(config.bridge),
                                  config.bridge.max_clock_skew.count(), config.server.body_limit};

    net::HttpResponse reject(std::string_view channel, const net::HttpRequest& request,
                             Rejection rejection) {
        metrics
            .counter("kayou_webhook_rejected_total", "channel=\"" + std::string(channel) +
                                                         "\",status=\"" +
                                                         std::to_string(rejection.status) + "\"")
            .add();
        ops::log(ops::LogLevel::warn, "webhook_rejected",
                 {{"request_id", request.request_id},
                  {"channel", channel},
                  {"status", rejection.status},
                  {"reason", rejection.reason}});
        return net::HttpResponse::error(rejection.status, rejection.reason);
    }

    net::HttpResponse reject(std::string_view channel, const net::HttpRequest& request,
                             const DecodeError& error) {
        return reject(channel, request, {channels::http_status(error.kind), error.reason});
    }

    // Replays and broken clocks: a signed timestamp far from now is refused.
    std::optional<Rejection> check_timestamp(std::string_view timestamp) const {
        if (config.max_clock_skew.count() == 0) return std::nullopt;
        char* end = nullptr;
        const std::string text(timestamp);
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') return Rejection{400, "timestamp is not a number"};
        if (std::llabs(value - now()) > config.max_clock_skew.count())
            return Rejection{401, "timestamp outside the allowed window"};
        return std::nullopt;
    }

    // Runs the turn; Redis being unreachable becomes 503 so the platform retries later.
    asio::awaitable<std::optional<TurnOutcome>> run_turn(const dialogs::Message& message,
                                                         const net::HttpRequest& request) {
        try {
            co_return co_await turns.run(message);
        } catch (const redis::Error& error) {
            ops::log(ops::LogLevel::warn, "turn_failed",
                     {{"request_id", request.request_id},
                      {"channel", dialogs::channel_name(message.channel)},
                      {"redis", redis::to_string(error.kind())}});
            co_return std::nullopt;
        }
    }

    // Starts sending the turn's follow-ups (the second of two long answers) after the passive
    // reply. A platform retry gets the stored reply only: the first delivery sent them.
    static void send_after_reply(const FollowUpSender& send, const std::string& to,
                                 TurnOutcome& outcome) {
        if (!send || outcome.duplicate || outcome.reply.follow_ups.empty()) return;
        send(to, std::move(outcome.reply.follow_ups));
    }

    // WeCom GET URL check (app and smart robot): msg_signature over the encrypted echostr, then
    // answer its plaintext, byte for byte (WeCom "回调配置").
    net::HttpResponse wecom_url_check(std::string_view channel, const net::HttpRequest& request,
                                      const net::Target& target, const crypto::WxMsgCrypt& crypt) {
        const auto echostr = target.get("echostr");
        if (echostr.empty()) return reject(channel, request, {400, "echostr missing"});
        if (!crypt.verify(target.get("timestamp"), target.get("nonce"), echostr,
                          target.get("msg_signature")))
            return reject(channel, request, {401, "signature mismatch"});
        auto decrypted = crypt.decrypt(echostr);
        if (decrypted.error != crypto::WxError::ok)
            return reject(channel, request,
                          {400, "echostr: " + std::string(crypto::wx_error_name(decrypted.error))});
        return net::HttpResponse::text(200, std::move(decrypted.message));
    }

    // Verifies and decrypts an encrypted push; the plaintext or a rejection.
    std::variant<std::string, Rejection> open_encrypted(const crypto::WxMsgCrypt& crypt,
                                                        const net::Target& target,
                                                        std::string_view encrypt) {
        if (!crypt.verify(target.get("timestamp"), target.get("nonce"), encrypt,
                          target.get("msg_signature")))
            return Rejection{401, "signature mismatch"};
        auto decrypted = crypt.decrypt(encrypt);
        if (decrypted.error == crypto::WxError::validate_receive_id)
            return Rejection{401, "receive id mismatch"};
        if (decrypted.error != crypto::WxError::ok)
            return Rejection{400,
                             "decrypt: " + std::string(crypto::wx_error_name(decrypted.error))};
        return std::move(decrypted.message);
    }

    // Encrypts a reply and wraps it as WeChat expects, reusing the request's timestamp and
    // nonce (allowed by the scheme, and it keeps replies to retries comparable).
    static std::string seal_xml_reply(const crypto::WxMsgCrypt& crypt, const net::Target& target,
                                      std::string_view plain) {
        const auto timestamp = target.get("timestamp");
        const auto nonce = target.get("nonce");
        const std::string encrypt = crypt.encrypt(plain);
        const std::string signature =
            crypto::wx_msg_signature(crypt.token(), timestamp, nonce, encrypt);
        return channels::build_encrypted_reply_xml(encrypt, signature, timestamp, nonce);
    }
};

Webhooks::Webhooks(const Config& config, TurnRunner& turns, ops::Metrics& metrics,
                   std::function<std::int64_t()> unix_now, FollowUpSenders follow_ups)
    : state_(new State{config, turns, metrics, std::move(unix_now),
                       make_crypt(config.official_account, "wechat.official_account"),
                       make_crypt(config.wecom_app, "wechat.wecom_app"),
                       make_crypt(config.wecom_bot, "wechat.wecom_bot"), std::move(follow_ups)}) {}

Webhooks::~Webhooks() = default;

void Webhooks::install(net::HttpServer& server) {
    auto bind = [this](auto member) {
        return [this, member](net::HttpRequest& request) { return (this->*member)(request); };
    };
    const auto& config = state_->config;
    if (config.official_account.enabled) server.route("/wx/oa", bind(&Webhooks::official_account));
    if (config.wecom_app.enabled) server.route("/wx/wecom/app", bind(&Webhooks::wecom_app));
    if (config.wecom_bot.enabled) server.route("/wx/wecom/bot", bind(&Webhooks::wecom_bot));
    if (config.bridge.enabled) server.route("/bridge/message", bind(&Webhooks::bridge));
}

asio::awaitable<net::HttpResponse> Webhooks::official_account(net::HttpRequest& request) {
    constexpr std::string_view channel = "oa";
    auto& s = *state_;
    auto target = net::parse_target(request.target);
    if (!target) co_return s.reject(channel, request, target.error());
    const auto& endpoint = s.config.official_account;

    if (request.method == "GET") {
        // The OA URL check is the plain three-field signature and echostr is echoed as is
        // (unlike WeCom).
        const auto expected = crypto::wx_plain_signature(endpoint.token, target->get("timestamp"),
                                                         target->get("nonce"));
        if (!crypto::constant_time_equal(expected, target->get("signature")))
            co_return s.reject(channel, request, {401, "signature mismatch"});
        co_return net::HttpResponse::text(200, std::string(target->get("echostr")));
    }
    if (request.method != "POST") co_return s.reject(channel, request, {405, "method not allowed"});
    if (auto stale = s.check_timestamp(target->get("timestamp")))
        co_return s.reject(channel, request, *stale);

    const bool encrypted = target->get("encrypt_type") == "aes";
    std::string plain;
    if (encrypted) {
        if (!s.oa_crypt) co_return s.reject(channel, request, {400, "safe mode is not configured"});
        auto envelope = channels::read_oa_envelope(request.body);
        if (!envelope) co_return s.reject(channel, request, envelope.error());
        auto opened = s.open_encrypted(*s.oa_crypt, *target, envelope->encrypt);
        if (auto* rejection = std::get_if<Rejection>(&opened))
            co_return s.reject(channel, request, std::move(*rejection));
        plain = std::move(std::get<std::string>(opened));
    } else {
        const auto expected = crypto::wx_plain_signature(endpoint.token, target->get("timestamp"),
                                                         target->get("nonce"));
        if (!crypto::constant_time_equal(expected, target->get("signature")))
            co_return s.reject(channel, request, {401, "signature mismatch"});
        plain = std::move(request.body);
    }

    auto inbound = channels::decode_oa_message(plain);
    if (!inbound) co_return s.reject(channel, request, inbound.error());
    if (!inbound->accepts_reply())
        co_return net::HttpResponse::text(200, std::string(channels::kWeChatAck));

    const FollowUpSender& send_follow_ups = s.follow_ups.official_account;
    inbound->message.follow_ups = static_cast<bool>(send_follow_ups);
    auto outcome = co_await s.run_turn(inbound->message, request);
    if (!outcome) co_return net::HttpResponse::error(503, "storage unavailable, retry later");
    s.send_after_reply(send_follow_ups, inbound->message.sender_id, *outcome);
    auto reply_xml = channels::build_oa_text_reply(*inbound, outcome->reply, s.now());
    if (!reply_xml) co_return net::HttpResponse::text(200, std::string(channels::kWeChatAck));
    if (!encrypted) co_return net::HttpResponse::xml(std::move(*reply_xml));
    co_return net::HttpResponse::xml(State::seal_xml_reply(*s.oa_crypt, *target, *reply_xml));
}

asio::awaitable<net::HttpResponse> Webhooks::wecom_app(net::HttpRequest& request) {
    constexpr std::string_view channel = "wecom_app";
    auto& s = *state_;
    auto target = net::parse_target(request.target);
    if (!target) co_return s.reject(channel, request, target.error());
    if (request.method == "GET")
        co_return s.wecom_url_check(channel, request, *target, *s.wecom_app_crypt);
    if (request.method != "POST") co_return s.reject(channel, request, {405, "method not allowed"});
    if (auto stale = s.check_timestamp(target->get("timestamp")))
        co_return s.reject(channel, request, *stale);

    auto envelope = channels::read_wecom_envelope(request.body);
    if (!envelope) co_return s.reject(channel, request, envelope.error());
    auto opened = s.open_encrypted(*s.wecom_app_crypt, *target, envelope->encrypt);
    if (auto* rejection = std::get_if<Rejection>(&opened))
        co_return s.reject(channel, request, std::move(*rejection));
    auto inbound = channels::decode_wecom_app_message(std::get<std::string>(opened));
    if (!inbound) co_return s.reject(channel, request, inbound.error());
    // WeCom reads an empty 200 body as "received, no reply" (WeCom "接收消息与事件").
    if (!inbound->accepts_reply()) co_return net::HttpResponse::text(200, "");

    const FollowUpSender& send_follow_ups = s.follow_ups.wecom_app;
    inbound->message.follow_ups = static_cast<bool>(send_follow_ups);
    auto outcome = co_await s.run_turn(inbound->message, request);
    if (!outcome) co_return net::HttpResponse::error(503, "storage unavailable, retry later");
    s.send_after_reply(send_follow_ups, inbound->message.sender_id, *outcome);
    auto reply_xml = channels::build_wecom_app_text_reply(*inbound, outcome->reply, s.now());
    if (!reply_xml) co_return net::HttpResponse::text(200, "");
    co_return net::HttpResponse::xml(
        State::seal_xml_reply(*s.wecom_app_crypt, *target, *reply_xml));
}

asio::awaitable<net::HttpResponse> Webhooks::wecom_bot(net::HttpRequest& request) {
    constexpr std::string_view channel = "wecom_bot";
    auto& s = *state_;
    auto target = net::parse_target(request.target);
    if (!target) co_return s.reject(channel, request, target.error());
    auto& crypt = *s.wecom_bot_crypt;
    if (request.method == "GET") co_return s.wecom_url_check(channel, request, *target, crypt);
    if (request.method != "POST") co_return s.reject(channel, request, {405, "method not allowed"});
    if (auto stale = s.check_timestamp(target->get("timestamp")))
        co_return s.reject(channel, request, *stale);

    auto envelope = channels::read_wecom_bot_envelope(request.body);
    if (!envelope) co_return s.reject(channel, request, envelope.error());
    auto opened = s.open_encrypted(crypt, *target, *envelope);
    if (auto* rejection = std::get_if<Rejection>(&opened))
        co_return s.reject(channel, request, std::move(*rejection));
    auto inbound = channels::decode_wecom_bot_message(std::get<std::string>(opened), s.now(),
                                                      s.config.wecom_bot.bot_name);
    if (!inbound) co_return s.reject(channel, request, inbound.error());
    // Replies are always sent as a finished stream, so refreshes and events need no content.
    if (inbound->kind != channels::WecomBotKind::message)
        co_return net::HttpResponse::text(200, "");

    auto outcome = co_await s.run_turn(inbound->message, request);
    if (!outcome) co_return net::HttpResponse::error(503, "storage unavailable, retry later");
    if (outcome->reply.empty()) co_return net::HttpResponse::text(200, "");
    const std::string plain =
        channels::build_wecom_bot_stream_reply("kayou-" + inbound->msg_id, outcome->reply);
    const auto timestamp = target->get("timestamp");
    const auto nonce = target->get("nonce");
    const std::string encrypt = crypt.encrypt(plain);
    co_return net::HttpResponse::json(
        200, channels::build_wecom_bot_encrypted_response(
                 encrypt, crypto::wx_msg_signature(crypt.token(), timestamp, nonce, encrypt),
                 timestamp, nonce));
}

asio::awaitable<net::HttpResponse> Webhooks::bridge(net::HttpRequest& request) {
    constexpr std::string_view channel = "bridge";
    auto& s = *state_;
    if (request.method != "POST") co_return s.reject(channel, request, {405, "method not allowed"});
    auto message =
        channels::decode_bridge_request(s.bridge, request.header("x-kayou-timestamp"),
                                        request.header("x-kayou-signature"), request.body, s.now());
    if (!message) co_return s.reject(channel, request, message.error());
    message->follow_ups = true;  // every text is a message of its own (build_bridge_response)
    auto outcome = co_await s.run_turn(*message, request);
    if (!outcome) co_return net::HttpResponse::error(503, "storage unavailable, retry later");
    co_return net::HttpResponse::json(200,
                                      channels::build_bridge_response(*message, outcome->reply));
}

}  // namespace kayou::bot
