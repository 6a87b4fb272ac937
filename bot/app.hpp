#pragma once
// The process: config → embedded Redis (if no address) → Redis client → dialogs → HTTP routes.
// Built from explicit parts in main(), no singletons, so a test can run two Apps in one process.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "bot/config.hpp"

namespace kayou::bot {

class App {
public:
    explicit App(Config config);
    ~App();

    // Starts Redis (embedded or external), the HTTP server and the signal handling, then runs the
    // io_context until SIGTERM/SIGINT or stop(). Returns the process exit code.
    int run();
    // Starts everything without blocking (tests drive the io_context themselves).
    void start();
    void stop();

    // `kayou --check-config`: builds what start() builds from the config and loads every file it
    // loads (flow script, districts, calendar, intent script, SMS templates, content seeds),
    // without starting Redis or opening a port. Throws what start() would throw; returns what
    // start() would only log as a problem, one sentence each.
    static std::vector<std::string> check(Config config);

    boost::asio::io_context& io();
    std::uint16_t http_port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::bot
