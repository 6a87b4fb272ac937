#include "bot/sms_webhooks.hpp"

#include <ctime>
#include <variant>

#include <nlohmann/json.hpp>

#include "crypto/sealed_box.hpp"
#include "dialogs/sms_reply.hpp"
#include "members/application_store.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "notify/providers/provider.hpp"
#include "notify/redis_outbox.hpp"
#include "notify/sender.hpp"
#include "notify/signing/callbacks.hpp"
#include "notify/signing/twilio.hpp"
#include "notify/templates.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "redis/client.hpp"
#include "text/masks.hpp"

namespace kayou::bot {

namespace asio = boost::asio;
namespace callbacks = notify::callbacks;

std::string normalize_mainland_phone(std::string_view phone) {
    std::string digits;
    for (char c : phone)
        if (c >= '0' && c <= '9') digits.push_back(c);
    if (digits.size() == 13 && digits.rfind("86", 0) == 0) digits = digits.substr(2);
    if (digits.size() == 15 && digits.rfind("0086", 0) == 0) digits = digits.substr(4);
    return digits;
}

SmsReplyIntent classify_sms_reply(std::string_view text) {
    std::string t;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        t.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    // Full-width punctuation a handset may add is not stripped on purpose: only an exact keyword
    // is an opt-out, so "T恤多少钱" is not one.
    if (t == "TD" || t == "T" || t == "N" || t == "R" || t == "退订" || t == "拒收" ||
        t == "退订短信")
        return SmsReplyIntent::opt_out;
    if (t == "进度" || t == "查询" || t == "查进度" || t == "查询进度")
        return SmsReplyIntent::progress;
    return SmsReplyIntent::none;
}

struct SmsService::Impl {
    const Config& config;
    asio::any_io_executor executor;
    std::shared_ptr<redis::Client> redis;
    std::shared_ptr<redis::Client> reader;
    notify::TemplateCatalog catalog;
    std::unique_ptr<notify::RedisSmsOutbox> outbox;
    std::unique_ptr<net::HttpClient> http;
    std::vector<std::unique_ptr<notify::SmsProvider>> providers;
    std::shared_ptr<notify::SmsSender> sender;
    members::ApplicationStore* applications = nullptr;  // for "进度" replies; set by the app
    std::function<std::shared_ptr<const faq::IntentModel>()> intents;  // set by the app
    static constexpr std::string_view kHelpTemplate = "reply_help";

    Impl(const Config& c, asio::any_io_executor e, std::shared_ptr<redis::Client> r)
        : config(c), executor(std::move(e)), redis(std::move(r)) {}

    std::string sink_key() const { return config.key_prefix + "sms:dev:sink"; }

    std::unique_ptr<notify::SmsProvider> make_provider(const std::string& name,
                                                       std::uint16_t http_port) {
        const auto& sms = config.sms;
        if (name == "tencent") return notify::make_tencent_provider(sms.tencent, catalog, *http);
        if (name == "aliyun") return notify::make_aliyun_provider(sms.aliyun, catalog, *http);
        auto sink = sms.local_sink;
        if (sink.url.empty())
            sink.url = "http://127.0.0.1:" + std::to_string(http_port) + "/dev/sms/send";
        return notify::make_local_sink_provider(sink, catalog, *http);
    }

    // How long one answer of a kind covers a number: a driver who sends 进度 five times in ten
    // minutes pays for one SMS; the list of understood words goes out at most once a day.
    static constexpr std::int64_t kProgressWindow = 600;
    static constexpr std::int64_t kHelpWindow = 86400;

    dialogs::SmsReply understand(const std::string& text) const {
        std::shared_ptr<const faq::IntentModel> model;
        if (intents) model = intents();
        if (model) {
            const dialogs::Understander understander(std::move(model), nullptr);
            return dialogs::understand_sms_reply(understander, text);
        }
        switch (classify_sms_reply(text)) {
            case SmsReplyIntent::opt_out:
                return {dialogs::SmsReplyAction::opt_out, "opt_out"};
            case SmsReplyIntent::progress:
                return {dialogs::SmsReplyAction::progress, "progress"};
            case SmsReplyIntent::none:
                break;
        }
        return {dialogs::SmsReplyAction::help, "unknown"};
    }

