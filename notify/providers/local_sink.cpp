// Development provider: posts the rendered SMS to an HTTP endpoint on loopback (kayou's own
// /dev/sms/send by default), which records it so a newcomer can see what would have been sent.
#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/templates.hpp"

namespace kayou::notify {

namespace asio = boost::asio;

namespace {

class LocalSinkProvider : public SmsProvider {
public:
    LocalSinkProvider(LocalSinkProviderConfig config, const TemplateCatalog& catalog,
                      net::HttpClient& http)
        : config_(std::move(config)), catalog_(catalog), http_(http) {}

    const std::string& name() const override { return name_; }

    asio::awaitable<ProviderResult> send(const ProviderSend& message) override {
        ProviderResult result;
        RenderedSms rendered;
        try {
            rendered = catalog_.render(message.template_name, message.params);
        } catch (const TemplateError&) {
            co_return template_refused("template_error");
        }
        nlohmann::json body{{"id", message.message_id},
                            {"phone", message.phone},
                            {"template", message.template_name},
                            {"text", rendered.text},
                            {"segments", rendered.segments.segments}};
        net::HttpClientRequest request;
        request.url = config_.url;
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body.dump();
        auto answer = co_await exchange(http_, std::move(request));
        if (!answer.response) co_return answer.failure;
        const int status = answer.response->status;
        result.classification = signing::classify_http_status(status);
        if (status >= 200 && status < 300)
            result.serial = message.message_id;
        else
            result.code = "http_" + std::to_string(status);
        co_return result;
    }

private:
    LocalSinkProviderConfig config_;
    const TemplateCatalog& catalog_;
    net::HttpClient& http_;
    std::string name_ = "local_sink";
};

}  // namespace

std::unique_ptr<SmsProvider> make_local_sink_provider(LocalSinkProviderConfig config,
                                                      const TemplateCatalog& catalog,
                                                      net::HttpClient& http) {
    return std::make_unique<LocalSinkProvider>(std::move(config), catalog, http);
}

}  // namespace kayou::notify
