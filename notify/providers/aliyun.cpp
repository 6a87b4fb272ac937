// Aliyun Dysmsapi SendSms over HTTPS, RPC signature v1 (HMAC-SHA1) in a form POST (Aliyun "SendSms"
// API reference).
#include <chrono>

#include "crypto/random.hpp"
#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/templates.hpp"

namespace kayou::notify {

namespace asio = boost::asio;

namespace {

class AliyunProvider : public SmsProvider {
public:
    AliyunProvider(AliyunProviderConfig config, const TemplateCatalog& catalog,
                   net::HttpClient& http)
        : config_(std::move(config)), catalog_(catalog), http_(http) {
        net::parse_url(config_.endpoint);  // fail at start-up, not at the first send
        if (config_.sign_name.empty()) config_.sign_name = catalog_.signature();
    }

    const std::string& name() const override { return name_; }

    asio::awaitable<ProviderResult> send(const ProviderSend& message) override {
        ProviderResult result;
        const auto template_code = catalog_.provider_template_id(message.template_name, name_);
        if (!template_code) co_return template_refused("template_not_approved");
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        aliyun::SendSmsRequest send;
        send.access_key_id = config_.access_key_id;
        send.phone_numbers = {message.phone};
        send.sign_name = config_.sign_name;
        send.template_code = *template_code;
        send.template_params = catalog_.named_params(message.template_name, message.params);
        send.out_id = message.message_id;
        send.region_id = config_.region;
        send.signature_nonce = crypto::random_alnum(32);  // fresh per attempt
        send.timestamp = now;
        net::HttpClientRequest request;
        request.method = "POST";
        request.url = config_.endpoint;
        request.headers.emplace_back("Content-Type", std::string(aliyun::kFormContentType));
        request.body = aliyun::signed_send_sms_query(send, config_.access_key_secret, "POST");

        auto answer = co_await exchange(http_, std::move(request));
        if (!answer.response) co_return answer.failure;
        std::optional<aliyun::SendSmsResponse> parsed;
        try {
            parsed = aliyun::parse_send_sms_response(answer.response->body);
        } catch (const std::exception&) {
        }
        if (!parsed) co_return unreadable_answer(answer.response->status);
        result.classification = aliyun::classify(parsed->code, parsed->message, now);
        result.code = parsed->ok() ? "" : parsed->code;
        result.serial = parsed->biz_id;
        co_return result;
    }

    // QuerySendDetails for the number on the Beijing day of the send (and the next day when the
    // send was within a minute of midnight: Aliyun files it under the day it took it).
    asio::awaitable<StatusAnswer> query(const StatusQuery& query) override {
        StatusAnswer answer;
        using std::chrono::milliseconds;
        using std::chrono::sys_seconds;
        const auto sent = std::chrono::floor<std::chrono::seconds>(sys_seconds{} +
                                                                   milliseconds(query.attempt_ms));
        std::vector<std::string> dates{aliyun::beijing_send_date(sent)};
        const std::string later = aliyun::beijing_send_date(sent + std::chrono::seconds(60));
        if (later != dates.front()) dates.push_back(later);
        for (const auto& date : dates) {
            aliyun::QuerySendDetailsRequest ask;
            ask.access_key_id = config_.access_key_id;
            ask.phone_number = query.phone;
            ask.send_date = date;
            ask.page_size = 50;
            ask.region_id = config_.region;
            ask.signature_nonce = crypto::random_alnum(32);
            ask.timestamp =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            net::HttpClientRequest request;
            request.method = "POST";
            request.url = config_.endpoint;
            request.headers.emplace_back("Content-Type", std::string(aliyun::kFormContentType));
            request.body =
                aliyun::signed_query_send_details_query(ask, config_.access_key_secret, "POST");
            auto reply = co_await exchange(http_, std::move(request));
            if (!reply.response) {
                answer.code = reply.failure.code;
                answer.records.clear();
                co_return answer;
            }
            std::optional<aliyun::QuerySendDetailsResponse> parsed;
            try {
                parsed = aliyun::parse_query_send_details_response(reply.response->body);
            } catch (const std::exception&) {
            }
            if (!parsed || !parsed->ok()) {
                answer.code =
                    parsed ? parsed->code : "http_" + std::to_string(reply.response->status);
                answer.records.clear();
                co_return answer;
            }
            for (const auto& detail : parsed->details) {
                StatusRecord record;
                record.message_id = detail.out_id;
                record.finding = detail.send_status == 3   ? StatusFinding::delivered
                                 : detail.send_status == 2 ? StatusFinding::failed
                                                           : StatusFinding::accepted;
                answer.records.push_back(std::move(record));
            }
        }
        answer.outcome = StatusFinding::absent;
        co_return answer;
    }

private:
    AliyunProviderConfig config_;
    const TemplateCatalog& catalog_;
    net::HttpClient& http_;
    std::string name_ = "aliyun";
};

}  // namespace

std::unique_ptr<SmsProvider> make_aliyun_provider(AliyunProviderConfig config,
                                                  const TemplateCatalog& catalog,
                                                  net::HttpClient& http) {
    return std::make_unique<AliyunProvider>(std::move(config), catalog, http);
}

}  // namespace kayou::notify