    // A driver's reply. `inline_reply` (Twilio): the answer is returned, to go back in the
    // request's TwiML; otherwise it is enqueued and "" returned.
    asio::awaitable<std::string> inbound(const std::string& source, std::string phone,
                                         const std::string& text, bool inline_reply) {
        phone = normalize_mainland_phone(phone);
        const auto reply = understand(text);
        std::string answer;
        bool sent = false;
        switch (reply.action) {
            case dialogs::SmsReplyAction::opt_out:
                co_await outbox->record_opt_out(phone, source);
                break;
            case dialogs::SmsReplyAction::progress:
                answer = co_await answer_progress(phone, inline_reply, sent);
                break;
            case dialogs::SmsReplyAction::help:
                answer = co_await answer_help(phone, inline_reply, sent);
                break;
            case dialogs::SmsReplyAction::quiet:
                break;
        }
        ops::log(ops::LogLevel::info, "sms_reply",
                 {{"source", source},
                  {"phone", text::mask_mobile(phone)},
                  {"intent", reply.intent},
                  {"action", dialogs::to_string(reply.action)},
                  {"answered", sent}});
        co_return answer;
    }

    // SET NX of one answer per number, kind and window: true when this reply may be answered.
    asio::awaitable<bool> claim_answer(const std::string& phone, std::string kind,
                                       std::int64_t window) {
        const auto slot = std::to_string(std::time(nullptr) / window);
        std::vector<std::string> command{
            "SET", outbox->rate_key(outbox->phone_hash(phone), "reply:" + kind + ":" + slot),
            "1",   "NX",
            "EX",  std::to_string(window)};
        auto claimed = co_await redis->exec(std::move(command));
        co_return claimed.ok() && !claimed.is_nil();
    }

    // The answer as the handset shows it (Twilio) or "" after enqueuing it (Tencent, Aliyun).
    asio::awaitable<std::string> answer(notify::SmsMessage message, bool inline_reply) {
        if (inline_reply) {
            try {
                co_return catalog.render(message.template_name, message.params).text;
            } catch (const notify::TemplateError&) {
                ops::log(ops::LogLevel::warn, "sms_reply_template_failed",
                         {{"template", message.template_name}});
                co_return std::string();
            }
        }
        co_await outbox->enqueue(std::move(message));
        co_return std::string();
    }

    // The status of the latest application made with this phone ("progress"), or that there is
    // none ("progress_none"). Only that number's own application: the phone proved it at submit.
    asio::awaitable<std::string> answer_progress(const std::string& phone, bool inline_reply,
                                                 bool& sent) {
        if (!applications || phone.size() != 11) co_return std::string();
        auto application = co_await applications->latest_for_mobile(phone);
        // One answer per status in the window: a driver who asks again after his approval
        // hears the news, one who repeats himself pays for nothing.
        std::string kind = "progress";
        if (application) kind += ":" + application->status;
        const bool claimed = co_await claim_answer(phone, kind, kProgressWindow);
        if (!claimed) co_return std::string();
        notify::SmsMessage message;
        message.phone = phone;
        message.kind = notify::SmsMessage::Kind::notification;
        const auto slot = std::to_string(std::time(nullptr) / kProgressWindow);
        if (application) {
            message.template_name = "progress";
            message.params = {application->id, members::status_text(application->status)};
            message.idempotency_key =
                "progress:" + application->id + ":" + application->status + ":" + slot;
        } else {
            message.template_name = "progress_none";
            message.idempotency_key = "progress_none:" + outbox->phone_hash(phone) + ":" + slot;
        }
        sent = true;
        co_return co_await answer(std::move(message), inline_reply);
    }

    // One short SMS listing the words kayou understands: never to a number that opted out, at
    // most once a day per number, and only while the template exists.
    asio::awaitable<std::string> answer_help(const std::string& phone, bool inline_reply,
                                             bool& sent) {
        if (phone.empty() || !catalog.find(kHelpTemplate)) co_return std::string();
        const bool opted_out = co_await outbox->opted_out(phone);
        if (opted_out) co_return std::string();
        const bool claimed = co_await claim_answer(phone, "help", kHelpWindow);
        if (!claimed) co_return std::string();
        notify::SmsMessage message;
        message.phone = phone;
        message.template_name = std::string(kHelpTemplate);
        // An opt-out that lands before the sender runs still stops it.
        message.kind = notify::SmsMessage::Kind::reminder;
        message.idempotency_key = "reply_help:" + outbox->phone_hash(phone) + ":" +
                                  std::to_string(std::time(nullptr) / kHelpWindow);
        sent = true;
        co_return co_await answer(std::move(message), inline_reply);
    }

