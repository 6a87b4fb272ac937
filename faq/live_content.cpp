#include "faq/live_content.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fstream>
#include <sstream>

#include "redis/client.hpp"

namespace kayou::faq {
namespace asio = boost::asio;
namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Runs on the worker thread: parameters are copied into the coroutine frame.
asio::awaitable<BuiltContent> build_on_worker(ContentKind kind, std::string text, int version) {
    co_return build_content(kind, text, version);
}

}  // namespace

LiveContent::LiveContent(asio::any_io_executor executor, ContentStore& store, StationGeo& geo,
                         Options options)
    : executor_(std::move(executor)),
      store_(store),
      geo_(geo),
      options_(std::move(options)),
      timer_(executor_) {}

LiveContent::~LiveContent() { workers_.join(); }

void LiveContent::event(std::string_view name, ContentKind kind, int version,
                        std::string_view detail) const {
    if (options_.on_event) options_.on_event(name, content_kind_name(kind), version, detail);
}

void LiveContent::start() {
    stopping_ = false;
    asio::co_spawn(executor_, run(), asio::detached);
}

void LiveContent::stop() {
    stopping_ = true;
    timer_.cancel();
}

asio::awaitable<void> LiveContent::run() {
    bool failing = false;  // log the first failure and the recovery, not every 500 ms
    while (!stopping_) {
        try {
            co_await poll_once();
            settled_ = true;
            if (failing) event("content_poll_recovered", ContentKind::faq, 0, "");
            failing = false;
        } catch (const std::exception& error) {
            // Redis down or slow: keep serving what we have and try again next interval.
            if (!failing) event("content_poll_failed", ContentKind::faq, 0, error.what());
            failing = true;
        }
        if (stopping_) break;
        timer_.expires_after(options_.poll_interval);
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> LiveContent::seed_all() {
    for (auto kind : kContentKinds) {
        const std::string path = options_.seed_dir + "/" + std::string(content_seed_file(kind));
        std::ifstream file(path);
        if (!file) {
            event("content_seed_missing", kind, 0, path);
            continue;
        }
        std::stringstream text;
        text << file.rdbuf();
        if (auto problems = validate_content(kind, text.str()); !problems.empty()) {
            event("content_seed_invalid", kind, 0,
                  path + ":" + std::to_string(problems.front().line) + ": " +
                      problems.front().message);
            continue;
        }
        const int version = co_await store_.seed(kind, text.str(), unix_now());
        event("content_seeded", kind, version, path);
    }
}

asio::awaitable<void> LiveContent::poll_once() {
    if (!seeded_ && !options_.seed_dir.empty()) {
        co_await seed_all();
        seeded_ = true;
    }
    const auto published = co_await store_.published_all();
    for (auto kind : kContentKinds) {
        const int number = published[index(kind)];
        if (number > 0 && number != versions_[index(kind)].load() && number != failed_[index(kind)])
            co_await refresh(kind, number);
        if (kind == ContentKind::stations && number > 0 &&
            number == versions_[index(kind)].load() && !geo_checked_) {
            // After a Redis restore or a first start, the GEO set may lag the published version.
            if (co_await geo_.loaded_version() != number) {
                if (auto catalog = stations_.load()) co_await geo_.load(*catalog, number);
            }
            geo_checked_ = true;
        }
    }
}

asio::awaitable<BuiltContent> LiveContent::build(ContentKind kind, std::string text, int version) {
    co_return co_await asio::co_spawn(workers_.get_executor(),
                                      build_on_worker(kind, std::move(text), version),
                                      asio::use_awaitable);
}

asio::awaitable<void> LiveContent::refresh(ContentKind kind, int published) {
    auto text = co_await store_.text(kind, published);
    if (!text) {
        event("content_load_failed", kind, published, "version missing");
        failed_[index(kind)] = published;
        co_return;
    }
    BuiltContent built;
    try {
        built = co_await build(kind, std::move(*text), published);
    } catch (const std::exception& error) {
        // Validated on upload, so this means a text written around the API: keep serving the
        // previous version rather than nothing.
        event("content_load_failed", kind, published, error.what());
        failed_[index(kind)] = published;
        co_return;
    }
    // Back on the I/O thread (co_spawn completes on the awaiting coroutine's executor).
    switch (kind) {
        case ContentKind::faq:
            faq_.store(built.faq);
            break;
        case ContentKind::benefits:
            benefits_.store(built.benefits);
            break;
        case ContentKind::stations:
            stations_.store(built.stations);
            if (co_await geo_.loaded_version() != published)
                co_await geo_.load(*built.stations, published);
            geo_checked_ = true;
            break;
        case ContentKind::intents:
            intents_.store(built.intents);
            break;
    }
    versions_[index(kind)].store(published);
    event("content_loaded", kind, published, "");
}

}  // namespace kayou::faq
