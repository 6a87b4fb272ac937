#include "bot/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace kayou::bot {
namespace {

EnvLookup fake_env(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

std::string error_of(const std::string& yaml, const EnvLookup& env = fake_env({})) {
    try {
        parse_config(yaml, env);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

TEST(Config, EmptyFileGivesTheDocumentedDefaults) {
    const Config config = parse_config("", fake_env({}));
    EXPECT_EQ(config.server.address, "127.0.0.1");
    EXPECT_EQ(config.server.port, 8080);
    EXPECT_EQ(config.server.body_limit, 64u * 1024);
    EXPECT_TRUE(config.embedded_redis_wanted());
    EXPECT_EQ(config.embedded_redis.appendfsync, "everysec");
    EXPECT_EQ(config.dedupe_ttl, std::chrono::seconds(120));
    EXPECT_FALSE(config.official_account.enabled);
}

TEST(Config, TheShippedExampleAndDemoLoad) {
    // The example documents every key; with its ${...} secrets provided it must load.
    const auto env = fake_env({{"KAYOU_OA_TOKEN", "t"}});
    std::ifstream example(KAYOU_SOURCE_DIR "/config/kayou.example.yaml");
    std::stringstream text;
    text << example.rdbuf();
    EXPECT_NO_THROW(parse_config(text.str(), env));
    EXPECT_NO_THROW(load_config_file(KAYOU_SOURCE_DIR "/config/kayou.demo.yaml", env));
}

TEST(Config, CodeCapsHaveDefaultsAndAreValidated) {
    const Config defaults = parse_config("", fake_env({}));
    EXPECT_EQ(defaults.members.code_caps.global_per_hour, 300);
    EXPECT_EQ(defaults.members.code_caps.link_total, 5);
    EXPECT_EQ(defaults.members.join_link_caps.per_sender_hour, 3);
    EXPECT_EQ(defaults.embedded_redis.maxmemory_mb, 256u);
    EXPECT_EQ(defaults.sms.verification_retention, std::chrono::seconds(3600));
    EXPECT_FALSE(defaults.members.trust_forwarded_for);

    const Config set = parse_config(
        "members:\n  trust_forwarded_for: true\n  code_caps:\n    global_per_hour: 40\n"
        "    global_per_day: 400\n    phone_spacing_s: 0\n    proof_bits: 8\n"
        "  join_link_caps:\n    per_group_hour: 7\nembedded_redis:\n  maxmemory_mb: 64\n"
        "sms:\n  verification_retention_s: 600\n  sender:\n    code_rate_per_second: 20\n",
        fake_env({}));
    EXPECT_TRUE(set.members.trust_forwarded_for);
    EXPECT_EQ(set.members.code_caps.global_per_hour, 40);
    EXPECT_EQ(set.members.code_caps.phone_spacing, std::chrono::seconds(0));
    EXPECT_EQ(set.members.code_caps.proof_bits, 8);
    EXPECT_EQ(set.members.join_link_caps.per_group_hour, 7);
    EXPECT_EQ(set.embedded_redis.maxmemory_mb, 64u);
    EXPECT_EQ(set.sms.verification_retention, std::chrono::seconds(600));
    EXPECT_EQ(set.sms.sender.code_rate_per_second, 20.0);

    EXPECT_NE(error_of("members:\n  code_caps:\n    phone_per_hour: 20\n")
                  .find("members.code_caps.phone_per_day: must be at least"),
              std::string::npos);
    EXPECT_NE(error_of("members:\n  code_caps:\n    global_per_hour: 0\n")
                  .find("members.code_caps.global_per_hour"),
              std::string::npos);
    EXPECT_NE(error_of("members:\n  code_caps:\n    link_free: 9\n")
                  .find("members.code_caps.link_total: must be at least"),
              std::string::npos);
    EXPECT_NE(error_of("members:\n  code_caps:\n    budget: 9\n")
                  .find("members.code_caps.budget: unknown key"),
              std::string::npos);
    EXPECT_NE(
        error_of("sms:\n  verification_retention_s: 100000\n").find("sms.verification_retention_s"),
        std::string::npos);
    EXPECT_NE(error_of("embedded_redis:\n  maxmemory_mb: 1\n").find("maxmemory_mb"),
              std::string::npos);
}

TEST(Config, UnknownKeysNameTheirPath) {
    EXPECT_NE(error_of("server:\n  prot: 80\n").find("server.prot: unknown key (line 2)"),
              std::string::npos);
    EXPECT_NE(error_of("serve:\n  port: 80\n").find("serve: unknown key"), std::string::npos);
    EXPECT_NE(error_of("wechat:\n  official_account:\n    tokn: x\n")
                  .find("wechat.official_account.tokn: unknown key"),
              std::string::npos);
}

TEST(Config, BadValuesNameTheKey) {
    EXPECT_NE(error_of("server:\n  port: 70000\n").find("server.port"), std::string::npos);
    EXPECT_NE(error_of("server:\n  port: eighty\n").find("server.port"), std::string::npos);
    EXPECT_NE(error_of("log:\n  level: loud\n").find("log.level"), std::string::npos);
    EXPECT_NE(error_of("log:\n  access: maybe\n").find("log.access"), std::string::npos);
    EXPECT_NE(error_of("embedded_redis:\n  appendfsync: sometimes\n").find("appendfsync"),
              std::string::npos);
    EXPECT_NE(error_of("server: [1, 2]\n").find("server: expected a mapping"), std::string::npos);
    EXPECT_NE(error_of("server:\n  port: [1]\n").find("server.port: expected a single value"),
              std::string::npos);
    EXPECT_NE(error_of("server:\n  port: 80\n   bad indent: x\n").find("not valid YAML"),
              std::string::npos);
}

TEST(Config, EnabledChannelsNeedTheirSecrets) {
    EXPECT_NE(error_of("wechat:\n  wecom_app:\n    enabled: true\n    token: t\n")
                  .find("wechat.wecom_app.encoding_aes_key: required"),
              std::string::npos);
    EXPECT_NE(error_of("wechat:\n  official_account:\n    enabled: true\n    token: t\n"
                       "    encoding_aes_key: short\n")
                  .find("exactly 43 characters"),
              std::string::npos);
    EXPECT_NE(error_of("bridge:\n  enabled: true\n  secret: short\n").find("bridge.secret"),
              std::string::npos);
}

// The customer-service API (the Official Account's second message) is off until app_secret is
// set, needs the account's app_id, and is an Official Account key only.
TEST(Config, TheOfficialAccountsSecondMessageNeedsItsAppIdAndSecret) {
    const std::string account = "wechat:\n  official_account:\n    enabled: true\n    token: t\n";
    const Config off = parse_config(account, fake_env({}));
    EXPECT_TRUE(off.official_account.app_secret.empty());
    EXPECT_EQ(off.official_account.api_base, "https://api.weixin.qq.com");
    const Config on = parse_config(account +
                                       "    app_id: wx5f3c9a7e2b1d4c68\n    app_secret: s3cret\n"
                                       "    api_base: http://127.0.0.1:9\n",
                                   fake_env({}));
    EXPECT_EQ(on.official_account.app_secret, "s3cret");
    EXPECT_EQ(on.official_account.api_base, "http://127.0.0.1:9");
    EXPECT_NE(error_of(account + "    app_secret: s3cret\n")
                  .find("wechat.official_account.app_id: required with app_secret"),
              std::string::npos);
    EXPECT_NE(error_of(account + "    app_id: wx1\n    app_secret: s\n    api_base: ftp://x\n")
                  .find("wechat.official_account.api_base"),
              std::string::npos);
    EXPECT_NE(error_of("wechat:\n  wecom_app:\n    app_secret: s\n").find("app_secret"),
              std::string::npos);
}

TEST(Config, TheWeComAppsSecondMessageNeedsItsSecretAndAgentId) {
    const std::string app =
        "wechat:\n  wecom_app:\n    enabled: true\n    token: t\n    corp_id: ww1a2b3c\n"
        "    encoding_aes_key: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n";
    const Config off = parse_config(app, fake_env({}));
    EXPECT_TRUE(off.wecom_app.app_secret.empty());
    EXPECT_EQ(off.wecom_app.api_base, "https://qyapi.weixin.qq.com");
    const Config on =
        parse_config(app + "    secret: s3cret\n    agent_id: 1000002\n", fake_env({}));
    EXPECT_EQ(on.wecom_app.app_secret, "s3cret");
    EXPECT_EQ(on.wecom_app.agent_id, 1000002);
    EXPECT_EQ(on.wecom_app.api_base, "https://qyapi.weixin.qq.com");
    EXPECT_NE(error_of(app + "    secret: s3cret\n")
                  .find("wechat.wecom_app.agent_id: required with secret"),
              std::string::npos);
    EXPECT_NE(error_of(app + "    secret: s\n    agent_id: 0\n").find("wechat.wecom_app.agent_id"),
              std::string::npos);
    EXPECT_NE(error_of(app + "    secret: s\n    agent_id: 7\n    api_base: ftp://x\n")
                  .find("wechat.wecom_app.api_base"),
              std::string::npos);
}

TEST(Config, SecretsComeFromTheEnvironment) {
    const auto env = fake_env({{"OA_TOKEN", "from-env"}});
    const Config config = parse_config(
        "wechat:\n  official_account:\n    enabled: true\n    token: \"${OA_TOKEN}\"\n", env);
    EXPECT_EQ(config.official_account.token, "from-env");
    EXPECT_NE(error_of("wechat:\n  official_account:\n    enabled: true\n    token: \"${NOPE}\"\n")
                  .find("environment variable NOPE is not set"),
              std::string::npos);
}

TEST(Config, ExternalRedisTurnsOffTheEmbeddedOne) {
    const Config config = parse_config("redis:\n  host: 10.0.0.5\n  port: 6380\n", fake_env({}));
    EXPECT_FALSE(config.embedded_redis_wanted());
    EXPECT_EQ(config.redis.port, 6380);
}

TEST(Config, SentinelNamesThePrimaryInsteadOfRedisHost) {
    const Config config = parse_config(
        "redis:\n  password: \"${PRIMARY_PASSWORD}\"\n  sentinel:\n    master: kayou\n"
        "    nodes: [\"10.0.0.1:26379\", \"sentinel-2:26379\", \"[::1]:26380\"]\n"
        "    password: \"${SENTINEL_PASSWORD}\"\n",
        fake_env({{"PRIMARY_PASSWORD", "p"}, {"SENTINEL_PASSWORD", "s"}}));
    EXPECT_TRUE(config.redis.sentinel.enabled());
    EXPECT_FALSE(config.embedded_redis_wanted());
    EXPECT_EQ(config.redis.sentinel.master, "kayou");
    EXPECT_EQ(config.redis.sentinel.nodes,
              (std::vector<std::string>{"10.0.0.1:26379", "sentinel-2:26379", "[::1]:26380"}));
    EXPECT_EQ(config.redis.sentinel.password, "s");
    EXPECT_EQ(config.redis.password, "p");
    EXPECT_EQ(config.redis.sentinel.wait_replicas, 1);  // the promise's writes wait by default
    EXPECT_EQ(config.redis.sentinel.wait_timeout, std::chrono::milliseconds(500));
    // Without the section: no sentinel (and WAIT is never sent).
    EXPECT_FALSE(parse_config("redis:\n  host: 10.0.0.5\n", fake_env({})).redis.sentinel.enabled());

    struct Case {
        const char* yaml;
        const char* error;
    };
    const Case cases[] = {
        {"redis:\n  sentinel:\n    nodes: [\"a:1\"]\n", "redis.sentinel.master: required"},
        {"redis:\n  sentinel:\n    master: kayou\n", "redis.sentinel.nodes: required"},
        {"redis:\n  sentinel:\n    master: kayou\n    nodes: [\"a:1\", \"b\"]\n",
         "redis.sentinel.nodes[1]: expected host:port"},
        {"redis:\n  sentinel:\n    master: kayou\n    nodes: [\"a:70000\"]\n",
         "redis.sentinel.nodes[0]: expected host:port"},
        {"redis:\n  sentinel:\n    master: kayou\n    nodes: a:1\n",
         "redis.sentinel.nodes: expected a list"},
        {"redis:\n  sentinel:\n    master: kayou\n    nodes: [\"a:1\"]\n    quorum: 2\n",
         "redis.sentinel.quorum: unknown key"},
        {"redis:\n  host: 10.0.0.5\n  sentinel:\n    master: kayou\n    nodes: [\"a:1\"]\n",
         "redis.sentinel.master: redis.host and redis.sentinel exclude each other"},
        {"redis:\n  sentinel:\n    master: kayou\n    nodes: [\"a:1\"]\n    wait_replicas: -1\n",
         "redis.sentinel.wait_replicas: expected a whole number from 0 to 16"},
        {"redis:\n  command_timeout_ms: 500\n  sentinel:\n    master: kayou\n"
         "    nodes: [\"a:1\"]\n    wait_timeout_ms: 500\n",
         "redis.sentinel.wait_timeout_ms: must be below redis.command_timeout_ms (500)"},
        {"redis:\n  sentinel: [a]\n", "redis.sentinel: expected a mapping"},
    };
    for (const auto& c : cases)
        EXPECT_NE(error_of(c.yaml).find(c.error), std::string::npos)
            << c.yaml << "\ngot: " << error_of(c.yaml);
    // WAIT off: its timeout is not checked against the command timeout.
    EXPECT_EQ(error_of("redis:\n  command_timeout_ms: 500\n  sentinel:\n    master: kayou\n"
                       "    nodes: [\"a:1\"]\n    wait_replicas: 0\n    wait_timeout_ms: 500\n"),
              "");
}

TEST(Config, ClusterListsSeedsInsteadOfRedisHost) {
    const Config config = parse_config(
        "redis:\n  cluster: [\"10.0.0.1:7000\", \"redis-2:7001\", \"[::1]:7002\"]\n", fake_env({}));
    EXPECT_EQ(config.redis.cluster,
              (std::vector<std::string>{"10.0.0.1:7000", "redis-2:7001", "[::1]:7002"}));
    EXPECT_FALSE(config.embedded_redis_wanted());
    EXPECT_TRUE(parse_config("redis:\n  host: 10.0.0.5\n", fake_env({})).redis.cluster.empty());

    struct Case {
        const char* yaml;
        const char* error;
    };
    const Case cases[] = {
        {"redis:\n  cluster: [\"a:1\", \"b\"]\n", "redis.cluster[1]: expected host:port"},
        {"redis:\n  cluster: [\"a:0\"]\n", "redis.cluster[0]: expected host:port"},
        {"redis:\n  cluster: a:1\n", "redis.cluster: expected a list"},
        {"redis:\n  host: 10.0.0.5\n  cluster: [\"a:1\"]\n",
         "redis.cluster: redis.host and redis.cluster exclude each other"},
        {"redis:\n  cluster: [\"a:1\"]\n  sentinel:\n    master: kayou\n    nodes: [\"s:1\"]\n",
         "redis.cluster: redis.sentinel and redis.cluster exclude each other"},
        {"redis:\n  cluster: [\"a:1\"]\n  database: 2\n",
         "redis.database: must be 0 with redis.cluster"},
    };
    for (const auto& c : cases)
        EXPECT_NE(error_of(c.yaml).find(c.error), std::string::npos)
            << c.yaml << "\ngot: " << error_of(c.yaml);
}

TEST(Config, ReusePortLetsSeveralProcessesShareTheListenPort) {
    EXPECT_FALSE(parse_config("", fake_env({})).server.reuse_port);
    const std::string key = "privacy:\n  data_key: 2JdUanKNbJG2AQTxNXEE06kt3EDf5Do1AeWsLqDDUGY=\n";
    const std::string shared_redis = "redis:\n  host: 127.0.0.1\n";
    EXPECT_TRUE(parse_config("server:\n  reuse_port: true\n" + key + shared_redis, fake_env({}))
                    .server.reuse_port);
    EXPECT_NE(error_of("server:\n  reuse_port: true\n" + shared_redis)
                  .find("privacy.data_key: required with server.reuse_port"),
              std::string::npos);
    EXPECT_NE(error_of("server:\n  reuse_port: true\n" + key)
                  .find("redis.host: required with server.reuse_port"),
              std::string::npos);
    EXPECT_EQ(parse_config("", fake_env({})).metrics_port, -1);
    EXPECT_EQ(parse_config("server:\n  metrics_port: 9101\n", fake_env({})).metrics_port, 9101);
    EXPECT_NE(error_of("server:\n  metrics_port: 70000\n").find("server.metrics_port"),
              std::string::npos);
    EXPECT_EQ(error_of("server:\n  reuse_port: yes\n"),
              "server.reuse_port: expected true or false, got 'yes'");
}

TEST(Config, ReviewContactsAndTiming) {
    const Config config = parse_config(
        "review:\n  reminder_lead_min: 90\n  sweep_interval_s: 30\n"
        "  reviewers: [{phone: \"${WUJIN_PHONE}\", districts: [wujin, jingkai]}]\n"
        "  city_admins: [{phone: \"13900000009\"}]\n",
        fake_env({{"WUJIN_PHONE", "13900000001"}}));
    EXPECT_EQ(config.review.reminder_lead, std::chrono::minutes(90));
    EXPECT_EQ(config.review.sweep_interval, std::chrono::seconds(30));
    ASSERT_EQ(config.review.reviewers.size(), 1u);
    EXPECT_EQ(config.review.reviewers[0].phone, "13900000001");
    EXPECT_EQ(config.review.reviewers[0].districts, (std::vector<std::string>{"wujin", "jingkai"}));
    ASSERT_EQ(config.review.city_admins.size(), 1u);
    EXPECT_TRUE(config.review.sweep_enabled);

    EXPECT_EQ(error_of("review:\n  reviewers: [{phone: \"12345\", districts: [wujin]}]\n"),
              "review.reviewers: phone must be an 11-digit mobile");
    EXPECT_EQ(error_of("review:\n  reviewers: [{phone: \"13900000001\"}]\n"),
              "review.reviewers: a reviewer needs districts");
    EXPECT_NE(error_of("review:\n  reminder_lead: 5\n").find("review.reminder_lead: unknown key"),
              std::string::npos);
    EXPECT_NE(error_of("review:\n  sweep_interval_s: 0\n").find("review.sweep_interval_s"),
              std::string::npos);
}

TEST(Config, StaffTokensNeedTheirDistricts) {
    const std::string hash = "4ee29291f018966dd683fe781006252c827836cb10cb585e51a23d3c8aaa1cf9";
    const Config config =
        parse_config("admin:\n  tokens:\n    - name: wang\n      token_sha256: " + hash +
                     "\n      role: staff\n      districts: [wujin]\n");
    ASSERT_EQ(config.admin.tokens.size(), 1u);
    EXPECT_EQ(config.admin.tokens[0].role, "staff");
    EXPECT_EQ(config.admin.tokens[0].districts, std::vector<std::string>{"wujin"});
    EXPECT_EQ(error_of("admin:\n  tokens:\n    - name: wang\n      token_sha256: " + hash +
                       "\n      role: staff\n"),
              "admin.tokens: wang: a staff token needs districts");
    EXPECT_NE(error_of("admin:\n  tokens:\n    - name: wang\n      token_sha256: " + hash +
                       "\n      role: helper\n      districts: [wujin]\n")
                  .find("legal_desk or staff"),
              std::string::npos);
}

}  // namespace
}  // namespace kayou::bot
