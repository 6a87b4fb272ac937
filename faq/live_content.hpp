#pragma once
// Hot reload: what this process serves now, for each content kind, and the loop that keeps it in
// step with the published versions in Redis.
//
// Why polling and not pub/sub: SUBSCRIBE puts a connection in a mode where it can run nothing
// else, so pub/sub would need a second connection with its own reconnect and a resync after every
// reconnect (messages published while disconnected are lost) — which is a poll anyway. One
// pipelined GET per kind every 500 ms is three tiny commands per second per process and bounds the
// switch-over to poll interval + load + build.
//
// Loading: the text is fetched on the I/O thread; parsing and Index::build run on a worker thread
// (5,000 FAQ entries take seconds) and the result is swapped in on the I/O thread as a
// shared_ptr<const ...>. A question copies the pointer when it starts, so in-flight questions
// finish on the version they started with and the old index is freed by the last one.
//
// Seeding: on the first start against an empty store, version 1 of each kind is the file in the
// seed directory (validated first; a broken seed file is logged and skipped).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "faq/content.hpp"
#include "faq/station_geo.hpp"
#include "faq/store.hpp"

namespace kayou::faq {

class LiveContent {
public:
    struct Options {
        std::chrono::milliseconds poll_interval{500};
        std::string seed_dir = "faq/data";  // empty: no seeding
        // Events for the process log: ("content_loaded", kind, version, ""),
        // ("content_load_failed", kind, version, reason), ("content_seeded", ...). Never text.
        std::function<void(std::string_view event, std::string_view kind, int version,
                           std::string_view detail)>
            on_event;
    };

    LiveContent(boost::asio::any_io_executor executor, ContentStore& store, StationGeo& geo,
                Options options);
    ~LiveContent();  // waits for a build in progress on the worker thread
    LiveContent(const LiveContent&) = delete;
    LiveContent& operator=(const LiveContent&) = delete;

    // Spawns the poll loop on the executor; stop() ends it at its next wake-up.
    void start();
    void stop();

    // The current versions; null until the first load. Safe from any thread.
    std::shared_ptr<const Index> faq() const { return faq_.load(); }
    std::shared_ptr<const BenefitCatalog> benefits() const { return benefits_.load(); }
    std::shared_ptr<const StationCatalog> stations() const { return stations_.load(); }
    std::shared_ptr<const IntentModel> intents() const { return intents_.load(); }
    int version(ContentKind kind) const { return versions_[index(kind)].load(); }
    // True once a poll has completed: every published version has been loaded (or has failed
    // and been logged). Until then a question would find no FAQ, so /readyz says not ready.
    bool settled() const { return settled_.load(); }

    // Parses and builds a text on the worker thread and resumes on the caller's executor; throws
    // ScriptError. For previews of unpublished versions, which must not stall the I/O thread.
    boost::asio::awaitable<BuiltContent> build(ContentKind kind, std::string text, int version);

    // One poll of every kind (what the loop does each interval); exposed for tests.
    boost::asio::awaitable<void> poll_once();

private:
    static std::size_t index(ContentKind kind) { return static_cast<std::size_t>(kind); }
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> seed_all();
    boost::asio::awaitable<void> refresh(ContentKind kind, int published);
    void event(std::string_view name, ContentKind kind, int version, std::string_view detail) const;

    boost::asio::any_io_executor executor_;
    ContentStore& store_;
    StationGeo& geo_;
    Options options_;
    boost::asio::thread_pool workers_{1};
    boost::asio::steady_timer timer_;
    bool stopping_ = false;
    bool seeded_ = false;
    bool geo_checked_ = false;
    std::atomic<bool> settled_{false};
    std::atomic<std::shared_ptr<const Index>> faq_;
    std::atomic<std::shared_ptr<const BenefitCatalog>> benefits_;
    std::atomic<std::shared_ptr<const StationCatalog>> stations_;
    std::atomic<std::shared_ptr<const IntentModel>> intents_;
    std::atomic<int> versions_[std::size(kContentKinds)] = {};
    int failed_[std::size(kContentKinds)] =
        {};  // a version that failed to build is not retried every poll
};

}  // namespace kayou::faq
