#include "bot/app.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "bot/admin/account_store.hpp"
#include "bot/admin/accounts_api.hpp"
#include "bot/admin/auth.hpp"
#include "bot/admin/content_api.hpp"
#include "bot/admin/missed_api.hpp"
#include "bot/admin/promoters_api.hpp"
#include "bot/admin/review_api.hpp"
#include "bot/admin/tickets_api.hpp"
#include "bot/customer_service.hpp"
#include "bot/embedded_redis.hpp"
#include "bot/http_errors.hpp"
#include "bot/join_pages.hpp"
#include "bot/process_stats.hpp"
#include "bot/redis_memory.hpp"
#include "bot/redis_sentinel.hpp"
#include "bot/sms_webhooks.hpp"
#include "bot/turn_runner.hpp"
#include "bot/webhooks.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_box.hpp"
#include "dialogs/join_service.hpp"
#include "faq/content.hpp"
#include "faq/driver_services.hpp"
#include "faq/eval.hpp"
#include "faq/legal_service.hpp"
#include "faq/live_content.hpp"
#include "faq/missed.hpp"
#include "faq/station_geo.hpp"
#include "faq/store.hpp"
#include "faq/tickets.hpp"
#include "members/calendar.hpp"
#include "members/code_desk.hpp"
#include "members/review_store.hpp"
#include "members/review_sweep.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "notify/redis_outbox.hpp"
#include "notify/templates.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "redis/client.hpp"

namespace kayou::bot {

namespace asio = boost::asio;

namespace {

// The router's membership status ("member", "applicant", anything else none) as the benefit
// catalogue takes it.
faq::MemberStatus member_status(std::string_view status) {
    if (status == "member") return faq::MemberStatus::member;
    if (status == "applicant") return faq::MemberStatus::applicant;
    return faq::MemberStatus::none;
}

// The router's legal question as the legal service takes it.
faq::LegalQuestion legal_question(dialogs::LegalAsk ask) {
    faq::LegalQuestion question;
    question.text = std::move(ask.text);
    question.in_group = ask.in_group;
    question.mentioned = ask.mentioned;
    question.district = std::move(ask.district);
    question.channel = std::move(ask.channel);
    question.chat_id = std::move(ask.chat_id);
    question.sender_id = std::move(ask.sender_id);
    question.misses_before = ask.misses_before;
    question.previous_question = std::move(ask.previous_question);
    question.topic = std::move(ask.topic);
    question.answered_before = std::move(ask.answered_before);
    question.said_before = std::move(ask.said_before);
    question.searched = std::move(ask.searched);
    question.follow_up = ask.follow_up;
    question.max_bytes = ask.max_bytes;
    return question;
}

// The legal service's reply as the router takes it.
dialogs::LegalAnswer legal_answer(faq::LegalReply reply) {
    dialogs::LegalAnswer answer;
    answer.texts = std::move(reply.texts);
    answer.follow_ups = std::move(reply.follow_ups);
    // Numbered choices and two answers are kept for a follow-up "2" (a shortened answer of two
    // says "回复2看全文"); a single answer's id only for the next follow-up (answered).
    if (faq::answers(reply.action)) answer.answered = reply.entry_ids;
    if (reply.action == faq::Action::choices || reply.action == faq::Action::both)
        answer.entry_ids = std::move(reply.entry_ids);
    // The union's own answers (legal: false: the card, mutual aid, a fuel station) put no legal
    // question on the table: "人工" after them is for the district's staff.
    answer.legal = faq::leaves_legal_context(reply);
    answer.confident =
        faq::answers(reply.action) || reply.action == faq::Action::choices || !reply.ticket.empty();
    answer.missed =
        reply.action == faq::Action::handoff && reply.ticket.empty() && !reply.asked_for_person;
    answer.outcome = std::string(faq::action_name(reply.action));
    answer.asked_as = std::move(reply.searched_text);
    answer.ticket = reply.ticket;
    return answer;
}

}  // namespace

struct App::Impl {
    Config config;
    asio::io_context io{1};
    ops::Metrics metrics;
    std::optional<EmbeddedRedis> embedded_redis;
    std::shared_ptr<redis::Client> redis;
    std::shared_ptr<redis::SentinelLocator> sentinel;  // redis.sentinel set: where the primary is
    // The join dialog and intent router (dialogs/join_service.hpp); it replaced the HelpDialog
    // placeholder, whose help text lives on in config/flows/join.yaml.
    std::unique_ptr<notify::RedisSmsOutbox> join_outbox;
    std::unique_ptr<dialogs::JoinService> join;
    // The data key (privacy.data_key): drafts, applications and stored replies are sealed with it.
    std::optional<crypto::SealedBox> data_box;
    // The web join page's HTTP side (bot/join_pages.hpp), on the join service's desk.
    std::unique_ptr<JoinPages> join_pages;
    std::unique_ptr<TurnRunner> turns;
    std::unique_ptr<Webhooks> webhooks;
    // The message APIs that send the second of two answers too long for the passive reply: the
    // Official Account's customer-service messages (wechat.official_account.app_secret) and the
    // WeCom app's messages (wechat.wecom_app.secret).
    std::unique_ptr<net::HttpClient> wechat_http;
    std::vector<std::unique_ptr<CustomerService>> message_apis;
    std::unique_ptr<SmsService> sms;  // null unless sms.provider is set
    // The templates for the console's rejection preview when SMS is off (with SMS on, the
    // sender's own catalog is used).
    std::optional<notify::TemplateCatalog> preview_templates;
    // Legal Q&A, benefits, stations, tickets and their admin API (faq/, bot/admin/).
    admin::Authenticator admin_auth{config.admin.tokens};
    std::unique_ptr<admin::AuditLog> audit;
    std::unique_ptr<faq::ContentStore> content_store;
    std::unique_ptr<faq::StationGeo> station_geo;
    std::unique_ptr<faq::LiveContent> live_content;
    std::unique_ptr<faq::TicketDesk> tickets;
    std::unique_ptr<faq::LegalService> legal;
    std::unique_ptr<faq::DriverServices> driver_services;
    std::unique_ptr<admin::ContentApi> content_api;
    std::unique_ptr<admin::TicketsApi> tickets_api;
    std::unique_ptr<faq::MissedInbox> missed;
    std::unique_ptr<admin::MissedApi> missed_api;
    // Review console and the deadline clock (members/review_store.hpp, members/review_sweep.hpp).
    std::unique_ptr<members::ReviewStore> review;
    std::unique_ptr<admin::ReviewApi> review_api;
    std::unique_ptr<admin::PromotersApi> promoters_api;
    // Console accounts beside the config's tokens (bot/admin/account_store.hpp).
    std::unique_ptr<admin::AccountStore> account_store;
    std::unique_ptr<admin::AccountWatcher> account_watcher;
    std::unique_ptr<admin::AccountsApi> accounts_api;
    std::unique_ptr<members::ReviewSweeper> review_sweeper;
    net::HttpServer server;
    std::unique_ptr<net::HttpServer> ops_server;  // server.metrics_port: health and metrics only
    asio::signal_set signals{io, SIGINT, SIGTERM};
    asio::signal_set reload_signals{io, SIGHUP};  // re-read the working-day calendar
    bool stopping = false;
    bool checking = false;  // App::check(): build and load, never connect or listen
    // The last INFO memory read (watch_redis_memory) and its alert ("" = fine).
    std::optional<RedisMemory> redis_memory;
    std::string redis_memory_alert;
    asio::steady_timer memory_timer{io};  // cancelled by stop(): shutdown never waits for it
    asio::steady_timer supervise_timer{io};
    std::uint64_t redis_restarts = 0;