    net::HttpResponse tencent_ok() const {
        return net::HttpResponse{200,
                                 std::string(callbacks::kTencentOkContentType),
                                 std::string(callbacks::kTencentOkBody),
                                 {}};
    }
    net::HttpResponse aliyun_ok(bool probe) const {
        return net::HttpResponse{
            200,
            std::string(callbacks::kAliyunOkContentType),
            std::string(probe ? callbacks::kAliyunProbeOkBody : callbacks::kAliyunOkBody),
            {}};
    }

    // Twilio signs the public URL it was configured with, not what the socket saw (Twilio "Webhooks
    // security").
    bool twilio_ok(const net::HttpRequest& request,
                   const std::vector<notify::signing::Param>& form) {
        const auto& sms = config.sms;
        std::string url = sms.twilio_public_base_url;
        while (!url.empty() && url.back() == '/') url.pop_back();
        url += request.path;
        if (!request.query.empty()) url += "?" + request.query;
        return notify::twilio::validate_signature(sms.twilio_auth_token,
                                                  request.header("x-twilio-signature"), url, form);
    }

    // Both Twilio callbacks are signed forms: the parsed form, or the response refusing it.
    std::variant<std::vector<notify::signing::Param>, net::HttpResponse> verified_twilio_form(
        const net::HttpRequest& request) {
        std::vector<notify::signing::Param> form;
        try {
            form = notify::twilio::parse_form_urlencoded(request.body);
        } catch (const std::exception&) {
            return net::HttpResponse::error(400, "bad form");
        }
        if (!twilio_ok(request, form)) return net::HttpResponse::error(403, "bad signature");
        return form;
    }

