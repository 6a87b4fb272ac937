// Aliyun Dysmsapi SendSms over HTTPS, RPC signature v1 (HMAC-SHA1) in a form POST (spec §3).
#include <chrono>

#include "crypto/random.hpp"
#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/templates.hpp"

namespace kayou::notify {

namespace asio = boost::asio;
using signing::Classification;
using signing::FailureClass;

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
        if (!template_code) {
            result.classification = {FailureClass::permanent, std::nullopt, true};
            result.code = "template_not_approved";
            co_return result;
        }
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

        net::HttpClientResponse response;
        try {
            response = co_await http_.request(std::move(request));
        } catch (const net::HttpClientError& error) {
            const bool maybe = error.kind() == net::HttpClientError::Kind::sent_no_response;
            co_return transport_failure_result(maybe, maybe ? "timeout" : "connect");
        }
        std::optional<aliyun::SendSmsResponse> parsed;
        try {
            parsed = aliyun::parse_send_sms_response(response.body);
        } catch (const std::exception&) {
        }
        const bool http_ok = response.status >= 200 && response.status < 300;
        if (!parsed) {
            result.classification = http_ok ? Classification{FailureClass::unknown_outcome}
                                            : signing::classify_http_status(response.status);
            result.code = "http_" + std::to_string(response.status);
            co_return result;
        }
        result.classification = aliyun::classify(parsed->code, parsed->message, now);
        result.code = parsed->ok() ? "" : parsed->code;
        result.serial = parsed->biz_id;
        co_return result;
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
