// kayou: the chatbot and SMS backend of the truck drivers' union service.
#include <charconv>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "bot/app.hpp"
#include "bot/config.hpp"
#include "bot/embedded_redis.hpp"
#include "bot/redis_sentinel.hpp"
#include "ops/log.hpp"
#include "redis/sentinel.hpp"

namespace {

constexpr const char* kUsage =
    "usage: kayou --config FILE [--metrics-port N] [--check-config | --print-redis]\n"
    "\n"
    "  --config FILE      the YAML config (every key documented in config/kayou.example.yaml)\n"
    "  --metrics-port N   serve /healthz, /readyz and /metrics on port N too (overrides\n"
    "                     server.metrics_port; one per process when they share a port)\n"
    "  --check-config     load everything a start loads (config, flow script, districts,\n"
    "                     calendar, intents, SMS templates, content seeds) and exit: 0 = a\n"
    "                     start would get past them (warnings on stderr), 1 or 2 = it would not\n"
    "  --print-redis      print where this config's Redis is (embedded or external) as\n"
    "                     key=value lines, for scripts/redis-cli.sh, and exit\n"
    "  --version          print the version\n";

// --print-redis: what scripts/redis-cli.sh needs to reach the Redis kayou uses, decided by the
// same code as a start (bot/embedded_redis.hpp), so the script never guesses a socket or port.
int print_redis(kayou::bot::Config config) {
    std::cout << "key_prefix=" << config.key_prefix << "\n";
    if (config.redis.sentinel.enabled()) {
        // The primary the sentinels name now (docs/DESIGN.md "Redis Sentinel").
        const auto primary = kayou::bot::ask_sentinels_now(config.redis);
        if (!primary) {
            std::cerr << "kayou: no sentinel in redis.sentinel.nodes named the primary of "
                      << config.redis.sentinel.master << "\n";
            return 1;
        }
        config.redis.host = primary->host;
        config.redis.port = primary->port;
    }
    if (!config.redis.cluster.empty()) {
        // A Redis Cluster: one seed; redis-cli -c follows the redirections from there.
        const auto seed = kayou::redis::parse_endpoint(config.redis.cluster.front());
        config.redis.host = seed->host;
        config.redis.port = seed->port;
        std::cout << "cluster=1\n";
    }
    if (!config.embedded_redis_wanted()) {
        std::cout << "host=" << config.redis.host << "\nport=" << config.redis.port
                  << "\ndatabase=" << config.redis.database << "\n";
        if (!config.redis.password.empty())
            std::cout << "password=" << config.redis.password << "\n";
        return 0;
    }
    const auto address = kayou::bot::embedded_redis_address(config.embedded_redis);
    if (!address.unix_socket.empty()) {
        std::cout << "socket=" << address.unix_socket << "\n";
        return 0;
    }
    if (!address.port) {
        std::cerr << "kayou: the embedded Redis listens on a free port that a running kayou "
                     "writes to "
                  << config.embedded_redis.data_dir
                  << "/redis.port; none there: is kayou running with this config?\n";
        return 1;
    }
    std::cout << "host=127.0.0.1\nport=" << address.port << "\ndatabase=0\n";
    return 0;
}

std::optional<int> parse_port(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > 65535)
        return std::nullopt;
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    bool check_only = false;
    bool print_redis_only = false;
    std::optional<int> metrics_port;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--metrics-port" && i + 1 < argc) {
            metrics_port = parse_port(argv[++i]);
            if (!metrics_port) {
                std::cerr << "kayou: --metrics-port: expected 0..65535, got '" << argv[i] << "'\n";
                return 2;
            }
        } else if (arg.rfind("--config=", 0) == 0) {
            config_path = arg.substr(std::strlen("--config="));
        } else if (arg == "--check-config") {
            check_only = true;
        } else if (arg == "--print-redis") {
            print_redis_only = true;
        } else if (arg == "--version") {
            std::cout << "kayou " << KAYOU_VERSION << "\n";
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else {
            std::cerr << "kayou: unknown argument '" << arg << "'\n" << kUsage;
            return 2;
        }
    }
    if (config_path.empty()) {
        std::cerr << "kayou: --config FILE is required\n" << kUsage;
        return 2;
    }
    kayou::bot::Config config;
    try {
        config = kayou::bot::load_config_file(config_path);
    } catch (const kayou::bot::ConfigError& error) {
        std::cerr << "kayou: invalid config: " << error.what() << "\n";
        return 2;
    }
    if (metrics_port) config.metrics_port = *metrics_port;
    if (print_redis_only) return print_redis(config);
    if (check_only) {
        // Fails with the message the start would fail with (exit 1, like a failed start).
        try {
            const auto problems = kayou::bot::App::check(config);
            for (const auto& problem : problems) std::cerr << "kayou: warning: " << problem << "\n";
        } catch (const kayou::bot::ConfigError& error) {
            std::cerr << "kayou: invalid config: " << error.what() << "\n";
            return 2;
        } catch (const std::exception& error) {
            std::cerr << "kayou: a start would fail: " << error.what() << "\n";
            return 1;
        }
        std::cout << "config ok\n";
        return 0;
    }
    try {
        kayou::bot::App app(std::move(config));
        return app.run();
    } catch (const std::exception& error) {
        kayou::ops::log(kayou::ops::LogLevel::error, "fatal", {{"what", error.what()}});
        return 1;
    }
}