    explicit Impl(Config c) : config(std::move(c)), server(io, config.server) {}

    static std::int64_t unix_now() {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    void start_redis() {
        redis::Config redis_config;
        if (config.embedded_redis_wanted()) {
            embedded_redis.emplace(config.embedded_redis);
            embedded_redis->start();  // throws when Redis cannot come up: kayou exits 1
            redis_config.host = "127.0.0.1";
            redis_config.port = embedded_redis->port();
            redis_config.unix_socket = embedded_redis->unix_socket();
            ops::log(ops::LogLevel::info, "embedded_redis_started",
                     {{"port", static_cast<int>(embedded_redis->port())},
                      {"unix_socket", embedded_redis->unix_socket()},
                      {"pid", static_cast<int>(embedded_redis->pid())},
                      {"data_dir", config.embedded_redis.data_dir}});
            supervise_redis();
        } else {
            redis_config.host = config.redis.host;
            redis_config.port = config.redis.port;
            redis_config.password = config.redis.password;
            redis_config.database = config.redis.database;
            if (config.redis.sentinel.enabled()) {
                sentinel = start_sentinel(io.get_executor(), config.redis, redis_config);
                describe_sentinel_metrics(metrics, sentinel);
            }
            // Checked when the config was read (bot/config.cpp): every entry parses.
            for (const auto& node : config.redis.cluster)
                redis_config.cluster_nodes.push_back(*redis::parse_endpoint(node));
        }
        redis_config.connect_timeout = config.redis.connect_timeout;
        redis_config.command_timeout = config.redis.command_timeout;
        // A restarted Redis answers -LOADING while it reads its AOF: not connected until it
        // answers PING, so /readyz and every route say 503 meanwhile (bot/http_errors.hpp).
        redis_config.ping_on_connect = true;
        redis = redis::Client::create(io.get_executor(), redis_config);
        // Every error kayou_redis_errors_total counts is logged once, with its reason.
        redis->set_error_observer(
            [](redis::Error::Kind kind, std::string_view reason, std::uint64_t commands) {
                ops::log(
                    ops::LogLevel::warn, "redis_error",
                    {{"kind", redis::to_string(kind)}, {"reason", reason}, {"commands", commands}});
            });
        redis->start();
    }

    // The embedded redis-server is restarted when it dies (bot/embedded_redis.hpp); the Redis
    // client reconnects to the same socket by itself, and /readyz says 503 until it has.
    void supervise_redis() {
        supervise_timer.expires_after(std::chrono::milliseconds(100));
        supervise_timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping || !embedded_redis) return;
            const auto seen = embedded_redis->supervise(std::chrono::steady_clock::now());
            if (seen.died)
                ops::log(ops::LogLevel::error, "embedded_redis_died",
                         {{"how", seen.died_how}, {"failures", seen.failures}});
            if (seen.restarted) {
                ++redis_restarts;
                ops::log(ops::LogLevel::warn, "embedded_redis_restarted",
                         {{"pid", static_cast<int>(embedded_redis->pid())},
                          {"failures", seen.failures}});
            }
            if (seen.restart_failed)
                ops::log(ops::LogLevel::error, "embedded_redis_restart_failed",
                         {{"detail", seen.why}, {"failures", seen.failures}});
            supervise_redis();
        });
    }

    void describe_metrics() {
        metrics.describe("kayou_http_requests_total", "counter",
                         "HTTP requests answered, by route and status");
        metrics.describe("kayou_http_request_duration_seconds", "histogram",
                         "Time from a complete request to its response, by route");
        metrics.describe("kayou_dialog_turns_total", "counter",
                         "Dialog turns run (platform retries are not counted again)");
        metrics.describe("kayou_dedupe_hits_total", "counter",
                         "Deliveries answered from the stored reply of an earlier delivery");
        metrics.describe("kayou_answers_total", "counter",
                         "Driver messages by how kayou answered: answered (directly), choices, "
                         "handoff (a person or the desk offered), not_understood");
        metrics.describe("kayou_join_funnel_total", "counter",
                         "Join dialog events: started, done:<step>, help_offered:<step>, "
                         "cancelled, submitted, duplicate, group_personal_data, group_link");
        metrics.describe("kayou_redis_connected", "gauge", "1 when the Redis connection is up");
        metrics.describe("kayou_redis_errors_total", "counter",
                         "Redis commands that failed (timeouts, disconnects) since start");
        metrics.describe("kayou_redis_reconnects_total", "counter",
                         "Times the Redis connection was re-established since start");
        metrics.describe("kayou_http_open_connections", "gauge", "Open HTTP connections");
        metrics.describe("kayou_embedded_redis_restarts_total", "counter",
                         "Times the embedded redis-server was restarted after it died");
        metrics.describe("kayou_webhook_rejected_total", "counter",
                         "Webhook deliveries refused (bad signature, stale timestamp, bad body), "
                         "by channel and status");
        metrics.describe("kayou_review_sweeps_total", "counter",
                         "Review sweeps run by this process (reminders and escalations checked)");
        metrics.describe("kayou_review_sweep_failures_total", "counter",
                         "Review sweeps that failed (Redis unreachable); retried next interval");
        metrics.describe("kayou_review_reminded_total", "counter",
                         "Applications whose district reviewers were reminded of the deadline");
        metrics.describe("kayou_review_escalated_total", "counter",
                         "Applications past their deadline escalated to the city admins");
        metrics.gauge("kayou_embedded_redis_restarts_total",
                      [this] { return static_cast<double>(redis_restarts); });
        metrics.gauge("kayou_redis_connected", [this] { return redis && redis->connected(); });
        metrics.gauge("kayou_redis_errors_total",
                      [this] { return redis ? static_cast<double>(redis->stats().errors) : 0.0; });
        metrics.gauge("kayou_redis_reconnects_total", [this] {
            return redis ? static_cast<double>(redis->stats().reconnects) : 0.0;
        });
        metrics.gauge("kayou_http_open_connections",
                      [this] { return static_cast<double>(server.open_connections()); });
        describe_process_metrics();
        describe_cap_metrics();
    }

    // Verification-code caps, the SMS budget and Redis memory (docs/sms.md).
    void describe_cap_metrics() {
        metrics.describe("kayou_sms_codes_total", "counter",
                         "Verification-code requests by outcome: sent, challenged (a proof of "
                         "work was asked for), proof_rejected, enqueue_failed");
        metrics.describe("kayou_sms_code_refusals_total", "counter",
                         "Verification codes refused, by the cap that refused them");
        metrics.describe("kayou_sms_code_budget_alerts_total", "counter",
                         "Times this process saw the global code budget reach its alert level or "
                         "run out (once per window and level)");
        metrics.describe("kayou_sms_code_budget_alert", "gauge",
                         "0 fine, 1 the global code budget reached members.code_caps."
                         "alert_percent, 2 it ran out and codes are refused");
        metrics.describe("kayou_sms_code_budget_hour_used", "gauge",
                         "Verification codes sent this Beijing hour (all processes)");
        metrics.describe("kayou_sms_code_budget_day_used", "gauge",
                         "Verification codes sent this Beijing day (all processes)");
        metrics.describe("kayou_join_links_total", "counter",
                         "Group join links: minted, refused_sender, refused_group");
        metrics.describe("kayou_redis_used_memory_bytes", "gauge", "Redis used_memory");
        metrics.describe("kayou_redis_maxmemory_bytes", "gauge", "Redis maxmemory (0: no limit)");
        metrics.describe("kayou_redis_memory_alert", "gauge",
                         "1 when Redis memory needs an operator: used >= redis."
                         "memory_alert_percent of maxmemory, no maxmemory, or an evicting policy");
        metrics.gauge("kayou_sms_code_budget_alert", [this] {
            return join ? static_cast<double>(join->codes().last_budget().level) : 0.0;
        });
        metrics.gauge("kayou_sms_code_budget_hour_used", [this] {
            return join ? static_cast<double>(join->codes().last_budget().hour_used) : 0.0;
        });
        metrics.gauge("kayou_sms_code_budget_day_used", [this] {
            return join ? static_cast<double>(join->codes().last_budget().day_used) : 0.0;
        });
        metrics.gauge("kayou_redis_used_memory_bytes", [this] {
            return redis_memory ? static_cast<double>(redis_memory->used) : 0.0;
        });
        metrics.gauge("kayou_redis_maxmemory_bytes", [this] {
            return redis_memory ? static_cast<double>(redis_memory->maxmemory) : 0.0;
        });
        metrics.gauge("kayou_redis_memory_alert",
                      [this] { return redis_memory_alert.empty() ? 0.0 : 1.0; });
    }

    // members::CodeDesk events into counters; the budget alert also into the log.
    void code_event(std::string_view event, std::string_view detail) {
        if (event == "code_refused") {
            metrics
                .counter("kayou_sms_code_refusals_total",
                         "cap=\"" + ops::label_value(detail) + "\"")
                .add();
        } else if (event == "code_budget_alert") {
            metrics
                .counter("kayou_sms_code_budget_alerts_total",
                         "level=\"" + ops::label_value(detail) + "\"")
                .add();
            const auto budget = join->codes().last_budget();
            ops::log(ops::LogLevel::error, "sms_code_budget_alert",
                     {{"level", detail},
                      {"hour_used", budget.hour_used},
                      {"hour_budget", budget.hour_budget},
                      {"day_used", budget.day_used},
                      {"day_budget", budget.day_budget}});
        } else if (event == "link_minted") {
            metrics.counter("kayou_join_links_total", "outcome=\"minted\"").add();
        } else if (event == "link_refused") {
            metrics
                .counter("kayou_join_links_total",
                         "outcome=\"refused_" + ops::label_value(detail) + "\"")
                .add();
        } else if (event == "promo_link_minted") {
            metrics.counter("kayou_join_links_total", "outcome=\"promo_minted\"").add();
        } else if (event == "promo_link_refused") {
            // sender = the client address cap, group = the promoter's cap
            const std::string_view cap = detail == "sender" ? "address" : "promoter";
            metrics
                .counter("kayou_join_links_total",
                         "outcome=\"promo_refused_" + ops::label_value(cap) + "\"")
                .add();
        } else {
            if (event == "code_enqueue_failed") ops::log(ops::LogLevel::warn, event);
            std::string_view outcome = event;
            if (outcome.rfind("code_", 0) == 0) outcome.remove_prefix(5);
            metrics
                .counter("kayou_sms_codes_total", "outcome=\"" + ops::label_value(outcome) + "\"")
                .add();
        }
    }

    // Every memory_check_interval: Redis memory against its limit, and the code budget as the
    // other processes left it (both for /metrics and the console).
    void watch_redis_memory() {
        asio::co_spawn(
            io,
            [this]() -> asio::awaitable<void> {
                std::string logged;
                while (!stopping) {
                    // Asked only when connected: a check while the embedded Redis starts would be
                    // counted as a Redis error at every clean start (/metrics must read 0 then).
                    if (redis->connected()) try {
                            std::vector<std::string> info{std::string("INFO"),
                                                          std::string("memory")};
                            auto reply = co_await redis->exec(std::move(info));
                            if (reply.is_string()) redis_memory = parse_info_memory(reply.str);
                            if (redis_memory) {
                                redis_memory_alert =
                                    memory_alert(*redis_memory, config.redis.memory_alert_percent);
                                if (redis_memory_alert != logged && !redis_memory_alert.empty())
                                    ops::log(ops::LogLevel::error, "redis_memory_alert",
                                             {{"reason", redis_memory_alert},
                                              {"used_bytes",
                                               static_cast<std::int64_t>(redis_memory->used)},
                                              {"maxmemory_bytes",
                                               static_cast<std::int64_t>(redis_memory->maxmemory)},
                                              {"policy", redis_memory->policy}});
                                logged = redis_memory_alert;
                            }
                            co_await join->codes().budget();
                        } catch (const std::exception&) {
                            // Redis unreachable: /readyz and the Redis metrics say so already.
                        }
                    if (stopping) break;
                    memory_timer.expires_after(config.redis.memory_check_interval);
                    boost::system::error_code ignored;
                    co_await memory_timer.async_wait(
                        asio::redirect_error(asio::use_awaitable, ignored));
                }
            },
            asio::detached);
    }

    // The console's stats carry the operational alerts (docs/admin-api.md).
    asio::awaitable<nlohmann::json> alerts_json() {
        auto budget = co_await join->codes().budget();
        co_return alerts_json(budget);
    }
    nlohmann::json alerts_json(const members::BudgetStatus& budget) const {
        nlohmann::json last = nullptr;
        if (!budget.alert_level.empty())
            last = {{"level", budget.alert_level},
                    {"window", budget.alert_window},
                    {"at_ms", budget.alert_at_ms}};
        nlohmann::json memory = nullptr;
        if (redis_memory) {
            memory = {{"used_bytes", redis_memory->used},
                      {"maxmemory_bytes", redis_memory->maxmemory},
                      {"policy", redis_memory->policy},
                      {"alert", nullptr}};
            if (!redis_memory_alert.empty()) memory["alert"] = redis_memory_alert;
        }
        return {{"sms_code_budget",
                 {{"level", std::string(members::to_string(budget.level))},
                  {"hour_used", budget.hour_used},
                  {"hour_budget", budget.hour_budget},
                  {"day_used", budget.day_used},
                  {"day_budget", budget.day_budget},
                  {"last_alert", last}}},
                {"redis_memory", memory}};
    }

    // The standard process metrics every Prometheus client exports, per process.
    void describe_process_metrics() {
        metrics.describe("process_cpu_seconds_total", "counter",
                         "User and system CPU time spent in seconds");
        metrics.describe("process_resident_memory_bytes", "gauge", "Resident memory in bytes");
        metrics.describe("process_open_fds", "gauge", "Open file descriptors");
        metrics.describe("process_start_time_seconds", "gauge",
                         "Start time of the process since the Unix epoch in seconds");
        metrics.gauge("process_cpu_seconds_total", [] {
            const auto stats = read_process_stats();
            return stats ? stats->cpu_seconds : 0.0;
        });
        metrics.gauge("process_resident_memory_bytes", [] {
            const auto stats = read_process_stats();
            return stats ? stats->resident_bytes : 0.0;
        });
        metrics.gauge("process_open_fds", [] { return count_open_fds().value_or(0.0); });
        const auto stats = read_process_stats();
        const auto boot = read_boot_time();
        const double started = stats && boot ? *boot + stats->start_seconds : 0.0;
        metrics.gauge("process_start_time_seconds", [started] { return started; });
    }

    void install_routes() {
        install_ops_routes(server);
        server.route("/", [this](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
            co_return net::HttpResponse::text(200, index_text());
        });
        webhooks->install(server);
        install_join_routes();
        // Admin routes: the bearer token is checked on the header, before any body is read
        // (role checks stay with each handler).
        server.gate("/admin/api/",
                    [this](const net::HttpRequest& head) -> std::optional<net::HttpResponse> {
                        auto known = admin_auth.authorize(
                            head,
                            {admin::Role::city_admin, admin::Role::district_admin,
                             admin::Role::faq_editor, admin::Role::legal_desk, admin::Role::staff});
                        if (auto* denied = std::get_if<net::HttpResponse>(&known))
                            return std::move(*denied);
                        return std::nullopt;
                    });
        content_api->install(server);
        tickets_api->install(server);
        missed_api->install(server);
        review_api->install(server);
        promoters_api->install(server);
        accounts_api->install(server);
        if (sms) sms->install(server);
        observe_into_metrics(server);
        server.classify_errors(classify_exception);
        if (config.metrics_port >= 0) {
            net::HttpServerOptions options = config.server;
            options.port = static_cast<std::uint16_t>(config.metrics_port);
            options.reuse_port = false;  // this port is the process's own
            ops_server = std::make_unique<net::HttpServer>(io, options);
            install_ops_routes(*ops_server);
            observe_into_metrics(*ops_server);
            ops_server->classify_errors(classify_exception);
        }
    }

    void install_ops_routes(net::HttpServer& target) {
        target.route("/healthz", [](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
            co_return net::HttpResponse::text(200, "ok\n");
        });
        target.route("/readyz", [this](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
            bool ready = false;
            // A named vector of std::string (docs/coroutines.md).
            std::vector<std::string> ping{std::string("PING")};
            // Not connected (the embedded Redis still starting, or down): not ready, without a
            // command that could only fail and count as a Redis error (kayou_redis_connected
            // says the same).
            if (redis->connected()) {
                try {
                    auto pong = co_await redis->exec(std::move(ping));
                    ready = pong.ok();
                } catch (const std::exception&) {
                }
            }
            // With Sentinel: which primary, and how many failovers this process has seen.
            std::string primary_lines;
            if (sentinel) primary_lines = sentinel_status_lines(*sentinel);
            if (!ready)
                co_return net::HttpResponse::text(503, "redis unreachable\n" + primary_lines);
            // The content (FAQ, intents, benefits, stations) is loaded on a worker after the
            // start: a driver asking before then would get "答不好" for a question kayou knows.
            if (live_content && !live_content->settled())
                co_return net::HttpResponse::text(503, "content loading\n");
            co_return net::HttpResponse::text(200, "ready\n" + primary_lines);
        });
        target.route("/metrics", [this](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
            auto response = net::HttpResponse::text(200, metrics.render());
            response.content_type = "text/plain; version=0.0.4; charset=utf-8";
            co_return response;
        });
    }

    void observe_into_metrics(net::HttpServer& target) {
        target.observe([this](const net::HttpObservation& seen) {
            metrics
                .counter("kayou_http_requests_total", "route=\"" + ops::label_value(seen.route) +
                                                          "\",status=\"" +
                                                          std::to_string(seen.status) + "\"")
                .add();
            metrics
                .histogram("kayou_http_request_duration_seconds",
                           "route=\"" + ops::label_value(seen.route) + "\"")
                .observe(seen.duration);
            if (config.access_log || seen.status >= 500)
                ops::log(
                    seen.status >= 500 ? ops::LogLevel::warn : ops::LogLevel::info, "http_request",
                    {{"request_id", seen.request_id},
                     {"route", seen.route},
                     {"method", seen.method},
                     {"status", seen.status},
                     {"ms", std::chrono::duration<double, std::milli>(seen.duration).count()}});
        });
    }

    std::string index_text() const {
        std::string text = "kayou " + std::string(KAYOU_VERSION) + "\n\n";
        text += "GET  /healthz   process up\nGET  /readyz    Redis reachable and content loaded\n";
        text += "GET  /metrics   Prometheus metrics\n";
        if (config.official_account.enabled)
            text += "POST /wx/oa          WeChat Official Account\n";
        if (config.wecom_app.enabled) text += "POST /wx/wecom/app   WeCom self-built app\n";
        if (config.wecom_bot.enabled) text += "POST /wx/wecom/bot   WeCom smart robot\n";
        if (config.bridge.enabled)
            text += "POST /bridge/message group bridge (docs/bridge-protocol.md)\n";
        return text;
    }

    void start_content() {
        std::optional<crypto::SealedBox> box;
        if (!config.privacy.data_key.empty()) {
            box = crypto::SealedBox::from_base64_key(config.privacy.data_key);
            if (!box) throw ConfigError("privacy.data_key: not base64 of 32 bytes");
        }
        audit = std::make_unique<admin::AuditLog>(redis, config.key_prefix);
        content_store = std::make_unique<faq::ContentStore>(redis, config.key_prefix);
        station_geo = std::make_unique<faq::StationGeo>(redis, config.key_prefix);
        faq::LiveContent::Options options;
        options.poll_interval = config.content.poll_interval;
        options.seed_dir = config.content.seed_dir;
        options.on_event = [](std::string_view event, std::string_view kind, int version,
                              std::string_view detail) {
            const bool failed = event.find("failed") != std::string_view::npos ||
                                event.find("invalid") != std::string_view::npos;
            ops::log(failed ? ops::LogLevel::warn : ops::LogLevel::info, event,
                     {{"kind", kind}, {"version", version}, {"detail", detail}});
        };
        live_content = std::make_unique<faq::LiveContent>(io.get_executor(), *content_store,
                                                          *station_geo, std::move(options));
        // SMS for ticket answers goes through the notify outbox when SMS is configured.
        notify::SmsOutbox* outbox = nullptr;
        if (sms) outbox = &sms->outbox();
        tickets = std::make_unique<faq::TicketDesk>(redis, config.key_prefix, std::move(box),
                                                    outbox, &Impl::unix_now);
        legal = std::make_unique<faq::LegalService>(*live_content, *tickets);
        driver_services = std::make_unique<faq::DriverServices>(*live_content, *station_geo);
        content_api =
            std::make_unique<admin::ContentApi>(admin_auth, *audit, *content_store, *station_geo,
                                                *live_content, *legal, &Impl::unix_now);
        content_api->set_official_account_follow_ups(config.official_account.enabled &&
                                                     !config.official_account.app_secret.empty());
        tickets_api = std::make_unique<admin::TicketsApi>(admin_auth, *audit, *tickets);
        faq::MissedOptions missed_options;
        missed_options.key_prefix = config.key_prefix;
        missed = std::make_unique<faq::MissedInbox>(redis, missed_options, &Impl::unix_now);
        missed_api = std::make_unique<admin::MissedApi>(admin_auth, *audit, *missed, *content_store,
                                                        &Impl::unix_now);
    }

    // A year without calendar data makes deadlines fall back to plain weekdays (春节 ignored):
    // say so loudly at start, and from December on about next year too.
    std::vector<int> missing_calendar_years() const {
        const auto today =
            text::beijing_date(std::chrono::sys_seconds(std::chrono::seconds(unix_now())));
        const int year = static_cast<int>(today.year());
        const int last = static_cast<unsigned>(today.month()) == 12 ? year + 1 : year;
        return join->calendar().missing_years(year, last);
    }

    void check_calendar_years() {
        for (const int y : missing_calendar_years())
            ops::log(ops::LogLevel::error, "calendar_year_missing",
                     {{"year", y},
                      {"detail",
                       "add config/calendar/<year>.yaml from the State Council notice, then "
                       "send SIGHUP"}});
    }

    void watch_reload_signal() {
        reload_signals.async_wait([this](const boost::system::error_code& ec, int) {
            if (ec) return;
            try {
                const auto years = join->reload_calendar();
                std::string list;
                for (const int y : years) list += (list.empty() ? "" : ",") + std::to_string(y);
                ops::log(ops::LogLevel::info, "calendar_reloaded", {{"years", list}});
            } catch (const std::exception& e) {
                ops::log(ops::LogLevel::error, "calendar_reload_failed", {{"detail", e.what()}});
            }
            check_calendar_years();
            watch_reload_signal();
        });
    }

    // The content poller and the review sweep read Redis every few hundred ms / seconds: they
    // start once the first connection is up (or its connect timeout has passed, then they retry
    // on their own), so a normal start logs no "not connected" warnings.
    void start_redis_readers() {
        asio::co_spawn(
            io,
            [this]() -> asio::awaitable<void> {
                co_await redis->wait_connected(config.redis.connect_timeout);
                if (stopping) co_return;
                live_content->start();
                if (review_sweeper) review_sweeper->start();
                if (account_watcher) account_watcher->start();
            },
            asio::detached);
    }

    void start_review() {
        if (sms) {
            sms->set_applications(&join->applications());
            // SMS replies are understood with the same intent script as chat: the published
            // one, else the one loaded at start.
            sms->set_intents([this]() -> std::shared_ptr<const faq::IntentModel> {
                auto live = live_content ? live_content->intents() : nullptr;
                return live ? live : join->intents();
            });
        }
        review = std::make_unique<members::ReviewStore>(redis, join->applications(), *join_outbox);
        review_api = std::make_unique<admin::ReviewApi>(admin_auth, *audit, join->applications(),
                                                        *review, *join_outbox, join->districts(),
                                                        join->calendar(), &Impl::unix_now);
        review_api->set_alerts([this] { return alerts_json(); });
        promoters_api = std::make_unique<admin::PromotersApi>(
            admin_auth, *audit, join->promoters(), join->districts(),
            config.members.public_base_url, &Impl::unix_now);
        account_store = std::make_unique<admin::AccountStore>(redis, config.key_prefix);
        account_watcher = std::make_unique<admin::AccountWatcher>(
            io.get_executor(), *account_store, admin_auth, admin::AccountWatcher::Options{});
        accounts_api = std::make_unique<admin::AccountsApi>(admin_auth, *audit, *account_store,
                                                            *account_watcher, join->districts(),
                                                            &Impl::unix_now);
        if (sms) {
            review_api->set_templates(&sms->catalog());
        } else {
            try {
                preview_templates = notify::TemplateCatalog::load_file(config.sms.templates_file);
                review_api->set_templates(&*preview_templates);
            } catch (const std::exception&) {
                // SMS is off: the preview checks the reason and shows no text.
            }
        }
        if (!config.review.sweep_enabled) return;
        auto report = [this](std::string_view event, std::string_view subject, std::int64_t count) {
            if (event == "review_sweep_done") {
                metrics.counter("kayou_review_sweeps_total", "").add();
                return;
            }
            if (event == "review_sweep_failed") {
                metrics.counter("kayou_review_sweep_failures_total", "").add();
                ops::log(ops::LogLevel::warn, event, {{"detail", subject}});
                return;
            }
            metrics
                .counter("kayou_review_" + std::string(event.substr(7)) + "_total",
                         "district=\"" + ops::label_value(subject) + "\"")
                .add(static_cast<std::uint64_t>(count));
            ops::log(ops::LogLevel::info, event, {{"district", subject}, {"applications", count}});
        };
        review_sweeper = std::make_unique<members::ReviewSweeper>(
            io.get_executor(), *review, *join_outbox, join->calendar(), join->districts(),
            config.review, &Impl::unix_now, std::move(report));
    }

    void start_join() {
        std::optional<crypto::SealedBox>& box = data_box;
        if (!config.privacy.data_key.empty()) {
            box = crypto::SealedBox::from_base64_key(config.privacy.data_key);
            if (!box) throw ConfigError("privacy.data_key: not base64 of 32 bytes");
        } else {
            // Without a configured key, drafts and applications stored now cannot be read after
            // a restart: fine for a quick try, never for real drivers.
            box = crypto::SealedBox::from_key(crypto::random_bytes(crypto::SealedBox::kKeySize));
            if (!checking)
                ops::log(ops::LogLevel::error, "privacy_data_key_missing",
                         {{"detail", "using a random key for this run; set privacy.data_key"}});
        }
        // Verification codes go into the durable SMS outbox (notify/redis_outbox.hpp); the
        // sender configured under sms: delivers them.
        notify::OutboxOptions outbox_options;
        outbox_options.prefix = config.key_prefix;
        outbox_options.verification_retention = config.sms.verification_retention;
        join_outbox = std::make_unique<notify::RedisSmsOutbox>(redis, *box, outbox_options);
        dialogs::JoinSetup setup;
        setup.flow_file = config.members.flow_file;
        setup.districts_file = config.members.districts_file;
        setup.calendar_dir = config.members.calendar_dir;
        setup.office_hours = config.members.office_hours;
        setup.timing.session_ttl = config.members.session_ttl;
        setup.timing.draft_ttl = config.members.draft_ttl;
        setup.timing.lock_wait = config.members.lock_wait;
        setup.public_base_url = config.members.public_base_url;
        setup.link_ttl = config.members.join_link_ttl;
        setup.key_prefix = config.key_prefix;
        setup.codes.limits = config.members.code_caps;
        setup.codes.links = config.members.join_link_caps;
        setup.codes.proof_ttl = config.members.proof_ttl;
        setup.code_event = [this](std::string_view event, std::string_view detail) {
            code_event(event, detail);
        };
        // Per-slot drop-off of the join funnel; labels come from the script's step ids.
        setup.count = [this](std::string_view event) {
            metrics.counter("kayou_join_funnel_total", "event=\"" + ops::label_value(event) + "\"")
                .add();
        };
        setup.chat = chat_services();
        join = std::make_unique<dialogs::JoinService>(
            redis, *box, *join_outbox, std::move(setup),
            [](std::string_view event, std::string_view detail) {
                ops::log(ops::LogLevel::warn, event, {{"detail", detail}});
            });
    }

    // The faq/ services as the router calls them. They are built in start_content(), after the
    // router: the callbacks look them up when a message arrives, never before start() is done.
    dialogs::ChatServices chat_services() {
        dialogs::ChatServices chat;
        chat.ask = [this](dialogs::LegalAsk ask) -> asio::awaitable<dialogs::LegalAnswer> {
            faq::LegalQuestion question = legal_question(std::move(ask));
            auto reply = co_await legal->ask(std::move(question));
            co_return legal_answer(std::move(reply));
        };
        chat.answer_choice = [this](const std::vector<std::string>& ids, int number,
                                    bool in_group) -> std::optional<std::string> {
            auto index = live_content->faq();
            if (!index) return std::nullopt;
            return faq::answer_choice(*index, ids, number, faq::kOneReplyBytes, in_group);
        };
        chat.take_pending = [this](std::string channel, std::string sender) {
            return tickets->take_pending(std::move(channel), std::move(sender));
        };
        chat.pending_count_query = [this](const std::string& channel, const std::string& sender) {
            return tickets->pending_count_query(channel, sender);
        };
        chat.stations_near = [this](double lat, double lng) {
            return driver_services->stations_near(lat, lng);
        };
        chat.stations_near_place = [this](std::string text) {
            return driver_services->stations_near_place(std::move(text));
        };
        chat.about_listed_stations = [this](const std::vector<std::string>& listed,
                                            int picked_before, const std::string& text) {
            return driver_services->about_listed_stations(listed, picked_before, text);
        };
        chat.ask_for_location_text = faq::DriverServices::ask_for_location_text();
        chat.benefits = [this](std::string district, std::string status, std::string today,
                               std::string kind) {
            return driver_services->benefits(district, member_status(status), kind, today);
        };
        chat.listed_benefits = [this](std::string district, std::string status, std::string today,
                                      std::string kind) {
            return driver_services->listed_benefits(district, member_status(status), kind, today);
        };
        chat.picked_benefit = [this](const std::vector<std::string>& listed,
                                     const std::string& status, const std::string& text) {
            return driver_services->picked_benefit(listed, member_status(status), text);
        };
        chat.legal_index = [this] { return live_content->faq(); };
        chat.intents = [this] { return live_content->intents(); };
        chat.record_outcome = [this](std::string outcome,
                                     std::string question) -> asio::awaitable<void> {
            metrics.counter("kayou_answers_total", "outcome=\"" + ops::label_value(outcome) + "\"")
                .add();
            // Only what kayou did not answer directly goes to the editors' inbox.
            if (outcome == "answered" || question.empty()) co_return;
            try {
                co_await missed->record(std::move(question), std::move(outcome));
            } catch (const std::exception& error) {
                ops::log(ops::LogLevel::warn, "missed_record_failed", {{"detail", error.what()}});
            }
        };
        chat.open_handoff =
            [this](dialogs::Handoff handoff) -> asio::awaitable<dialogs::HandoffOpened> {
            faq::NewTicket ticket;
            const bool legal = handoff.desk == "legal";
            ticket.category = legal ? "legal" : "staff";
            ticket.subcategory = legal ? std::string() : handoff.district;
            ticket.question = std::move(handoff.question);
            for (const auto& turn : handoff.recent) ticket.recent.push_back(turn);
            ticket.channel = std::move(handoff.channel);
            ticket.chat_id = std::move(handoff.chat_id);
            ticket.sender_id = std::move(handoff.sender_id);
            ticket.phone = std::move(handoff.phone);
            dialogs::HandoffOpened opened;
            opened.ticket = co_await tickets->open(std::move(ticket));
            opened.text = faq::handoff_opened_text(opened.ticket, legal, handoff.in_group,
                                                   office_hours_text());
            co_return opened;
        };
        add_ticket_services(chat);
        return chat;
    }

    // When the desk answers, as the tickets' texts say it ("08:30-17:30").
    std::string office_hours_text() const {
        return members::format_office_hours(join->calendar().office_hours());
    }

    // The ticket desk as the router calls it, once a ticket is open: its state, the driver's
    // notes, his withdrawal, and grievances.
    void add_ticket_services(dialogs::ChatServices& chat) {
        chat.ticket_waiting =
            [this](std::string number) -> asio::awaitable<std::optional<std::string>> {
            const auto ticket = co_await tickets->get(std::move(number));
            if (!ticket || ticket->state != "open") co_return std::nullopt;
            co_return faq::ticket_waiting_text(*ticket, office_hours_text());
        };
        chat.latest_ticket = [this](std::string channel, std::string sender) {
            return tickets->latest_for(std::move(channel), std::move(sender));
        };
        chat.add_to_ticket = [this](std::string number, std::string text,
                                    bool may_reopen) -> asio::awaitable<dialogs::TicketNoteResult> {
            const auto result =
                co_await tickets->add_note(std::move(number), std::move(text), may_reopen);
            if (result == faq::NoteResult::answered) co_return dialogs::TicketNoteResult::left;
            if (result == faq::NoteResult::added) co_return dialogs::TicketNoteResult::added;
            if (result == faq::NoteResult::reopened) co_return dialogs::TicketNoteResult::reopened;
            co_return dialogs::TicketNoteResult::gone;
        };
        chat.withdraw_ticket = [this](std::string number,
                                      std::string text) -> asio::awaitable<bool> {
            co_await tickets->add_note(number, "（司机撤回工单）" + text, false);
            co_return co_await tickets->close(std::move(number), std::string(faq::kClosedByDriver));
        };
        chat.ticket_status = [this](std::string text, std::string channel, std::string sender,
                                    bool in_group) {
            return tickets->status_for(std::move(text), std::move(channel), std::move(sender),
                                       in_group);
        };
        chat.open_grievance =
            [this](dialogs::GrievanceTicket grievance) -> asio::awaitable<std::string> {
            faq::NewTicket ticket;
            ticket.category = "grievance";
            ticket.subcategory = std::move(grievance.category);
            ticket.question = std::move(grievance.question);
            ticket.channel = std::move(grievance.channel);
            ticket.chat_id = std::move(grievance.chat_id);
            ticket.sender_id = std::move(grievance.sender_id);
            auto number = co_await tickets->open(std::move(ticket));
            co_return faq::ticket_opened_text(number, true);
        };
    }

    void install_join_routes() {
        join_pages = std::make_unique<JoinPages>(
            join->desk(), join->districts(), join->promoters(), join->binding(), join->script(),
            config.members.trust_forwarded_for,
            [](std::string_view event, std::string_view detail) {
                ops::log(ops::LogLevel::warn, event, {{"detail", detail}});
            });
        server.route("/join",
                     [this](net::HttpRequest& request) { return join_pages->page(request); });
        // A promoter's or event's poster link (members/promoters.hpp): a fresh join link each.
        server.route("/join/p",
                     [this](net::HttpRequest& request) { return join_pages->promo(request); });
        server.route("/join/page.js",
                     [this](net::HttpRequest& request) { return join_pages->script(request); });
        // Browsers ask for it on every page; an empty answer keeps their consoles clean.
        server.route("/favicon.ico", [](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
            co_return net::HttpResponse{204, "image/x-icon", std::string(), {}};
        });
        server.route("/join/code",
                     [this](net::HttpRequest& request) { return join_pages->code(request); });
        server.route("/join/submit",
                     [this](net::HttpRequest& request) { return join_pages->submit(request); });
    }

    // A FollowUpSender for `endpoint`'s message API, or none while it is not configured (its
    // secret empty).
    FollowUpSender start_follow_up_api(const WechatEndpointConfig& endpoint, MessageApi api) {
        if (!endpoint.enabled || endpoint.app_secret.empty()) return {};
        CustomerServiceConfig settings;
        settings.api = api;
        settings.api_base = endpoint.api_base;
        settings.app_id = endpoint.receive_id;
        settings.app_secret = endpoint.app_secret;
        settings.agent_id = endpoint.agent_id;
        if (!wechat_http) wechat_http = std::make_unique<net::HttpClient>(io.get_executor());
        auto& service = message_apis.emplace_back(
            std::make_unique<CustomerService>(std::move(settings), *wechat_http));
        return follow_up_sender(io.get_executor(), *service, metrics);
    }

    // The Webhooks' follow-up senders: the Official Account's customer-service messages and
    // the WeCom app's messages.
    FollowUpSenders start_follow_ups() {
        FollowUpSenders senders;
        senders.official_account =
            start_follow_up_api(config.official_account, MessageApi::official_account);
        senders.wecom_app = start_follow_up_api(config.wecom_app, MessageApi::wecom_app);
        return senders;
    }

    void start() {
        ops::set_log_level(config.log_level);
        describe_metrics();
        start_redis();
        start_join();
        turns = std::make_unique<TurnRunner>(redis, join->dialog(), config.key_prefix,
                                             config.dedupe_ttl, metrics, &*data_box);
        webhooks = std::make_unique<Webhooks>(config, *turns, metrics, &Impl::unix_now,
                                              start_follow_ups());
        if (config.sms.enabled())
            sms = std::make_unique<SmsService>(config, io.get_executor(), redis);
        start_content();
        start_review();
        metrics.describe("kayou_calendar_missing_years", "gauge",
                         "Years (this one, and next one in December) without calendar data");
        metrics.gauge("kayou_calendar_missing_years",
                      [this] { return static_cast<double>(missing_calendar_years().size()); });
        if (sms) sms->describe_metrics(metrics);
        check_calendar_years();
        watch_reload_signal();
        install_routes();
        server.start();
        if (ops_server) ops_server->start();
        if (sms) sms->start(server.port());
        start_redis_readers();
        watch_redis_memory();
        signals.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            ops::log(ops::LogLevel::info, "shutdown_requested", {{"signal", signal}});
            stop();
        });
        ops::log(ops::LogLevel::info, "started",
                 {{"listen", config.server.address},
                  {"port", static_cast<int>(server.port())},
                  {"metrics_port", ops_server ? static_cast<int>(ops_server->port()) : -1}});
    }

    // The same steps as start() up to the first connection or listening socket, so a config
    // that passes here fails at start only for what cannot be known before (a port taken, Redis
    // down). Content seeds are stricter here than at start, where a broken one is logged and
    // skipped: a first start would then serve no answers of that kind.
    std::vector<std::string> check() {
        checking = true;
        std::vector<std::string> problems;
        boost::system::error_code bad_address;
        asio::ip::make_address(config.server.address, bad_address);
        if (bad_address)
            throw ConfigError("server.listen: '" + config.server.address +
                              "' is not an IP address");
        if (config.embedded_redis_wanted()) check_embedded_redis();
        // Never started: the services hold the client, nothing connects.
        redis = redis::Client::create(io.get_executor(), redis::Config{});
        start_join();
        turns = std::make_unique<TurnRunner>(redis, join->dialog(), config.key_prefix,
                                             config.dedupe_ttl, metrics, &*data_box);
        webhooks = std::make_unique<Webhooks>(config, *turns, metrics, &Impl::unix_now);
        if (config.sms.enabled())
            sms = std::make_unique<SmsService>(config, io.get_executor(), redis);
        start_content();
        start_review();
        for (const int year : missing_calendar_years())
            problems.push_back("members.calendar_dir: no calendar for " + std::to_string(year) +
                               " (add " + std::to_string(year) +
                               ".yaml from the State Council notice; until then deadlines "
                               "count plain weekdays)");
        if (config.privacy.data_key.empty())
            problems.push_back(
                "privacy.data_key: not set; drafts and applications stored by one run cannot "
                "be read by the next (generate one with `openssl rand -base64 32`)");
        check_content_seeds(problems);
        return problems;
    }

    void check_embedded_redis() const {
        namespace fs = std::filesystem;
        const std::string& binary = config.embedded_redis.binary;
        bool found = false;
        if (binary.find('/') != std::string::npos) {
            found = ::access(binary.c_str(), X_OK) == 0;
        } else if (const char* path = std::getenv("PATH")) {
            std::stringstream dirs(path);
            std::string dir;
            while (!found && std::getline(dirs, dir, ':'))
                found = !dir.empty() && ::access((fs::path(dir) / binary).c_str(), X_OK) == 0;
        }
        if (!found)
            throw ConfigError("embedded_redis.binary: '" + binary +
                              "' not found or not executable (install redis-server, or set "
                              "redis.host)");
        // start() creates data_dir: the deepest part that exists must be a writable directory.
        std::error_code ignored;
        auto dir = fs::absolute(config.embedded_redis.data_dir, ignored);
        while (!dir.empty() && !fs::exists(dir, ignored) && dir != dir.parent_path())
            dir = dir.parent_path();
        if (!fs::is_directory(dir, ignored) || ::access(dir.c_str(), W_OK | X_OK) != 0)
            throw ConfigError("embedded_redis.data_dir: '" + config.embedded_redis.data_dir +
                              "' cannot be created or written (" + dir.string() + ")");
    }

    void check_content_seeds(std::vector<std::string>& problems) const {
        namespace fs = std::filesystem;
        const std::string& dir = config.content.seed_dir;
        if (dir.empty()) return;
        std::error_code ignored;
        if (!fs::is_directory(dir, ignored))
            throw ConfigError("content.seed_dir: '" + dir +
                              "' is not a directory (relative paths are relative to the working "
                              "directory)");
        for (const auto kind : faq::kContentKinds) {
            const std::string path = dir + "/" + std::string(faq::content_seed_file(kind));
            std::ifstream file(path);
            if (!file) {
                problems.push_back("content.seed_dir: " + path +
                                   " is missing: an empty store gets no " +
                                   std::string(faq::content_kind_name(kind)) + " content");
                continue;
            }
            std::stringstream text;
            text << file.rdbuf();
            const auto invalid = faq::validate_content(kind, text.str());
            if (!invalid.empty())
                throw ConfigError("content.seed_dir: " + path + ":" +
                                  std::to_string(invalid.front().line) + ": " +
                                  invalid.front().message);
        }
    }

    void stop() {
        if (stopping) return;
        stopping = true;
        boost::system::error_code ignored;
        signals.cancel(ignored);
        reload_signals.cancel(ignored);
        memory_timer.cancel();
        supervise_timer.cancel();
        if (live_content) live_content->stop();
        if (sms) sms->stop();
        if (review_sweeper) review_sweeper->stop();
        if (account_watcher) account_watcher->stop();
        server.stop([this] {
            auto finish = [this] {
                if (redis) redis->stop();
                if (sentinel) sentinel->stop();
                ops::log(ops::LogLevel::info, "stopped");
            };
            if (ops_server)
                ops_server->stop(finish);
            else
                finish();
        });
    }
};

App::App(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

App::~App() = default;

void App::start() { impl_->start(); }

std::vector<std::string> App::check(Config config) {
    Impl checked(std::move(config));
    return checked.check();
}

void App::stop() {
    asio::post(impl_->io, [impl = impl_.get()] { impl->stop(); });
}

int App::run() {
    start();
    impl_->io.run();
    if (impl_->embedded_redis) impl_->embedded_redis->stop();
    return 0;
}

asio::io_context& App::io() { return impl_->io; }

std::uint16_t App::http_port() const { return impl_->server.port(); }

}  // namespace kayou::bot