    net::HttpResponse twilio_ok_response() const {
        return net::HttpResponse{200,
                                 std::string(callbacks::kTwilioContentType),
                                 std::string(callbacks::kTwilioEmptyTwiml),
                                 {}};
    }
};

SmsService::SmsService(const Config& config, asio::any_io_executor executor,
                       std::shared_ptr<redis::Client> redis)
    : impl_(std::make_unique<Impl>(config, std::move(executor), std::move(redis))) {
    auto box = crypto::SealedBox::from_base64_key(config.privacy.data_key);
    if (!box)
        throw ConfigError(
            "privacy.data_key: required when sms.provider is set (phones are stored encrypted)");
    try {
        impl_->catalog = notify::TemplateCatalog::load_file(config.sms.templates_file);
    } catch (const std::exception& error) {
        throw ConfigError(std::string("sms.templates_file: ") + error.what());
    }
    notify::OutboxOptions options;
    options.prefix = config.key_prefix;
    options.verification_retention = config.sms.verification_retention;
    impl_->outbox =
        std::make_unique<notify::RedisSmsOutbox>(impl_->redis, std::move(*box), options);
    net::HttpClientOptions http;
    http.connect_timeout = config.sms.connect_timeout;
    http.request_timeout = config.sms.request_timeout;
    impl_->http = std::make_unique<net::HttpClient>(impl_->executor, http);
}

SmsService::~SmsService() = default;

notify::RedisSmsOutbox& SmsService::outbox() { return *impl_->outbox; }

const notify::TemplateCatalog& SmsService::catalog() const { return impl_->catalog; }

void SmsService::describe_metrics(ops::Metrics& metrics) {
    struct Field {
        const char* name;
        const char* help;
        std::uint64_t notify::SenderStats::*value;
    };
    static constexpr Field kFields[] = {
        {"kayou_sms_requests_total", "SendSms calls made to a provider",
         &notify::SenderStats::requests},
        {"kayou_sms_sent_total", "SMS accepted by a provider", &notify::SenderStats::sent},
        {"kayou_sms_retried_total", "Transient failures scheduled for a retry",
         &notify::SenderStats::retried},
        {"kayou_sms_deferred_total", "SMS held by a per-phone limit or a provider window",
         &notify::SenderStats::deferred},
        {"kayou_sms_failed_total", "SMS failed for good (an alert was raised)",
         &notify::SenderStats::failed},
        {"kayou_sms_unknown_total", "Requests whose outcome is unknown (waiting for a receipt)",
         &notify::SenderStats::unknown},
        {"kayou_sms_taken_over_total", "Outbox entries reclaimed from a crashed sender",
         &notify::SenderStats::taken_over},
        {"kayou_sms_suppressed_total",
         "SMS not sent on purpose: opted out, or a code too old or held by a per-phone limit",
         &notify::SenderStats::suppressed},
        {"kayou_sms_status_queries_total", "Provider status queries for unknown outcomes",
         &notify::SenderStats::status_queries},
        {"kayou_sms_resent_total", "Unknown outcomes the provider confirmed as not sent, resent",
         &notify::SenderStats::resent},
        {"kayou_sms_late_alerts_total", "Notifications reported as not delivered in time",
         &notify::SenderStats::late_alerts},
    };
    for (const auto& field : kFields) {
        metrics.describe(field.name, "counter", field.help);
        metrics.gauge(field.name, [impl = impl_.get(), member = field.value] {
            return impl->sender ? static_cast<double>(impl->sender->stats().*member) : 0.0;
        });
    }
}

void SmsService::set_applications(members::ApplicationStore* applications) {
    impl_->applications = applications;
}

void SmsService::set_intents(std::function<std::shared_ptr<const faq::IntentModel>()> intents) {
    impl_->intents = std::move(intents);
}

void SmsService::install(net::HttpServer& server) {
    const auto& sms = impl_->config.sms;
    auto bind = [this](auto method) {
        return [this, method](net::HttpRequest& request) { return (this->*method)(request); };
    };
    if (!sms.callback_token.empty()) {
        const std::string t = sms.callback_token;
        server.route("/sms/tencent/" + t + "/status", bind(&SmsService::tencent_status),
                     "/sms/tencent/<token>/status");
        server.route("/sms/tencent/" + t + "/reply", bind(&SmsService::tencent_reply),
                     "/sms/tencent/<token>/reply");
        server.route("/sms/aliyun/" + t + "/report", bind(&SmsService::aliyun_report),
                     "/sms/aliyun/<token>/report");
        server.route("/sms/aliyun/" + t + "/up", bind(&SmsService::aliyun_up),
                     "/sms/aliyun/<token>/up");
    }
    if (!sms.twilio_auth_token.empty()) {
        server.route("/sms/twilio/inbound", bind(&SmsService::twilio_inbound));
        server.route("/sms/twilio/status", bind(&SmsService::twilio_status));
    }
    if (sms.provider == "local_sink") {
        server.route("/dev/sms", bind(&SmsService::dev_sink_list));
        server.route("/dev/sms/send", bind(&SmsService::dev_sink_send));
    }
}

void SmsService::start(std::uint16_t http_port) {
    const auto& sms = impl_->config.sms;
    impl_->providers.push_back(impl_->make_provider(sms.provider, http_port));
    if (!sms.fallback.empty())
        impl_->providers.push_back(impl_->make_provider(sms.fallback, http_port));
    if (!sms.sender_enabled) return;
    // The sender blocks in XREADGROUP: it gets a connection of its own (redis/client.hpp).
    impl_->reader = redis::Client::create(impl_->executor, impl_->redis->config());
    impl_->reader->start();
    std::vector<notify::SmsProvider*> providers;
    for (auto& p : impl_->providers) providers.push_back(p.get());
    impl_->sender = notify::SmsSender::create(impl_->executor, *impl_->outbox, impl_->reader,
                                              providers, sms.sender);
    impl_->sender->start();
    ops::log(ops::LogLevel::info, "sms_sender_started",
             {{"provider", sms.provider},
              {"fallback", sms.fallback},
              {"consumer", impl_->sender->consumer()}});
}

void SmsService::stop() {
    if (impl_->sender) impl_->sender->stop();
    if (impl_->reader) impl_->reader->stop();
}

asio::awaitable<net::HttpResponse> SmsService::tencent_status(net::HttpRequest& request) {
    std::vector<callbacks::TencentStatusReport> reports;
    try {
        reports = callbacks::parse_tencent_status_reports(request.body);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad status report");
    }
    for (const auto& r : reports) {
        // Named first, not a ?: inside the co_await (docs/coroutines.md).
        std::string reason = r.success ? std::string() : r.errmsg;
        co_await impl_->outbox->apply_receipt("tencent", r.sid, r.ext, r.success,
                                              std::move(reason));
    }
    co_return impl_->tencent_ok();
}

asio::awaitable<net::HttpResponse> SmsService::tencent_reply(net::HttpRequest& request) {
    std::vector<callbacks::TencentReply> replies;
    try {
        replies = callbacks::parse_tencent_replies(request.body);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad reply");
    }
    for (const auto& r : replies) co_await impl_->inbound("tencent", r.mobile, r.text, false);
    co_return impl_->tencent_ok();
}

asio::awaitable<net::HttpResponse> SmsService::aliyun_report(net::HttpRequest& request) {
    if (request.method == "GET") co_return impl_->aliyun_ok(true);
    std::vector<callbacks::AliyunSmsReport> reports;
    try {
        reports = callbacks::parse_aliyun_sms_reports(request.body);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad report");
    }
    for (const auto& r : reports) {
        std::string reason = r.success ? std::string() : r.err_code;  // see tencent_status
        co_await impl_->outbox->apply_receipt("aliyun", r.biz_id, r.out_id, r.success,
                                              std::move(reason));
    }
    co_return impl_->aliyun_ok(false);
}

asio::awaitable<net::HttpResponse> SmsService::aliyun_up(net::HttpRequest& request) {
    if (request.method == "GET") co_return impl_->aliyun_ok(true);
    std::vector<callbacks::AliyunSmsUp> ups;
    try {
        ups = callbacks::parse_aliyun_sms_up(request.body);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad sms up");
    }
    for (const auto& u : ups) co_await impl_->inbound("aliyun", u.phone_number, u.content, false);
    co_return impl_->aliyun_ok(false);
}

asio::awaitable<net::HttpResponse> SmsService::twilio_inbound(net::HttpRequest& request) {
    auto verified = impl_->verified_twilio_form(request);
    if (auto* refused = std::get_if<net::HttpResponse>(&verified)) co_return std::move(*refused);
    const auto& form = std::get<std::vector<notify::signing::Param>>(verified);
    callbacks::TwilioInbound inbound;
    try {
        inbound = callbacks::parse_twilio_inbound(form);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad inbound");
    }
    // Answered in the TwiML of this request: Twilio sends it from the number he wrote to.
    const std::string answer = co_await impl_->inbound("twilio", inbound.from, inbound.body, true);
    if (answer.empty()) co_return impl_->twilio_ok_response();
    co_return net::HttpResponse{200,
                                std::string(callbacks::kTwilioContentType),
                                callbacks::twilio_message_twiml(answer),
                                {}};
}

asio::awaitable<net::HttpResponse> SmsService::twilio_status(net::HttpRequest& request) {
    auto verified = impl_->verified_twilio_form(request);
    if (auto* refused = std::get_if<net::HttpResponse>(&verified)) co_return std::move(*refused);
    const auto& form = std::get<std::vector<notify::signing::Param>>(verified);
    callbacks::TwilioStatus status;
    try {
        status = callbacks::parse_twilio_status(form);
    } catch (const std::exception&) {
        co_return net::HttpResponse::error(400, "bad status");
    }
    // Only final outcomes move the record; intermediate ones (queued, sending, sent) and
    // out-of-order ones are harmless because the outbox never moves a state backwards.
    const auto& s = status.message_status;
    if (s == "delivered" || s == "read")
        co_await impl_->outbox->apply_receipt("twilio", status.message_sid, "", true, "");
    else if (s == "failed" || s == "undelivered") {
        std::string reason = "twilio_" + status.error_code;  // see tencent_status
        co_await impl_->outbox->apply_receipt("twilio", status.message_sid, "", false,
                                              std::move(reason));
    }
    co_return impl_->twilio_ok_response();
}

// Development only (sms.provider: local_sink): the sink keeps the last 200 messages in Redis
// with the phone in clear, so that a developer sees exactly what a driver would get.
asio::awaitable<net::HttpResponse> SmsService::dev_sink_send(net::HttpRequest& request) {
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) co_return net::HttpResponse::error(400, "expected JSON");
    body["received_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    std::vector<std::vector<std::string>> commands{{"LPUSH", impl_->sink_key(), body.dump()},
                                                   {"LTRIM", impl_->sink_key(), "0", "199"},
                                                   {"EXPIRE", impl_->sink_key(), "604800"}};
    co_await impl_->redis->pipeline(std::move(commands));
    co_return net::HttpResponse::json(200, R"({"ok":true})");
}

asio::awaitable<net::HttpResponse> SmsService::dev_sink_list(net::HttpRequest&) {
    std::vector<std::string> command{"LRANGE", impl_->sink_key(), "0", "199"};
    auto reply = co_await impl_->redis->exec(std::move(command));
    auto list = nlohmann::json::array();
    if (reply.is_array())
        for (const auto& element : reply.elements) {
            auto item = nlohmann::json::parse(element.str, nullptr, false);
            if (!item.is_object()) continue;
            // The delivery state as the outbox has it now (queued/sent/delivered/failed).
            if (item.contains("id") && item["id"].is_string())
                if (auto record = co_await impl_->outbox->find(item["id"].get<std::string>())) {
                    item["state"] = record->state;
                    if (!record->reason.empty()) item["reason"] = record->reason;
                }
            list.push_back(std::move(item));
        }
    co_return net::HttpResponse::json(200, list.dump(2));
}

}  // namespace kayou::bot
