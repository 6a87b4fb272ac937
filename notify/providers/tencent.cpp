// Tencent Cloud SMS SendSms (API 3.0) over HTTPS, signed with TC3-HMAC-SHA256 (spec §1).
#include <chrono>

#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/signing/tencent_tc3.hpp"
#include "notify/templates.hpp"

namespace kayou::notify {

namespace asio = boost::asio;
using signing::Classification;
using signing::FailureClass;

ProviderResult transport_failure_result(bool request_may_have_arrived, std::string code) {
    ProviderResult result;
    result.classification = signing::classify_transport(
        request_may_have_arrived ? signing::TransportFailure::sent_no_response
                                 : signing::TransportFailure::not_sent);
    result.code = std::move(code);
    return result;
}

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
        if (!template_id) {
            // Never substitute another template: an unapproved one would be rejected anyway.
            result.classification = {FailureClass::permanent, std::nullopt, true};
            result.code = "template_not_approved";
            co_return result;
        }
        tencent::SendSmsBody body;
        body.phone_numbers = {"+86" + message.phone};
        body.sms_sdk_app_id = config_.sdk_app_id;
        body.template_id = *template_id;
        body.sign_name = config_.sign_name;
        body.template_params = message.params;
        body.session_context = message.message_id;
        net::HttpClientRequest request;
        request.method = "POST";
        request.url = config_.endpoint;
        request.body = tencent::build_send_sms_body(body);
        // Signed per attempt with a fresh timestamp (a retry must not reuse an old signature).
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const std::string host = url_.host_header();
        tencent::SendSmsSigningInput signing_input;
        signing_input.secret_id = config_.secret_id;
        signing_input.secret_key = config_.secret_key;
        signing_input.host = host;
        signing_input.region = config_.region;
        signing_input.body = request.body;
        signing_input.timestamp = now.time_since_epoch().count();
        for (auto& header : tencent::send_sms_headers(signing_input))
            request.headers.emplace_back(std::move(header.name), std::move(header.value));

        net::HttpClientResponse response;
        try {
            response = co_await http_.request(std::move(request));
        } catch (const net::HttpClientError& error) {
            co_return transport_failure_result(
                error.kind() == net::HttpClientError::Kind::sent_no_response,
                error.kind() == net::HttpClientError::Kind::sent_no_response ? "timeout"
                                                                             : "connect");
        }
        std::optional<tencent::SendSmsResponse> parsed;
        try {
            parsed = tencent::parse_send_sms_response(response.body);
        } catch (const std::exception&) {
        }
        const bool http_ok = response.status >= 200 && response.status < 300;
        if (!parsed) {
            // An unreadable 2xx may mean "accepted": find out from receipts, do not resend.
            result.classification = http_ok ? Classification{FailureClass::unknown_outcome}
                                            : signing::classify_http_status(response.status);
            result.code = "http_" + std::to_string(response.status);
            co_return result;
        }
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

private:
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
