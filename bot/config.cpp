#include "bot/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <utility>

#include "redis/sentinel.hpp"

namespace kayou::bot {
namespace {

// Reads one mapping and remembers which keys were consumed, so anything left over is reported
// as unknown with its full path (a typo must not silently fall back to a default).
class Section {
public:
    Section(const YAML::Node& node, std::string path, const EnvLookup& env)
        : node_(node), path_(std::move(path)), env_(env) {
        if (node_ && !node_.IsNull() && !node_.IsMap())
            throw ConfigError(where() + ": expected a mapping of keys");
    }

    std::string key_path(const std::string& key) const {
        return path_.empty() ? key : path_ + "." + key;
    }

    Section child(const std::string& key) {
        seen_.insert(key);
        return Section(node_ ? node_[key] : YAML::Node(), key_path(key), env_);
    }

    void read(const std::string& key, std::string& out) {
        if (auto value = scalar(key)) out = expand(key, *value);
    }
    void read(const std::string& key, bool& out) {
        if (auto value = scalar(key)) {
            if (*value == "true")
                out = true;
            else if (*value == "false")
                out = false;
            else
                throw ConfigError(key_path(key) + ": expected true or false, got '" + *value + "'");
        }
    }
    template <typename Integer>
    void read_int(const std::string& key, Integer& out, long long min, long long max) {
        if (auto value = scalar(key)) {
            const std::string text = expand(key, *value);
            char* end = nullptr;
            errno = 0;
            const long long parsed = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || errno != 0 || parsed < min || parsed > max)
                throw ConfigError(key_path(key) + ": expected a whole number from " +
                                  std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                                  text + "'");
            out = static_cast<Integer>(parsed);
        }
    }
    template <typename Duration>
    void read_duration(const std::string& key, Duration& out, long long min, long long max) {
        long long count = out.count();
        read_int(key, count, min, max);
        out = Duration(count);
    }

    void reject_unknown() const {
        if (!node_ || !node_.IsMap()) return;
        for (const auto& item : node_) {
            const auto key = item.first.as<std::string>();
            if (!seen_.count(key))
                throw ConfigError(key_path(key) + ": unknown key (line " +
                                  std::to_string(item.first.Mark().line + 1) + ")");
        }
    }

    bool present() const { return node_ && !node_.IsNull(); }

    // A list-valued key: each item is read as a Section of its own.
    std::vector<Section> list(const std::string& key) {
        seen_.insert(key);
        std::vector<Section> items;
        if (!node_) return items;
        const YAML::Node value = node_[key];
        if (!value || value.IsNull()) return items;
        if (!value.IsSequence()) throw ConfigError(key_path(key) + ": expected a list");
        for (std::size_t i = 0; i < value.size(); ++i)
            items.emplace_back(value[i], key_path(key) + "[" + std::to_string(i) + "]", env_);
        return items;
    }
    std::vector<std::string> read_strings(const std::string& key) {
        seen_.insert(key);
        std::vector<std::string> out;
        if (!node_) return out;
        const YAML::Node value = node_[key];
        if (!value || value.IsNull()) return out;
        if (!value.IsSequence()) throw ConfigError(key_path(key) + ": expected a list");
        for (const auto& item : value) {
            if (!item.IsScalar()) throw ConfigError(key_path(key) + ": expected a list of text");
            out.push_back(item.Scalar());
        }
        return out;
    }

private:
    std::optional<std::string> scalar(const std::string& key) {
        seen_.insert(key);
        if (!node_) return std::nullopt;
        const YAML::Node value = node_[key];
        if (!value || value.IsNull()) return std::nullopt;
        if (!value.IsScalar()) throw ConfigError(key_path(key) + ": expected a single value");
        return value.Scalar();
    }

    // "${NAME}" takes the value from the environment; a missing variable is an error rather
    // than an empty secret.
    std::string expand(const std::string& key, const std::string& value) const {
        if (value.size() > 3 && value.rfind("${", 0) == 0 && value.back() == '}') {
            const std::string name = value.substr(2, value.size() - 3);
            auto found = env_(name);
            if (!found)
                throw ConfigError(key_path(key) + ": environment variable " + name + " is not set");
            return *found;
        }
        return value;
    }

    std::string where() const { return path_.empty() ? "config" : path_; }

