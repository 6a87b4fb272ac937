// Tencent Cloud SMS SendSms (API 3.0) over HTTPS, signed with TC3-HMAC-SHA256 (Tencent Cloud
// "SendSms" and "签名方法 v3").
#include <chrono>

#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/signing/tencent_tc3.hpp"
#include "notify/templates.hpp"

namespace kayou::notify {

namespace asio = boost::asio;
using signing::FailureClass;

namespace {

class TencentProvider : public SmsProvider {
public:
    TencentProvider(TencentProviderConfig config, const TemplateCatalog& catalog,
                    net::HttpClient& http)
        : config_(std::move(config)),
          catalog_(catalog),
          http_(http),
          url_(net::parse_url(config_.endpoint)) {
        if (config_.sign_name.empty()) config_.sign_name = catalog_.signature();
    }

    const std::string& name() const override { return name_; }

    asio::awaitable<ProviderResult> send(const ProviderSend& message) override {
        ProviderResult result;
        const auto template_id = catalog_.provider_template_id(message.template_name, name_);
        if (!template_id) co_return template_refused("template_not_approved");
        tencent::SendSmsBody body;
        body.phone_numbers = {"+86" + message.phone};
        body.sms_sdk_app_id = config_.sdk_app_id;
        body.template_id = *template_id;
        body.sign_name = config_.sign_name;
        body.template_params = message.params;
        body.session_context = message.message_id;
        // Signed per attempt with a fresh timestamp (a retry must not reuse an old signature).
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        auto request =
            signed_request(tencent::build_send_sms_body(body), tencent::kSendSmsAction, now);

        auto answer = co_await exchange(http_, std::move(request));
        if (!answer.response) co_return answer.failure;
        std::optional<tencent::SendSmsResponse> parsed;
        try {
            parsed = tencent::parse_send_sms_response(answer.response->body);
        } catch (const std::exception&) {
        }
        if (!parsed) co_return unreadable_answer(answer.response->status);
        if (parsed->error) {
            result.classification = tencent::classify(parsed->error->code, now);
            result.code = parsed->error->code;
            co_return result;
        }
        if (parsed->statuses.empty()) {
            result.classification = {FailureClass::unknown_outcome};
            result.code = "no_status";
            co_return result;
        }
        const auto& status = parsed->statuses.front();
        result.classification = tencent::classify(status.code, now);
        result.code = status.ok() ? "" : status.code;
        result.serial = status.serial_no;
        co_return result;
    }

    // PullSmsSendStatusByPhoneNumber over [send - 5 min, now + 1 min]: the receipts Tencent has
    // for the number. Earlier sends of ours in that range are told apart by SessionContext (when
    // echoed) or by their serials (match_status).
    asio::awaitable<StatusAnswer> query(const StatusQuery& query) override {
        StatusAnswer answer;
        tencent::PullSendStatusByPhoneBody body;
        body.begin_time = query.attempt_ms / 1000 - 300;
        body.end_time = query.now_ms / 1000 + 60;
        body.limit = 100;
        body.phone_number = "+86" + query.phone;
        body.sms_sdk_app_id = config_.sdk_app_id;
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        auto request = signed_request(tencent::build_pull_send_status_by_phone_body(body),
                                      tencent::kPullSendStatusByPhoneAction, now);

        auto reply = co_await exchange(http_, std::move(request));
        if (!reply.response) {
            answer.code = reply.failure.code;
            co_return answer;
        }
        std::optional<tencent::PullSendStatusResponse> parsed;
        try {
            parsed = tencent::parse_pull_send_status_response(reply.response->body);
        } catch (const std::exception&) {
        }
        if (!parsed) {
            answer.code = "http_" + std::to_string(reply.response->status);
            co_return answer;
        }
        if (parsed->error) {
            answer.code = parsed->error->code;
            co_return answer;
        }
        answer.outcome = StatusFinding::absent;
        for (const auto& status : parsed->statuses) {
            StatusRecord record;
            record.serial = status.serial_no;
            record.message_id = status.session_context;
            record.finding = status.delivered() ? StatusFinding::delivered : StatusFinding::failed;
            answer.records.push_back(std::move(record));
        }
        co_return answer;
    }

private:
    // A POST of one Tencent Cloud SMS API call, TC3-signed for `action` at `now`.
    net::HttpClientRequest signed_request(std::string body, std::string_view action,
                                          std::chrono::sys_seconds now) const {
        net::HttpClientRequest request;
        request.method = "POST";
        request.url = config_.endpoint;
        request.body = std::move(body);
        const std::string host = url_.host_header();
        tencent::SendSmsSigningInput signing_input;
        signing_input.secret_id = config_.secret_id;
        signing_input.secret_key = config_.secret_key;
        signing_input.host = host;
        signing_input.region = config_.region;
        signing_input.body = request.body;
        signing_input.timestamp = now.time_since_epoch().count();
        for (auto& header : tencent::sms_api_headers(signing_input, action))
            request.headers.emplace_back(std::move(header.name), std::move(header.value));
        return request;
    }

    TencentProviderConfig config_;
    const TemplateCatalog& catalog_;
    net::HttpClient& http_;
    net::ParsedUrl url_;
    std::string name_ = "tencent";
};

}  // namespace

std::unique_ptr<SmsProvider> make_tencent_provider(TencentProviderConfig config,
                                                   const TemplateCatalog& catalog,
                                                   net::HttpClient& http) {
    return std::make_unique<TencentProvider>(std::move(config), catalog, http);
}

}  // namespace kayou::notify
