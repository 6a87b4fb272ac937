#pragma once
// The one config file (`kayou --config FILE`, YAML). Every key is documented in
// config/kayou.example.yaml. Unknown keys and bad values stop start-up with a message that names
// the key. Secrets may be written as "${ENV_NAME}" and are then read from the environment.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "members/calendar.hpp"
#include "members/code_caps.hpp"
#include "members/review_sweep.hpp"
#include "net/http_server.hpp"
#include "notify/providers/provider.hpp"
#include "notify/sender.hpp"
#include "ops/log.hpp"

namespace kayou::bot {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One WeChat-family callback endpoint (Official Account, WeCom app or WeCom smart robot).
struct WechatEndpointConfig {
    bool enabled = false;
    std::string token;
    std::string encoding_aes_key;  // 43 characters; empty = plaintext mode only (OA)
    std::string receive_id;        // OA AppID, WeCom CorpID; "" for the smart robot
    std::string bot_name;          // smart robot: the name users @-mention
    // The API that sends the second of two answers too long for the passive reply (docs/DESIGN.md
    // "Channels"): the Official Account's customer-service messages (app_secret), or the WeCom
    // app's messages (its `secret` and `agent_id`). Off while app_secret is empty.
    std::string app_secret;
    std::int64_t agent_id = 0;                           // WeCom app only
    std::string api_base = "https://api.weixin.qq.com";  // WeCom app: https://qyapi.weixin.qq.com
};

struct BridgeConfig {
    bool enabled = false;
    std::string secret;
    std::string bot_name = "卡友小助手";
    // Other names members call the bot by ("小助手"): "@小助手 …", or the name opening a message.
    std::vector<std::string> bot_aliases{"小助手"};
    std::chrono::seconds max_clock_skew{300};
};

// redis.sentinel (docs/DESIGN.md "Redis Sentinel"): kayou asks these sentinels where the primary
// of `master` is, instead of redis.host. Off while `master` is empty.
struct RedisSentinelConfig {
    std::string master;
    std::vector<std::string> nodes;  // "host:port" / "[v6]:port", asked in this order
    std::string password;  // the sentinels' own requirepass; the primary's: redis.password
    // The writes the promise rests on (submit, decision + its SMS in the outbox, the sender's
    // claim before a provider call) wait for this many replicas (WAIT): 0 = do not wait.
    int wait_replicas = 1;
    std::chrono::milliseconds wait_timeout{500};