    YAML::Node node_;
    std::string path_;
    const EnvLookup& env_;
    std::set<std::string> seen_;
};

void read_wechat(Section section, WechatEndpointConfig& out, const char* receive_id_key,
                 bool aes_required) {
    section.read("enabled", out.enabled);
    section.read("token", out.token);
    section.read("encoding_aes_key", out.encoding_aes_key);
    if (receive_id_key) section.read(receive_id_key, out.receive_id);
    if (!receive_id_key) section.read("bot_name", out.bot_name);
    const bool official_account = receive_id_key && std::string_view(receive_id_key) == "app_id";
    const bool wecom_app = receive_id_key && std::string_view(receive_id_key) == "corp_id";
    if (official_account) {
        section.read("app_secret", out.app_secret);
        section.read("api_base", out.api_base);
    }
    if (wecom_app) {
        // The app's own Secret and AgentId (its page in the WeCom admin console): with them the
        // second of two answers goes as an app message (应用消息).
        out.api_base = "https://qyapi.weixin.qq.com";
        section.read("secret", out.app_secret);
        section.read_int("agent_id", out.agent_id, 1, 9'999'999'999LL);
        section.read("api_base", out.api_base);
    }
    section.reject_unknown();
    if (!out.enabled) return;
    if (out.token.empty()) throw ConfigError(section.key_path("token") + ": required when enabled");
    if (!out.encoding_aes_key.empty() && out.encoding_aes_key.size() != 43)
        throw ConfigError(section.key_path("encoding_aes_key") + ": must be exactly 43 characters");
    if (aes_required && out.encoding_aes_key.empty())
        throw ConfigError(section.key_path("encoding_aes_key") + ": required when enabled");
    if (receive_id_key && aes_required && out.receive_id.empty())
        throw ConfigError(section.key_path(receive_id_key) + ": required when enabled");
    const char* secret_key = wecom_app ? "secret" : "app_secret";
    if (!out.app_secret.empty() && out.receive_id.empty())
        throw ConfigError(section.key_path(receive_id_key) + ": required with " + secret_key);
    if (wecom_app && !out.app_secret.empty() && out.agent_id == 0)
        throw ConfigError(section.key_path("agent_id") + ": required with secret");
    if (!out.app_secret.empty() && out.api_base.rfind("http", 0) != 0)
        throw ConfigError(section.key_path("api_base") + ": expected an http(s) URL");
}

// members.code_caps (members/code_caps.hpp; docs/sms.md lists every cap and its default).
void read_code_caps(Section section, MembersConfig& out) {
    auto& c = out.code_caps;
    section.read_duration("phone_spacing_s", c.phone_spacing, 0, 3600);
    section.read_int("phone_per_hour", c.phone_per_hour, 1, 1000);
    section.read_int("phone_per_day", c.phone_per_day, 1, 10'000);
    section.read_int("link_total", c.link_total, 1, 1000);
    section.read_int("link_free", c.link_free, 0, 1000);
    section.read_int("sender_per_hour", c.sender_per_hour, 1, 1000);
    section.read_int("sender_per_day", c.sender_per_day, 1, 10'000);
    section.read_int("address_per_hour", c.address_per_hour, 1, 1'000'000);
    section.read_int("address_free", c.address_free, 0, 1'000'000);
    section.read_int("global_per_hour", c.global_per_hour, 1, 10'000'000);
    section.read_int("global_per_day", c.global_per_day, 1, 100'000'000);
    section.read_int("alert_percent", c.alert_percent, 1, 100);
    section.read_int("proof_bits", c.proof_bits, 0, 24);
    section.read_int("proof_extra_bits", c.proof_extra_bits, 0, 8);
    section.read_duration("proof_ttl_s", out.proof_ttl, 30, 3600);
    section.reject_unknown();
    auto at_least = [&](const char* key, long long value, const char* other, long long minimum) {
        if (value < minimum)
            throw ConfigError(section.key_path(key) + ": must be at least " +
                              section.key_path(other) + " (" + std::to_string(minimum) + ")");
    };
    at_least("phone_per_day", c.phone_per_day, "phone_per_hour", c.phone_per_hour);
    at_least("sender_per_day", c.sender_per_day, "sender_per_hour", c.sender_per_hour);
    at_least("global_per_day", c.global_per_day, "global_per_hour", c.global_per_hour);
    at_least("link_total", c.link_total, "link_free", c.link_free);
    at_least("address_per_hour", c.address_per_hour, "address_free", c.address_free);
}

// redis.sentinel (RedisSentinelConfig). Read after the rest of redis: (command_timeout_ms).
void read_sentinel_section(Section section, RedisConfig& redis) {
    auto& s = redis.sentinel;
    section.read("master", s.master);
    s.nodes = section.read_strings("nodes");
    section.read("password", s.password);
    section.read_int("wait_replicas", s.wait_replicas, 0, 16);
    section.read_duration("wait_timeout_ms", s.wait_timeout, 1, 60'000);
    section.reject_unknown();
    if (s.master.empty() && s.nodes.empty() && s.password.empty()) return;  // no sentinel
    if (s.master.empty())
        throw ConfigError(section.key_path("master") +
                          ": required (the name in the sentinels' `sentinel monitor NAME ...`)");
    if (s.master.find_first_of(" \t\r\n") != std::string::npos)
        throw ConfigError(section.key_path("master") + ": must not contain spaces");
    if (s.nodes.empty())
        throw ConfigError(section.key_path("nodes") + ": required, a list of host:port");
    for (std::size_t i = 0; i < s.nodes.size(); ++i)
        if (!redis::parse_endpoint(s.nodes[i]))
            throw ConfigError(section.key_path("nodes") + "[" + std::to_string(i) +
                              "]: expected host:port (or [ipv6]:port), got '" + s.nodes[i] + "'");
    if (!redis.host.empty())
        throw ConfigError(section.key_path("master") +
                          ": redis.host and redis.sentinel exclude each other (with sentinel, "
                          "the sentinels name the primary)");
    if (s.wait_replicas > 0 && s.wait_timeout >= redis.command_timeout)
        throw ConfigError(section.key_path("wait_timeout_ms") +
                          ": must be below redis.command_timeout_ms (" +
                          std::to_string(redis.command_timeout.count()) + ")");
}

// redis.cluster: a list of host:port seeds; the other nodes are learnt from CLUSTER SLOTS.
void check_cluster_list(const Section& section, const RedisConfig& redis) {
    const auto& nodes = redis.cluster;
    if (nodes.empty()) return;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (!redis::parse_endpoint(nodes[i]))
            throw ConfigError(section.key_path("cluster") + "[" + std::to_string(i) +
                              "]: expected host:port (or [ipv6]:port), got '" + nodes[i] + "'");
    if (redis.sentinel.enabled())
        throw ConfigError(section.key_path("cluster") +
                          ": redis.sentinel and redis.cluster exclude each other (a Redis "
                          "Cluster fails over by itself)");
    if (!redis.host.empty())
        throw ConfigError(section.key_path("cluster") +
                          ": redis.host and redis.cluster exclude each other (the cluster's "
                          "nodes are listed in redis.cluster)");
    if (redis.database != 0)
        throw ConfigError(section.key_path("database") +
                          ": must be 0 with redis.cluster (a Redis Cluster has only database 0)");
}

void read_server_section(Section server, Config& config) {
    server.read("listen", config.server.address);
    server.read_int("port", config.server.port, 0, 65535);
    server.read_int("body_limit_bytes", config.server.body_limit, 1024, 16 << 20);
    server.read_duration("read_timeout_ms", config.server.read_timeout, 100, 600'000);
    server.read_duration("idle_timeout_ms", config.server.idle_timeout, 100, 3'600'000);
    server.read_duration("shutdown_grace_ms", config.server.shutdown_grace, 0, 600'000);
    server.read_int("max_connections", config.server.max_connections, 1, 1'000'000);
    server.read_int("max_body_memory_bytes", config.server.max_body_memory, 64 << 10, 4LL << 30);
    server.read("reuse_port", config.server.reuse_port);
    server.read_int("metrics_port", config.metrics_port, -1, 65535);
    server.reject_unknown();
}

void read_redis_section(Section redis, Config& config) {
    redis.read("host", config.redis.host);
    redis.read_int("port", config.redis.port, 1, 65535);
    redis.read("password", config.redis.password);
    redis.read_int("database", config.redis.database, 0, 15);
    redis.read_duration("connect_timeout_ms", config.redis.connect_timeout, 10, 60'000);
    redis.read_duration("command_timeout_ms", config.redis.command_timeout, 10, 60'000);
    redis.read_int("memory_alert_percent", config.redis.memory_alert_percent, 1, 100);
    redis.read_duration("memory_check_interval_ms", config.redis.memory_check_interval, 100,
                        3'600'000);
    read_sentinel_section(redis.child("sentinel"), config.redis);
    config.redis.cluster = redis.read_strings("cluster");
    redis.reject_unknown();
    check_cluster_list(redis, config.redis);
}

void read_embedded_redis_section(Section embedded, Config& config) {
    embedded.read("binary", config.embedded_redis.binary);
    embedded.read("data_dir", config.embedded_redis.data_dir);
    embedded.read("unix_socket", config.embedded_redis.unix_socket);
    embedded.read_int("port", config.embedded_redis.port, 0, 65535);
    embedded.read_duration("start_timeout_ms", config.embedded_redis.start_timeout, 100, 3'600'000);
    embedded.read_duration("lock_wait_ms", config.embedded_redis.lock_wait, 0, 600'000);
    embedded.read("appendfsync", config.embedded_redis.appendfsync);
    embedded.read_int("maxmemory_mb", config.embedded_redis.maxmemory_mb, 16, 1 << 20);
    embedded.reject_unknown();
    const auto& fsync = config.embedded_redis.appendfsync;
    if (fsync != "always" && fsync != "everysec" && fsync != "no")
        throw ConfigError("embedded_redis.appendfsync: expected always, everysec or no");
}

void read_log_section(Section log, Config& config) {
    std::string level;
    log.read("level", level);
    if (!level.empty() && !ops::parse_log_level(level, config.log_level))
        throw ConfigError("log.level: expected debug, info, warn or error, got '" + level + "'");
    log.read("access", config.access_log);
    log.reject_unknown();
}

void read_wechat_section(Section wechat, Config& config) {
    read_wechat(wechat.child("official_account"), config.official_account, "app_id", false);
    read_wechat(wechat.child("wecom_app"), config.wecom_app, "corp_id", true);
    read_wechat(wechat.child("wecom_bot"), config.wecom_bot, nullptr, true);
    wechat.read_duration("max_clock_skew_s", config.max_clock_skew, 0, 86'400);
    wechat.reject_unknown();
}

void read_bridge_section(Section bridge, Config& config) {
    bridge.read("enabled", config.bridge.enabled);
    bridge.read("secret", config.bridge.secret);
    bridge.read("bot_name", config.bridge.bot_name);
    if (auto aliases = bridge.read_strings("bot_aliases"); !aliases.empty())
        config.bridge.bot_aliases = std::move(aliases);
    bridge.read_duration("max_clock_skew_s", config.bridge.max_clock_skew, 1, 86'400);
    bridge.reject_unknown();
    if (config.bridge.enabled && config.bridge.secret.size() < 16)
        throw ConfigError("bridge.secret: required when enabled, at least 16 characters");
}

void read_dedupe_section(Section dedupe, Config& config) {
    dedupe.read_duration("ttl_s", config.dedupe_ttl, 60, 86'400);
    dedupe.reject_unknown();
}

void read_join_link_caps(Section links, MembersConfig& out) {
    links.read_int("per_sender_hour", out.join_link_caps.per_sender_hour, 1, 1000);
    links.read_int("per_group_hour", out.join_link_caps.per_group_hour, 1, 100'000);
    links.read_int("promo_per_address_hour", out.join_link_caps.promo_per_address_hour, 1, 10'000);
    links.read_int("promo_per_promoter_hour", out.join_link_caps.promo_per_promoter_hour, 1,
                   1'000'000);
    links.reject_unknown();
}

void read_members_section(Section members, Config& config) {
    auto& out = config.members;
    members.read("flow_file", out.flow_file);
    members.read("districts_file", out.districts_file);
    members.read("calendar_dir", out.calendar_dir);
    members.read_duration("session_ttl_s", out.session_ttl, 1, 30 * 86'400);
    members.read_duration("draft_ttl_s", out.draft_ttl, 60, 90 * 86'400);
    members.read_duration("lock_wait_ms", out.lock_wait, 100, 120'000);
    members.read("public_base_url", out.public_base_url);
    members.read_duration("join_link_ttl_s", out.join_link_ttl, 60, 86'400);
    members.read("trust_forwarded_for", out.trust_forwarded_for);
    read_code_caps(members.child("code_caps"), out);
    read_join_link_caps(members.child("join_link_caps"), out);
    std::string office = members::format_office_hours(out.office_hours);
    members.read("office_hours", office);
    const auto hours = members::parse_office_hours(office);
    if (!hours)
        throw ConfigError(
            "members.office_hours: expected HH:MM-HH:MM (Beijing time, open "
            "before close), got '" +
            office + "'");
    out.office_hours = *hours;
    members.reject_unknown();
    while (!out.public_base_url.empty() && out.public_base_url.back() == '/')
        out.public_base_url.pop_back();
    if (!out.public_base_url.empty() && out.public_base_url.rfind("https://", 0) != 0 &&
        out.public_base_url.rfind("http://", 0) != 0)
        throw ConfigError("members.public_base_url: expected an http(s):// URL");
}

void read_review_section(Section review, Config& config) {
    auto& out = config.review;
    review.read_duration("reminder_lead_min", out.reminder_lead, 0, 24 * 60);
    review.read_duration("sweep_interval_s", out.sweep_interval, 1, 3600);
    review.read("sweep_enabled", out.sweep_enabled);
    review.read("only_in_office_hours", out.only_in_office_hours);
    auto contacts = [&](const std::string& key, bool needs_districts) {
        std::vector<members::ReviewContactConfig> list;
        for (auto& item : review.list(key)) {
            members::ReviewContactConfig contact;
            item.read("phone", contact.phone);
            contact.districts = item.read_strings("districts");
            item.reject_unknown();
            const bool mobile = contact.phone.size() == 11 && contact.phone[0] == '1' &&
                                contact.phone.find_first_not_of("0123456789") == std::string::npos;
            if (!mobile) throw ConfigError("review." + key + ": phone must be an 11-digit mobile");
            if (needs_districts && contact.districts.empty())
                throw ConfigError("review." + key + ": a reviewer needs districts");
            list.push_back(std::move(contact));
        }
        return list;
    };
    out.reviewers = contacts("reviewers", true);
    out.city_admins = contacts("city_admins", false);
    review.reject_unknown();
}

// A provider's section: string settings only, each read into its place; any other key is an
// error.
void read_provider_strings(Section section,
                           std::initializer_list<std::pair<const char*, std::string*>> fields) {
    for (const auto& [key, value] : fields) section.read(key, *value);
    section.reject_unknown();
}

// `sms` by reference: child() marks the provider keys as known in it.
void read_sms_providers(Section& sms, SmsConfig& out) {
    auto& tencent = out.tencent;
    read_provider_strings(sms.child("tencent"), {{"endpoint", &tencent.endpoint},
                                                 {"region", &tencent.region},
                                                 {"sdk_app_id", &tencent.sdk_app_id},
                                                 {"secret_id", &tencent.secret_id},
                                                 {"secret_key", &tencent.secret_key},
                                                 {"sign_name", &tencent.sign_name}});
    auto& aliyun = out.aliyun;
    read_provider_strings(sms.child("aliyun"), {{"endpoint", &aliyun.endpoint},
                                                {"region", &aliyun.region},
                                                {"access_key_id", &aliyun.access_key_id},
                                                {"access_key_secret", &aliyun.access_key_secret},
                                                {"sign_name", &aliyun.sign_name}});
    read_provider_strings(sms.child("local_sink"), {{"url", &out.local_sink.url}});
}

void read_sms_twilio(Section twilio, SmsConfig& out) {
    twilio.read("auth_token", out.twilio_auth_token);
    twilio.read("public_base_url", out.twilio_public_base_url);
    twilio.reject_unknown();
}

void read_sms_sender(Section sender, SmsConfig& out) {
    auto& s = out.sender;
    sender.read("enabled", out.sender_enabled);
    long long rate = static_cast<long long>(s.rate_per_second);
    sender.read_int("rate_per_second", rate, 1, 100'000);
    s.rate_per_second = static_cast<double>(rate);
    auto& plan = s.schedule;
    sender.read_int("max_attempts", plan.max_attempts, 0, 10'000);
    sender.read_int("max_in_flight", s.max_in_flight, 1, 10'000);
    sender.read_duration("backoff_base_ms", plan.backoff_base, 10, 600'000);
    sender.read_duration("backoff_cap_ms", plan.backoff_cap, 10, 6 * 3'600'000LL);
    sender.read_duration("settle_margin_ms", plan.settle_margin, 0, 86'400'000LL);
    sender.read_duration("min_window_ms", plan.min_window, 1000, 7 * 86'400'000LL);
    sender.read_duration("default_window_ms", plan.default_window, 1000, 7 * 86'400'000LL);
    sender.read_duration("verification_window_ms", plan.verification_window, 1000, 86'400'000LL);
    sender.read_duration("claim_idle_ms", s.claim_idle, 100, 3'600'000);
    long long code_rate = static_cast<long long>(s.code_rate_per_second);
    sender.read_int("code_rate_per_second", code_rate, 1, 100'000);
    s.code_rate_per_second = static_cast<double>(code_rate);
    sender.read_duration("code_max_age_ms", s.code_max_age, 10'000, 86'400'000);
    sender.read_duration("status_check_after_ms", plan.status_check_after, 100, 3'600'000);
    sender.read_duration("status_check_interval_ms", plan.status_check_interval, 100, 3'600'000);
    sender.read_duration("status_absent_after_ms", plan.status_absent_after, 100, 86'400'000LL);
    sender.read_duration("unknown_wait_ms", plan.unknown_wait, 1000, 7 * 86'400'000LL);
    sender.read_duration("alert_after_ms", s.alert_after, 1000, 86'400'000LL);
    sender.read_duration("connect_timeout_ms", out.connect_timeout, 10, 60'000);
    sender.read_duration("request_timeout_ms", out.request_timeout, 10, 120'000);
    sender.reject_unknown();
    // A status query is at most two provider requests (Aliyun near midnight).
    s.status_lease =
        2 * (out.connect_timeout + out.request_timeout) + std::chrono::milliseconds(1000);
    if (plan.backoff_cap < plan.backoff_base)
        throw ConfigError("sms.sender.backoff_cap_ms: below backoff_base_ms");
    if (s.claim_idle <= out.request_timeout)
        throw ConfigError(
            "sms.sender.claim_idle_ms: must exceed request_timeout_ms (a slow send "
            "would be taken over while still in flight)");
}

void read_sms_limits(Section limits, SmsConfig& out) {
    auto& s = out.sender;
    long long interval_s = s.same_template_interval.count() / 1000;
    limits.read_int("same_template_interval_s", interval_s, 0, 86'400);
    s.same_template_interval = std::chrono::milliseconds(interval_s * 1000);
    limits.read_int("per_phone_hour", s.per_phone_hour, 1, 1000);
    limits.read_int("per_phone_day", s.per_phone_day, 1, 10'000);
    limits.reject_unknown();
}

void read_sms_section(Section sms, Config& config) {
    auto& out = config.sms;
    sms.read("provider", out.provider);
    sms.read("fallback", out.fallback);
    sms.read("templates_file", out.templates_file);
    sms.read("callback_token", out.callback_token);
    sms.read_duration("verification_retention_s", out.verification_retention, 60, 86'400);
    read_sms_providers(sms, out);
    read_sms_twilio(sms.child("twilio"), out);
    read_sms_sender(sms.child("sender"), out);
    read_sms_limits(sms.child("limits"), out);
    sms.reject_unknown();
    auto known = [](const std::string& p) {
        return p == "tencent" || p == "aliyun" || p == "local_sink";
    };
    if (!out.provider.empty() && !known(out.provider))
        throw ConfigError("sms.provider: expected tencent, aliyun or local_sink");
    if (!out.fallback.empty() && (!known(out.fallback) || out.fallback == out.provider))
        throw ConfigError("sms.fallback: expected a provider other than sms.provider");
    for (const auto& p : {out.provider, out.fallback}) {
        if (p == "tencent" && (out.tencent.sdk_app_id.empty() || out.tencent.secret_id.empty() ||
                               out.tencent.secret_key.empty()))
            throw ConfigError("sms.tencent: sdk_app_id, secret_id and secret_key are required");
        if (p == "aliyun" &&
            (out.aliyun.access_key_id.empty() || out.aliyun.access_key_secret.empty()))
            throw ConfigError("sms.aliyun: access_key_id and access_key_secret are required");
    }
    if (out.enabled() && out.callback_token.size() < 16 && out.provider != "local_sink")
        throw ConfigError("sms.callback_token: at least 16 characters (it guards the receipts)");
}

void read_admin_section(Section admin, Config& config) {
    for (auto& item : admin.list("tokens")) {
        AdminTokenConfig token;
        item.read("name", token.name);
        item.read("token_sha256", token.token_sha256);
        item.read("role", token.role);
        token.districts = item.read_strings("districts");
        item.reject_unknown();
        const auto where = std::string("admin.tokens: ") + (token.name.empty() ? "?" : token.name);
        if (token.name.empty()) throw ConfigError(where + ": name is required");
        const bool hex =
            token.token_sha256.size() == 64 &&
            token.token_sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!hex)
            throw ConfigError(where +
                              ": token_sha256 must be 64 lowercase hex digits "
                              "(printf %s \"$TOKEN\" | sha256sum)");
        if (token.role != "city_admin" && token.role != "district_admin" &&
            token.role != "faq_editor" && token.role != "legal_desk" && token.role != "staff")
            throw ConfigError(where +
                              ": role must be city_admin, district_admin, faq_editor, "
                              "legal_desk or staff");
        if (token.role == "district_admin" && token.districts.empty())
            throw ConfigError(where + ": a district_admin needs districts");
        if (token.role == "staff" && token.districts.empty())
            throw ConfigError(where + ": a staff token needs districts");
        config.admin.tokens.push_back(std::move(token));
    }
    admin.reject_unknown();
}

void read_content_section(Section content, Config& config) {
    content.read("seed_dir", config.content.seed_dir);
    content.read_duration("poll_interval_ms", config.content.poll_interval, 50, 60'000);
    content.reject_unknown();
}

void read_privacy_section(Section privacy, Config& config) {
    privacy.read("data_key", config.privacy.data_key);
    privacy.reject_unknown();
    if (!config.privacy.data_key.empty() && config.privacy.data_key.size() != 44)
        throw ConfigError("privacy.data_key: expected standard base64 of 32 bytes (44 characters)");
    // The embedded redis-server belongs to one process: with several, each would start its
    // own (state split between them, two servers writing one AOF directory).
    if (config.server.reuse_port && config.embedded_redis_wanted())
        throw ConfigError(
            "redis.host: required with server.reuse_port (the processes must share one "
            "Redis; the embedded one serves a single process)");
    // Without a key each process seals with a random one of its own: a draft or an
    // application sealed by one process would be unreadable to the others on the port.
    if (config.privacy.data_key.empty() && config.server.reuse_port)
        throw ConfigError(
            "privacy.data_key: required with server.reuse_port (every process must read "
            "what the others sealed)");
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
}

Config parse_config(std::string_view yaml_text, const EnvLookup& env) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        throw ConfigError("config: not valid YAML at line " + std::to_string(error.mark.line + 1) +
                          ": " + error.msg);
    }
    Config config;
    Section top(root, "", env);

    read_server_section(top.child("server"), config);
    read_redis_section(top.child("redis"), config);
    read_embedded_redis_section(top.child("embedded_redis"), config);
    read_log_section(top.child("log"), config);
    read_wechat_section(top.child("wechat"), config);
    read_bridge_section(top.child("bridge"), config);
    read_dedupe_section(top.child("dedupe"), config);
    top.read("key_prefix", config.key_prefix);
    read_members_section(top.child("members"), config);
    read_review_section(top.child("review"), config);
    read_sms_section(top.child("sms"), config);
    read_admin_section(top.child("admin"), config);
    read_content_section(top.child("content"), config);
    read_privacy_section(top.child("privacy"), config);
    top.reject_unknown();
    return config;
}

Config load_config_file(const std::string& path, const EnvLookup& env) {
    std::ifstream file(path);
    if (!file) throw ConfigError(path + ": cannot open the config file");
    std::stringstream text;
    text << file.rdbuf();
    try {
        return parse_config(text.str(), env);
    } catch (const ConfigError& error) {
        throw ConfigError(path + ": " + error.what());
    }
}

}  // namespace kayou::bot
