#include "tests/support/sms_fixture.hpp"

#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/redis_server.hpp"

namespace kayou::test {

using namespace std::chrono_literals;

std::string sms_templates_file() {
    static const std::string path = [] {
        std::ifstream in(std::string(KAYOU_SOURCE_DIR) + "/config/sms-templates.yaml");
        std::stringstream text;
        text << in.rdbuf();
        const auto yaml = std::regex_replace(text.str(), std::regex("ids: \\{\\}"),
                                             "ids: {tencent: \"100001\", aliyun: \"SMS_100001\"}");
        const std::string file = "/tmp/kayou-sms-templates-" + std::to_string(::getpid()) + ".yaml";
        std::ofstream(file) << yaml;
        return file;
    }();
    return path;
}

std::string sms_yaml(const FakeSmsProvider& fake, const SmsSetup& setup) {
    const auto& c = fake.credentials();
    std::string yaml = "key_prefix: \"" + setup.prefix + "\"\n";
    yaml += "privacy:\n  data_key: \"" + std::string(kSmsDataKey) + "\"\n";
    yaml += "sms:\n  provider: tencent\n  callback_token: " + std::string(kSmsCallbackToken) + "\n";
    if (!setup.fallback.empty()) yaml += "  fallback: " + setup.fallback + "\n";
    yaml += "  templates_file: " + sms_templates_file() + "\n";
    yaml += "  tencent:\n    endpoint: " + fake.url() + "\n    sdk_app_id: \"1400000001\"\n" +
            "    secret_id: " + c.tencent_secret_id + "\n    secret_key: " + c.tencent_secret_key +
            "\n";
    yaml += "  aliyun:\n    endpoint: " + fake.url() +
            "\n    access_key_id: " + c.aliyun_access_key_id +
            "\n    access_key_secret: " + c.aliyun_access_key_secret + "\n";
    yaml +=
        "  sender:\n    backoff_base_ms: 200\n    request_timeout_ms: 500\n" + setup.sender_extra;
    return yaml;
}

Outbox::Outbox(const std::string& prefix, std::uint16_t redis_port) {
    redis::Config config = RedisServer::shared().client_config();
    if (redis_port != 0) {
        config.port = redis_port;
        // The first node of a test cluster of three: the client needs all of them as seeds.
        config.cluster_nodes.clear();
        for (const auto node : RedisServer::cluster_ports_of(redis_port))
            config.cluster_nodes.push_back({"127.0.0.1", node});
    }
    client_ = redis::Client::create(io_.get_executor(), config);
    client_->start();
    if (!run(client_->wait_connected(3000ms)))
        throw std::runtime_error("test redis connection failed");
    notify::OutboxOptions options;
    options.prefix = prefix;
    outbox_ = std::make_unique<notify::RedisSmsOutbox>(
        client_, *crypto::SealedBox::from_base64_key(kSmsDataKey), options);
}

Outbox::~Outbox() { client_->stop(); }

std::string Outbox::enqueue(const std::string& phone, const std::string& key,
                            notify::SmsMessage::Kind kind, const std::string& template_name,
                            std::vector<std::string> params) {
    notify::SmsMessage message{phone, template_name, std::move(params), key, kind};
    return run(outbox_->enqueue_id(std::move(message)));
}

std::string Outbox::state(const std::string& id) {
    auto record = run(outbox_->find(id));
    return record ? record->state : "";
}

std::string Outbox::wait_state(const std::string& id, const std::string& wanted,
                               std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    std::string seen;
    while (std::chrono::steady_clock::now() < until) {
        seen = state(id);
        if (seen == wanted) break;
        io_.restart();
        io_.run_for(20ms);
    }
    return seen;
}

}  // namespace kayou::test