    bool enabled() const { return !master.empty(); }
};

struct RedisConfig {
    std::string host;  // empty = start an embedded redis-server (unless sentinel is set)
    std::uint16_t port = 6379;
    std::string password;
    int database = 0;
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    // INFO memory is read this often; kayou_redis_memory_alert is 1 from this share of
    // maxmemory on (and when the Redis has no maxmemory or a policy that evicts).
    int memory_alert_percent = 80;
    std::chrono::milliseconds memory_check_interval{5000};
    RedisSentinelConfig sentinel;
    // redis.cluster (docs/DESIGN.md "Keys and hash tags"): "host:port" seeds of a Redis Cluster,
    // instead of redis.host; empty = no cluster.
    std::vector<std::string> cluster;
};

struct EmbeddedRedisConfig {
    std::string binary = "redis-server";
    std::string data_dir = "var/redis";
    // true: listen only on <data_dir>/redis.sock (no port to lose to another process); false, or
    // a data_dir path too long for a socket address: loopback TCP on `port`.
    bool unix_socket = true;
    std::uint16_t port = 0;                // TCP only: 0 = a free loopback port
    std::string appendfsync = "everysec";  // "always" trades throughput for zero loss on power cut
    // maxmemory of the child; its policy is always noeviction: applications, the outbox and the
    // audit log are never evicted; at the limit writes fail instead (alert first: RedisConfig).
    std::uint64_t maxmemory_mb = 256;
    // Start-up: how long the child may take to answer PING (a large AOF loads first), and how
    // long to wait for the data directory's lock (a previous kayou's child still flushing).
    std::chrono::milliseconds start_timeout{30'000};
    std::chrono::milliseconds lock_wait{10'000};
};

// One admin API bearer token. Only its SHA-256 is in the config (`printf %s "$TOKEN" | sha256sum`),
// so a leaked config file does not leak a usable token.
struct AdminTokenConfig {
    std::string name;                    // who holds it: shown in the audit log
    std::string token_sha256;            // 64 lowercase hex digits
    std::string role;                    // city_admin | district_admin | faq_editor | legal_desk
    std::vector<std::string> districts;  // district_admin: the districts it may act on
};

struct AdminConfig {
    std::vector<AdminTokenConfig> tokens;
};

// Versioned content (FAQ scripts, benefit catalog, driver stations) kept in Redis.
struct ContentConfig {
    // Where the files that seed version 1 of an empty store live (legal.yaml, benefits.yaml,
    // stations.yaml). Relative paths are relative to the working directory.
    std::string seed_dir = "faq/data";
    // How often every process checks the published version numbers (hot reload).
    std::chrono::milliseconds poll_interval{500};
};

struct PrivacyConfig {
    // AES-256-GCM key for personal data at rest, standard base64 of 32 bytes (44 characters).
    // Empty: features that would store personal data store none (e.g. a ticket keeps no phone).
    std::string data_key;
};

// The join dialog (dialogs/, members/): flow script, districts, deadline calendar, session and
// draft lifetimes, group join links. Relative paths resolve against the working directory, then
// against the source tree kayou was built from (development runs from any directory).
struct MembersConfig {
    std::string flow_file = "config/flows/join.yaml";
    std::string districts_file = "config/districts.yaml";
    std::string calendar_dir = "config/calendar";
    std::chrono::seconds session_ttl{1800};      // idle chat session
    std::chrono::seconds draft_ttl{7 * 86400};   // half-filled application
    std::chrono::milliseconds lock_wait{20000};  // a turn waits this long for its conversation
    std::string public_base_url;  // "https://kayou.example.org": join links in groups; "" = none
    std::chrono::seconds join_link_ttl{1800};
    // Caps on verification codes and join links (members/code_caps.hpp, docs/sms.md).
    members::CodeLimits code_caps;
    members::LinkMintLimits join_link_caps;
    std::chrono::seconds proof_ttl{300};
    // Behind a reverse proxy that appends the client's address to X-Forwarded-For: take the
    // address from there (otherwise every driver would share the proxy's address).
    bool trust_forwarded_for = false;
    // Deadlines count inside office hours on working days (members/calendar.hpp); reminders and
    // escalations go out only inside them.
    members::OfficeHours office_hours;
};

// SMS (notify/): providers, sender, webhooks. See config/kayou.example.yaml and docs/sms.md.
struct SmsConfig {
    std::string provider;  // primary: tencent | aliyun | local_sink; empty = SMS off
    std::string fallback;  // optional second provider (tencent | aliyun)
    std::string templates_file = "config/sms-templates.yaml";
    // Secret path segment of the Tencent/Aliyun callback URLs (/sms/tencent/<token>/status ...).
    std::string callback_token;
    notify::TencentProviderConfig tencent;
    notify::AliyunProviderConfig aliyun;
    notify::LocalSinkProviderConfig local_sink;  // url empty = this process' /dev/sms/send
    std::string twilio_auth_token;               // empty = Twilio routes off
    std::string twilio_public_base_url;          // what Twilio signs, e.g. https://x.example
    bool sender_enabled = true;
    notify::SenderOptions sender;
    // How long a verification code's message record stays (at most a day; others: 30 days).
    std::chrono::seconds verification_retention{3600};
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{10'000};

    bool enabled() const { return !provider.empty(); }
};

struct Config {
    net::HttpServerOptions server;
    // A second listener with only /healthz, /readyz and /metrics: -1 = none, 0 = a free port.
    // With server.reuse_port, a scrape of the shared port reaches a random process; each
    // process's own port (`kayou --metrics-port N`) is how Prometheus sees them all.
    int metrics_port = -1;
    RedisConfig redis;
    EmbeddedRedisConfig embedded_redis;
    ops::LogLevel log_level = ops::LogLevel::info;
    bool access_log = true;
    WechatEndpointConfig official_account;
    WechatEndpointConfig wecom_app;
    WechatEndpointConfig wecom_bot;
    BridgeConfig bridge;
    std::chrono::seconds dedupe_ttl{120};
    // Webhook signatures older or newer than this are replays or broken clocks (0 = off).
    std::chrono::seconds max_clock_skew{300};
    std::string key_prefix = "kayou:";
    SmsConfig sms;
    AdminConfig admin;
    ContentConfig content;
    PrivacyConfig privacy;
    MembersConfig members;
    members::ReviewConfig review;

    bool embedded_redis_wanted() const {
        return redis.host.empty() && !redis.sentinel.enabled() && redis.cluster.empty();
    }
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

Config parse_config(std::string_view yaml_text, const EnvLookup& env = process_env);
Config load_config_file(const std::string& path, const EnvLookup& env = process_env);

}  // namespace kayou::bot
