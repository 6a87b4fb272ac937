// Asynchronous Redis client: one pipelined connection driven by hiredis' async API on Asio.
//
// Threading: the Client belongs to one executor, the process' single io_context thread. Create it
// with that executor and call every member (start, stop, exec, ...) from that thread, normally from
// a coroutine spawned on it. Nothing is synchronised; there is no strand.
//
// Lifetime: keep the shared_ptr alive while you await its operations, destroy it (or call stop())
// before the io_context, and stop() before the io_context stops running if commands may still be
// in flight: a command's coroutine is only resumed when the client completes it.
//
// Failure model: exec()/pipeline()/eval() never hang. Every command has a deadline
// (Config::command_timeout); a dropped connection fails everything in flight with
// Error::Kind::disconnected; without a usable connection commands fail at once with
// Error::Kind::not_connected and are not sent. Meanwhile the client reconnects by itself with
// exponential backoff and jitter until stop(). A timed-out command may still have run on the
// server: make multi-step changes idempotent or atomic (Lua / MULTI-EXEC in one pipeline()).
//
// Stalled connections: when a command times out and not a single reply arrived on the connection
// during that whole command_timeout, the connection is treated as dead (a black-holed peer or a
// Redis stuck in a long command) and is dropped and re-established; the other commands in flight
// then fail with `disconnected` instead of each waiting for its own timeout. A timeout while other
// replies keep arriving leaves the connection alone.
//
// g++ 12 coroutine pitfalls met while testing this API (compiler bugs, not client bugs), and how
// code here avoids them: docs/coroutines.md.
//
// Redis Cluster (Config::cluster_nodes): one such connection per primary, each with the failure
// model above. A command goes to the primary serving the slot of its key (the first key of a
// script, the first keyed command of a MULTI; redis/cluster_slots.hpp), a command without a key to
// any connected primary; a pipeline that is not a MULTI is split by node, each part sent in turn,
// and its replies put back in order. Until the slot table is loaded (CLUSTER SLOTS, retried with
// backoff) commands fail at once with not_connected. A -MOVED reply is followed once (the command
// then took up to two command_timeouts) and makes the client read the table again; an -ASK reply
// is followed with ASKING. A script or MULTI whose keys span slots gets Redis' CROSSSLOT (or
// MOVED) error reply like any other error reply. connected() means: table loaded, every primary
// connected. wait_for_replicas() waits on the primary of the last keyed command.
//
// Not supported on this connection: SUBSCRIBE/PSUBSCRIBE/MONITOR (they change the protocol
// state of the connection) and blocking commands longer than command_timeout (BLPOP ...).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "redis/reply.hpp"
#include "redis/script.hpp"
#include "redis/sentinel.hpp"

namespace kayou::redis {

class Client;

// Where the primary is, when something other than Config::host/port decides it (Redis Sentinel:
// redis/sentinel_locator.hpp). A client with a locator asks it before every connect attempt,
// checks with ROLE that the server it reached is the primary, and drops its connection on a
// READONLY/MASTERDOWN error reply; the locator calls Client::reconnect() when the primary moves.
class PrimaryLocator {
public:
    virtual ~PrimaryLocator() = default;
    // Calls `located` later, on the client's executor, with the primary's address (nullopt: no
    // sentinel could say).
    using Located = std::function<void(std::optional<Endpoint>)>;
    virtual void locate(Located located) = 0;
    // `client` connects through this locator: reconnect it when the primary changes.
    virtual void follow(const std::shared_ptr<Client>& client) = 0;
    // A connection to `endpoint` found a server that is not the primary (ROLE, READONLY): ask
    // the sentinels again.
    virtual void not_primary(const Endpoint& endpoint) = 0;
};

struct Config {
    // Hostname or IP literal. Names are resolved with Asio's resolver (never hiredis' blocking
    // getaddrinfo on the I/O thread) on every (re)connect; hiredis is handed the IP.
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    // Non-empty: connect to this Unix domain socket instead of host:port (the embedded
    // redis-server listens only there, so no other process can take its port).
    std::string unix_socket;
    std::string password;  // AUTH <password> on every connect when non-empty
    int database = 0;      // SELECT <database> on every connect when non-zero
    // PING on every connect, and treat an error answer (-LOADING while a restarted Redis reads
    // its AOF) as a failed connect: commands then fail fast with not_connected instead of each
    // getting the LOADING error reply.
    bool ping_on_connect = false;
    // Resolve + TCP connect + AUTH/SELECT must finish within this, or the attempt is abandoned.
    std::chrono::milliseconds connect_timeout{1000};
    // Per-command deadline (hiredis 0.14 has no timers: the client owns them).
    std::chrono::milliseconds command_timeout{1000};
    // Reconnect delay: starts at reconnect_min, doubles per failed attempt up to reconnect_max,
    // each delay drawn uniformly from [d/2, d] so that several processes do not reconnect in step.
    std::chrono::milliseconds reconnect_min{50};
    std::chrono::milliseconds reconnect_max{2000};
    // Sentinel: where to connect (host/port above are then ignored). Copies of this config (a
    // second connection) follow the same locator.
    std::shared_ptr<PrimaryLocator> locator;
    // Durability (docs/DESIGN.md "Redis Sentinel"): wait_for_replicas() sends WAIT
    // <wait_replicas> <wait_timeout> after a write that must survive a failover; 0 = off.
    int wait_replicas = 0;
    std::chrono::milliseconds wait_timeout{100};
    // Non-empty: Redis Cluster (docs/DESIGN.md "Keys and hash tags"). These nodes are seeds: the
    // slot table comes from CLUSTER SLOTS and commands go to the primary that serves their key,
    // each primary over a connection of its own (host/port, unix_socket and locator are then
    // ignored; AUTH, timeouts and backoff apply to every node).
    std::vector<Endpoint> cluster_nodes;
};

struct Stats {
    std::uint64_t commands = 0;    // commands issued (each command of a pipeline counts)
    std::uint64_t errors = 0;      // commands that failed with Error (any kind, timeouts included)
    std::uint64_t timeouts = 0;    // commands that failed with Error::Kind::timeout
    std::uint64_t reconnects = 0;  // connections established after the first one
    std::uint64_t error_replies = 0;  // Redis error replies (not counted in `errors`)
    std::uint64_t connects = 0;       // connections established, the first one included

