// Aliyun Dysmsapi SendSms over HTTPS, RPC signature v1 (HMAC-SHA1) in a form POST (spec §3).
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
