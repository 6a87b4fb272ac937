// kayou: the chatbot and SMS backend of the truck drivers' union service.
#include <cstring>
#include <iostream>
#include <string>

#include "bot/app.hpp"
#include "bot/config.hpp"
#include "bot/log.hpp"

namespace {

constexpr const char* kUsage =
    "usage: kayou --config FILE [--check-config]\n"
    "\n"
    "  --config FILE    the YAML config (every key documented in config/kayou.example.yaml)\n"
    "  --check-config   validate the config and exit (0 = valid)\n"
    "  --version        print the version\n";

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg.rfind("--config=", 0) == 0) {
            config_path = arg.substr(std::strlen("--config="));
        } else if (arg == "--check-config") {
            check_only = true;
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
    if (check_only) {
        std::cout << "config ok\n";
        return 0;
    }
    try {
        kayou::bot::App app(std::move(config));
        return app.run();
    } catch (const std::exception& error) {
        kayou::bot::log(kayou::bot::LogLevel::error, "fatal", {{"what", error.what()}});
        return 1;
    }
}