    // wait_for_replicas() answered by Redis, and those with fewer than Config::wait_replicas.
    std::uint64_t replica_waits = 0;
    std::uint64_t replica_waits_short = 0;
};

class Client : public std::enable_shared_from_this<Client> {
public:
    static std::shared_ptr<Client> create(boost::asio::any_io_executor executor, Config config);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Connects in the background and keeps reconnecting until stop(). Returns at once.
    void start();
    // Fails every pending command with Error(disconnected), wakes wait_connected() callers, frees
    // the hiredis context and cancels all timers. start() may be called again afterwards.
    void stop();
    // True when commands can be sent (connected, and AUTH/SELECT done).
    bool connected() const;
    // Config::cluster_nodes was set: commands are routed over one connection per primary.
    bool cluster() const;
    // Cluster: the client of each primary of the slot table (what is sent through one runs on
    // that node only, e.g. KEYS or SCAN over every node); otherwise this client alone.
    std::vector<std::shared_ptr<Client>> primaries();
    Stats stats() const;
    const Config& config() const;
    // Why the last connect attempt or connection failed ("" while connected), for logs.
    const std::string& last_error() const;

    // Called once for every event counted in Stats::errors, with the kind, the reason (a fixed
    // phrase or the connection's last error: never command arguments) and the number of commands
    // it failed, so that every counted error can be logged once. Runs on the client's thread,
    // possibly inside a hiredis callback: it must not call back into the client.
    using ErrorObserver =
        std::function<void(Error::Kind kind, std::string_view reason, std::uint64_t commands)>;
    void set_error_observer(ErrorObserver observer);

    // One command; arguments are binary-safe (NULs and any bytes are fine). Returns the reply,
    // Redis error replies included; throws Error on timeout / disconnect / not connected.
    [[nodiscard]] boost::asio::awaitable<Reply> exec(std::vector<std::string> args);

    // exec("SET", key, value): the same, each argument copied into a std::string. Prefer this form
    // in coroutines: no braced list inside the co_await (docs/coroutines.md).
    template <class... Args>
    requires(sizeof...(Args) >= 1 && (std::is_convertible_v<const Args&, std::string_view> && ...))
        [[nodiscard]] boost::asio::awaitable<Reply> exec(const Args&... args) {
        return exec(std::vector<std::string>{std::string(std::string_view(args))...});
    }

    // Several commands written back-to-back on the connection (one round trip); replies in order.
    // The deadline applies to the whole batch. For an atomic multi-step change send
    // {{"MULTI"}, ..., {"EXEC"}}: the last reply is then the array of results (or nil if a WATCHed
    // key changed). Throws Error like exec(); an empty batch returns an empty vector.
    [[nodiscard]] boost::asio::awaitable<std::vector<Reply>> pipeline(
        std::vector<std::vector<std::string>> commands);

    // EVALSHA first; on a NOSCRIPT error reply, EVAL (which also loads the script for next time).
    [[nodiscard]] boost::asio::awaitable<Reply> eval(const Script& script,
                                                     std::vector<std::string> keys,
                                                     std::vector<std::string> args);

    // With Config::wait_replicas > 0: WAIT until that many replicas have every write made on
    // this connection so far, or Config::wait_timeout has passed; throws Error(timeout) when
    // fewer acknowledged (the write is on the primary but may not survive a failover: callers
    // answer 503 and the retry, which is idempotent, waits again). Without: returns at once.
    bool waits_for_replicas() const;
    [[nodiscard]] boost::asio::awaitable<void> wait_for_replicas();

    // The primary moved (Sentinel): drop the connection unless it is just being located, failing
    // what is in flight with `disconnected`, and connect again now, without a backoff.
    void reconnect();

    // Waits until connected or `deadline` has passed; returns connected(). Returns false at once
    // if the client is not started.
    [[nodiscard]] boost::asio::awaitable<bool> wait_connected(std::chrono::milliseconds deadline);

    struct Impl;

private:
    Client(boost::asio::any_io_executor executor, Config config);

    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::redis
