#include "redis/client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <deque>
#include <exception>
#include <new>
#include <optional>
#include <random>
#include <type_traits>
#include <utility>

#include "redis/asio_adapter.hpp"
#include "redis/cluster_router.hpp"

namespace kayou::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

// "<kind><n>\r\n", a RESP array or bulk-string header.
void append_resp_header(std::string& out, char kind, std::size_t n) {
    char buffer[24];
    buffer[0] = kind;
    char* end = std::to_chars(buffer + 1, buffer + sizeof buffer - 2, n).ptr;
    *end++ = '\r';
    *end++ = '\n';
    out.append(buffer, static_cast<std::size_t>(end - buffer));
}

// A command in the RESP wire format: *<argc>, then $<len> <bytes> per argument. Done here rather
// than by redisAsyncCommandArgv, whose sdscatfmt-based formatting took about 3,600 instructions
// per command (callgrind, docs/BENCHMARKS.md "Webhook throughput").
void format_resp(std::string& out, const std::vector<std::string>& command) {
    std::size_t size = 16;
    for (const auto& arg : command) size += arg.size() + 16;
    out.clear();
    out.reserve(size);
    append_resp_header(out, '*', command.size());
    for (const auto& arg : command) {
        append_resp_header(out, '$', arg.size());
        out.append(arg);
        out.append("\r\n", 2);
    }
}

// Where the replies of one exec()/pipeline() go and whom to resume. It lives in the awaiting
// coroutine's frame, so an in-flight command costs no allocation of its own: the frame stays alive
// while the coroutine is suspended, i.e. until complete() hands the handler to the executor.
class Slot {
public:
    Slot(Reply* out, std::size_t expected) : out(out), expected(expected), commands(expected) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

    Reply* out;
    std::size_t expected;  // replies still wanted in total (fewer than commands if one was refused)
    std::size_t received = 0;
    std::size_t commands;  // commands issued, for the stats
    bool refused = false;  // hiredis refused a command of the batch: fail once the rest answered

    template <class Handler>
    void store(Handler&& handler) {
        using H = std::decay_t<Handler>;
        static_assert(sizeof(H) <= sizeof(storage_) && alignof(H) <= alignof(std::max_align_t),
                      "completion handler does not fit the in-frame slot");
        ::new (static_cast<void*>(storage_)) H(std::forward<Handler>(handler));
        complete_ = [](Slot& slot, const asio::any_io_executor& executor, std::exception_ptr e) {
            H* stored = std::launder(reinterpret_cast<H*>(slot.storage_));
            H handler(std::move(*stored));
            stored->~H();
            // Never resume the coroutine inline: we may be deep inside a hiredis callback.
            asio::post(executor, asio::append(std::move(handler), std::move(e)));
        };
    }

    bool pending() const { return complete_ != nullptr; }

    // Resumes the awaiting coroutine (later, through the executor) with `e` (null on success).
    // The slot's frame may be gone afterwards: do not touch the slot again.
    void complete(const asio::any_io_executor& executor, std::exception_ptr e) {
        auto fn = std::exchange(complete_, nullptr);
        if (fn != nullptr) {
            fn(*this, executor, std::move(e));
        }
    }

private:
    alignas(std::max_align_t) unsigned char storage_[64];
    void (*complete_)(Slot&, const asio::any_io_executor&, std::exception_ptr) = nullptr;
};

void convert(const redisReply& in, Reply& out) {
    switch (in.type) {
        case REDIS_REPLY_STRING:
            out.type = Reply::Type::string;
            out.str.assign(in.str, in.len);
            break;
        case REDIS_REPLY_STATUS:
            out.type = Reply::Type::status;
            out.str.assign(in.str, in.len);
            break;
        case REDIS_REPLY_ERROR:
            out.type = Reply::Type::error;
            out.str.assign(in.str, in.len);
            break;
        case REDIS_REPLY_INTEGER:
            out.type = Reply::Type::integer;
            out.integer = in.integer;
            break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::array;
            out.elements.resize(in.elements);
            for (std::size_t i = 0; i < in.elements; ++i) {
                convert(*in.element[i], out.elements[i]);
            }
            break;
        case REDIS_REPLY_NIL:
        default:
            out.type = Reply::Type::nil;
            break;
    }
}

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Client::Impl> {
    enum class State { idle, resolving, connecting, handshaking, ready, backoff };

    // One exec()/pipeline() (or the AUTH/SELECT handshake) in flight. Replies come back in the
    // order commands were written and every command gets the same timeout, so this FIFO is also
    // ordered by deadline: one timer watching the front covers them all.
    struct Entry {
        std::uint64_t id;  // hiredis privdata of each command of the batch
        Clock::time_point deadline;
        Slot* slot;
        bool internal;  // the handshake, not a caller
    };

    Impl(asio::any_io_executor executor, Config config)
        : executor_(std::move(executor)),
          config_(std::move(config)),
          resolver_(executor_),
          connect_timer_(executor_),
          reconnect_timer_(executor_),
          deadline_timer_(executor_),
          rng_(std::random_device{}()) {}

    ~Impl() { stop(); }

    // ---- connection life cycle -----------------------------------------------------------------

    void start() {
        if (started_) {
            return;
        }
        started_ = true;
        backoff_step_ = 0;
        connect();
    }

    void stop() {
        started_ = false;
        addresses_.clear();
        ++attempt_;  // outdates every pending resolve / timer / posted close
        resolver_.cancel();
        connect_timer_.cancel();
        reconnect_timer_.cancel();
        close_connection(Error::Kind::disconnected, "redis: client stopped");
        fail_all(Error::Kind::disconnected, "redis: client stopped");
        deadline_timer_.cancel();
        deadline_armed_ = false;
        state_ = State::idle;
        wake_waiters();
    }

    void connect() {
        state_ = State::resolving;
        const std::uint64_t attempt = ++attempt_;
        connect_timer_.expires_after(config_.connect_timeout);
        connect_timer_.async_wait([weak = weak_from_this(), attempt](const error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->attempt_ != attempt) {
                return;
            }
            self->on_connect_timeout();
        });

        addresses_.clear();
        if (!config_.unix_socket.empty()) {
            state_ = State::connecting;
            attach(redisAsyncConnectUnix(config_.unix_socket.c_str()));
            return;
        }
        if (config_.locator) {
            // Sentinel: the primary's address is asked for on every attempt (it may have moved).
            config_.locator->locate(
                [weak = weak_from_this(), attempt](std::optional<Endpoint> primary) {
                    auto self = weak.lock();
                    if (!self || self->attempt_ != attempt || self->state_ != State::resolving) {
                        return;
                    }
                    if (!primary) {
                        self->last_error_ = "no sentinel could name the primary";
                        self->connection_lost(Error::Kind::not_connected, "");
                        return;
                    }
                    self->config_.host = primary->host;
                    self->config_.port = primary->port;
                    self->connect_to_host(attempt);
                });
            return;
        }
        connect_to_host(attempt);
    }

    void connect_to_host(std::uint64_t attempt) {
        error_code ec;
        const auto address = asio::ip::make_address(config_.host, ec);
        if (!ec) {
            open(address);
            return;
        }
        resolver_.async_resolve(
            config_.host, std::to_string(config_.port),
            [weak = weak_from_this(), attempt](const error_code& ec,
                                               asio::ip::tcp::resolver::results_type results) {
                auto self = weak.lock();
                if (!self || self->attempt_ != attempt || self->state_ != State::resolving) {
                    return;
                }
                if (ec || results.empty()) {
                    self->last_error_ = "resolve " + self->config_.host + ": " +
                                        (ec ? ec.message() : std::string("no address"));
                    self->connection_lost(Error::Kind::not_connected, "");
                    return;
                }
                // Try every address of the name in turn (e.g. ::1 then 127.0.0.1 for
                // "localhost") before backing off.
                self->addresses_.clear();
                for (const auto& entry : results) {
                    self->addresses_.push_back(entry.endpoint().address());
                }
                self->open_next_address();
            });
    }

    void open_next_address() {
        const asio::ip::address address = addresses_.front();
        addresses_.erase(addresses_.begin());
        open(address);
    }

    void open(const asio::ip::address& address) {
        state_ = State::connecting;
        // Non-blocking connect; with an IP literal hiredis' getaddrinfo does no lookup.
        attach(redisAsyncConnect(address.to_string().c_str(), config_.port));
    }

    void attach(redisAsyncContext* ac) {
        if (ac == nullptr) {
            last_error_ = "redisAsyncConnect: out of memory";
            connection_lost(Error::Kind::not_connected, "");
            return;
        }
        if (ac->err != 0) {
            last_error_ = ac->errstr != nullptr ? ac->errstr : "connect failed";
            redisAsyncFree(ac);  // no hooks installed yet: frees at once
            connection_lost(Error::Kind::not_connected, "");
            return;
        }
        adapter_ = detail::AsioAdapter::attach(executor_, ac);
        if (!adapter_) {
            last_error_ = "cannot register the redis socket with the reactor";
            redisAsyncFree(ac);
            connection_lost(Error::Kind::not_connected, "");
            return;
        }
        ac->data = this;
        ac_ = ac;
        redisAsyncSetDisconnectCallback(ac, &Impl::on_disconnect_cb);
        // Also arms the write wait whose completion finishes the non-blocking connect().
        redisAsyncSetConnectCallback(ac, &Impl::on_connect_cb);
    }

    static void on_connect_cb(const redisAsyncContext* ac, int status) {
        auto* self = static_cast<Impl*>(ac->data);
        if (self == nullptr || ac != self->ac_) {
            return;
        }
        ++self->callback_depth_;
        self->on_connect(status);
        --self->callback_depth_;
    }

    static void on_disconnect_cb(const redisAsyncContext* ac, int /*status*/) {
        auto* self = static_cast<Impl*>(ac->data);
        if (self == nullptr || ac != self->ac_) {
            return;  // a context we freed ourselves: close_connection() handles the aftermath
        }
        ++self->callback_depth_;
        self->last_error_ = ac->errstr != nullptr && ac->err != 0 ? ac->errstr : "disconnected";
        // hiredis frees the context right after this callback returns.
        self->ac_ = nullptr;
        self->connection_lost(Error::Kind::disconnected, "redis: connection lost");
        --self->callback_depth_;
    }

    void on_connect(int status) {
        if (status != REDIS_OK) {
            // hiredis 0.14.1 frees the context right after this callback (and does not flag it
            // as "in callback", so it must not be freed here).
            last_error_ = ac_->errstr != nullptr ? ac_->errstr : "connect failed";
            ac_ = nullptr;
            connection_lost(Error::Kind::not_connected, "");
            return;
        }
        if (config_.unix_socket.empty()) {
            // TCP only: on a Unix socket hiredis' keep-alive setup fails and marks the context
            // as broken (and a local peer's death is seen at once anyway).
            const int one = 1;
            ::setsockopt(ac_->c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            redisEnableKeepAlive(&ac_->c);  // a dead peer is noticed even without traffic
        }
        last_reply_ = Clock::now();

        std::vector<std::vector<std::string>> handshake;
        if (!config_.password.empty()) {
            handshake.push_back({"AUTH", config_.password});
        }
        if (config_.database != 0) {
            handshake.push_back({"SELECT", std::to_string(config_.database)});
        }
        if (config_.ping_on_connect) {
            handshake.push_back({"PING"});
        }
        if (config_.locator) {
            handshake.push_back({"ROLE"});  // checked last, in on_handshake_done()
        }
        if (handshake.empty()) {
            on_ready();
            return;
        }
        state_ = State::handshaking;
        handshake_replies_.assign(handshake.size(), Reply{});
        handshake_slot_.emplace(handshake_replies_.data(), handshake.size());
        const std::uint64_t id = next_id_++;
        for (const auto& command : handshake) {
            if (!append(command, id)) {
                last_error_ = "handshake refused by hiredis";
                post_close(Error::Kind::protocol);
                return;
            }
        }
        push_entry(id, &*handshake_slot_, true);
    }

    void on_handshake_done(const char* failure) {
        if (state_ != State::handshaking) {
            return;
        }
        if (failure == nullptr) {
            for (const Reply& reply : handshake_replies_) {
                if (reply.is_error()) {
                    last_error_ = "handshake: " + reply.str;
                    failure = "handshake failed";
                    break;
                }
            }
        } else {
            last_error_ = failure;
        }
        if (failure == nullptr && config_.locator) {
            const Role role = parse_role(handshake_replies_.back());
            if (role != Role::master) {
                // A demoted primary the sentinels still named, or one restarted as a replica.
                last_error_ = std::string("ROLE is ") + to_string(role) + " at " +
                              current_endpoint().to_string() + ", not the primary";
                failure = "not the primary";
                config_.locator->not_primary(current_endpoint());
            }
        }
        if (failure != nullptr) {
            post_close(Error::Kind::disconnected);
            return;
        }
        on_ready();
    }

    void on_ready() {
        state_ = State::ready;
        connect_timer_.cancel();
        backoff_step_ = 0;
        ++stats_.connects;
        if (stats_.connects > 1) {
            ++stats_.reconnects;
        }
        last_error_.clear();
        wake_waiters();
    }

    Endpoint current_endpoint() const { return Endpoint{config_.host, config_.port}; }

    // A write met READONLY/MASTERDOWN: this server was demoted. The caller gets the error reply
    // (503, bot/http_errors.hpp); the connection is dropped and the primary located again.
    void on_not_primary() {
        if (state_ != State::ready) {
            return;
        }
        last_error_ = current_endpoint().to_string() + " answered as a replica: reconnecting";
        config_.locator->not_primary(current_endpoint());
        post_close(Error::Kind::disconnected);
    }

    void reconnect() {
        if (!started_ || state_ == State::resolving) {
            return;  // the answer being located is the new one
        }
        if (state_ == State::ready || state_ == State::connecting || state_ == State::handshaking) {
            addresses_.clear();
            last_error_ = "the primary moved: reconnecting";
            close_connection(Error::Kind::disconnected, "redis: the primary moved");
        }
        if (state_ == State::backoff) {
            reconnect_timer_.cancel();
            backoff_step_ = 0;
            connect();
        }
    }

    void on_connect_timeout() {
        addresses_.clear();  // the attempt is over: no next address
        switch (state_) {
            case State::resolving:
                last_error_ = "connect timeout (resolving " + config_.host + ")";
                resolver_.cancel();
                connection_lost(Error::Kind::not_connected, "");
                break;
            case State::connecting:
            case State::handshaking:
                last_error_ = "connect timeout";
                close_connection(Error::Kind::disconnected, "redis: connect timeout");
                break;
            default:
                break;
        }
    }

    // Drops the current hiredis context (if any) and everything in flight, then plans a
    // reconnect. Must not run inside a hiredis callback: use post_close() there.
    void close_connection(Error::Kind kind, const char* what) {
        if (callback_depth_ > 0) {
            post_close(kind);
            return;
        }
        if (redisAsyncContext* ac = std::exchange(ac_, nullptr)) {
            // ac_ is null first, so the callbacks that run during the free (NULL replies,
            // disconnect) see a context that is no longer ours and leave the cleanup to us.
            auto keep = adapter_;
            redisAsyncFree(ac);
        }
        if (state_ != State::idle && state_ != State::backoff) {
            connection_lost(kind, what);
        }
    }

    // Deferred because hiredis is still freeing the failed context when we learn of it.
    void post_open_next() {
        asio::post(executor_, [weak = weak_from_this(), attempt = attempt_] {
            auto self = weak.lock();
            if (self && self->attempt_ == attempt && self->state_ == State::connecting &&
                self->ac_ == nullptr && !self->addresses_.empty()) {
                self->open_next_address();
            }
        });
    }

    void post_close(Error::Kind kind) {
        asio::post(executor_, [weak = weak_from_this(), attempt = attempt_, kind] {
            auto self = weak.lock();
            if (self && self->attempt_ == attempt) {
                self->close_connection(kind, "redis: connection closed");
            }
        });
    }

    // The context is gone (or about to be freed by hiredis): fail what was in flight and, unless
    // stopped, reconnect after a backoff.
    void connection_lost(Error::Kind kind, const char* what) {
        ac_ = nullptr;
        if (started_ && state_ == State::connecting && !addresses_.empty()) {
            // Nothing was sent on a connection that never came up: the next address of the
            // name gets the rest of the connect_timeout, without a backoff.
            post_open_next();
            return;
        }
        addresses_.clear();
        connect_timer_.cancel();
        fail_all(kind, what != nullptr && *what != '\0' ? what : to_string(kind));
        if (!started_) {
            state_ = State::idle;
            return;
        }
        state_ = State::backoff;
        schedule_reconnect();
    }

    void schedule_reconnect() {
        const auto min = std::max<std::int64_t>(config_.reconnect_min.count(), 1);
        const auto max = std::max<std::int64_t>(config_.reconnect_max.count(), min);
        std::int64_t base = min;
        for (unsigned i = 0; i < backoff_step_ && base < max; ++i) {
            base *= 2;
        }
        base = std::min(base, max);
        ++backoff_step_;
        std::uniform_int_distribution<std::int64_t> jitter(base / 2, base);
        reconnect_timer_.expires_after(std::chrono::milliseconds(jitter(rng_)));
        reconnect_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || !self->started_ || self->state_ != State::backoff) {
                return;
            }
            self->connect();
        });
    }

    // ---- commands ------------------------------------------------------------------------------

    void check_ready(std::size_t commands) {
        if (state_ != State::ready) {
            stats_.commands += commands;
            count_errors(Error::Kind::not_connected, "", commands);
            throw Error(Error::Kind::not_connected);
        }
    }

    // Resumes the caller with an exception_ptr (null on success) once `slot` is complete.
    auto submit(Slot& slot, const std::vector<std::string>* commands, std::size_t count) {
        return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
            [this, &slot, commands, count](auto handler) {
                slot.store(std::move(handler));
                send(slot, commands, count);
            },
            asio::use_awaitable);
    }

    void send(Slot& slot, const std::vector<std::string>* commands, std::size_t count) {
        stats_.commands += count;
        if (state_ != State::ready) {
            fail(slot, Error::Kind::not_connected, "");
            return;
        }
        const std::uint64_t id = next_id_++;
        std::size_t sent = 0;
        while (sent < count && append(commands[sent], id)) {
            ++sent;
        }
        if (sent == 0) {
            fail(slot, Error::Kind::protocol,
                 commands[0].empty()                ? "redis: empty command"
                 : changes_protocol(commands[0][0]) ? "redis: (P)SUBSCRIBE/MONITOR not supported"
                                                    : "redis: command refused");
            return;
        }
        if (sent < count) {
            slot.expected = sent;
            slot.refused = true;
        }
        push_entry(id, &slot, false);
    }

    // Commands that switch the connection into push mode would break the one-reply-per-command
    // FIFO that everything here relies on (hiredis 0.14 also routes their replies differently).
    static bool changes_protocol(const std::string& name) {
        if (name.size() < 7 || name.size() > 10) {
            return false;
        }
        std::string upper(name);
        for (char& ch : upper) {
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
        return upper == "SUBSCRIBE" || upper == "PSUBSCRIBE" || upper == "SSUBSCRIBE" ||
               upper == "MONITOR";
    }

    bool append(const std::vector<std::string>& command, std::uint64_t id) {
        if (command.empty() || ac_ == nullptr || changes_protocol(command[0])) {
            return false;
        }
        format_resp(format_buffer_, command);
        const bool sent =
            redisAsyncFormattedCommand(ac_, &Impl::on_reply_cb,
                                       reinterpret_cast<void*>(static_cast<std::uintptr_t>(id)),
                                       format_buffer_.data(), format_buffer_.size()) == REDIS_OK;
        // The scratch buffer must not keep the memory of one large command.
        if (format_buffer_.capacity() > 64 * 1024) std::string().swap(format_buffer_);
        return sent;
    }

    void push_entry(std::uint64_t id, Slot* slot, bool internal) {
        in_flight_.push_back(Entry{id, Clock::now() + config_.command_timeout, slot, internal});
        if (!deadline_armed_) {
            arm_deadline(in_flight_.back().deadline);
        }
    }

    static void on_reply_cb(redisAsyncContext* ac, void* reply, void* privdata) {
        auto* self = static_cast<Impl*>(ac->data);
        // A NULL reply means hiredis is freeing the context; connection_lost() fails whatever is
        // still in flight, exactly once.
        if (self == nullptr || reply == nullptr || ac != self->ac_) {
            return;
        }
        ++self->callback_depth_;
        self->on_reply(*static_cast<const redisReply*>(reply),
                       static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata)));
        --self->callback_depth_;
    }

    void on_reply(const redisReply& reply, std::uint64_t id) {
        last_reply_ = Clock::now();
        if (reply.type == REDIS_REPLY_ERROR) {
            ++stats_.error_replies;
            if (config_.locator && is_not_primary_error(std::string_view(reply.str, reply.len))) {
                on_not_primary();
            }
        }
        if (in_flight_.empty() || in_flight_.front().id != id) {
            return;  // the command already timed out and its caller moved on: discard
        }
        Entry& entry = in_flight_.front();
        Slot& slot = *entry.slot;
        convert(reply, slot.out[slot.received]);
        if (++slot.received < slot.expected) {
            return;
        }
        const bool internal = entry.internal;
        in_flight_.pop_front();
        if (internal) {
            on_handshake_done(nullptr);
        } else if (slot.refused) {
            fail(slot, Error::Kind::protocol, "redis: command refused");
        } else {
            slot.complete(executor_, nullptr);
        }
    }

    void arm_deadline(Clock::time_point at) {
        deadline_armed_ = true;
        deadline_timer_.expires_at(at);
        deadline_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
            if (ec) {
                return;
            }
            if (auto self = weak.lock()) {
                self->on_deadline();
            }
        });
    }

    void on_deadline() {
        deadline_armed_ = false;
        const auto now = Clock::now();
        bool stalled = false;
        std::exception_ptr timeout;
        while (!in_flight_.empty() && in_flight_.front().deadline <= now) {
            const Entry entry = in_flight_.front();
            in_flight_.pop_front();
            // Sent at deadline - command_timeout; nothing at all received since then means the
            // connection, not just this command, is stuck.
            if (last_reply_ + config_.command_timeout <= entry.deadline) {
                stalled = true;
            }
            if (entry.internal) {
                stalled = true;
                on_handshake_done("handshake timeout");
                continue;
            }
            stats_.timeouts += entry.slot->commands;
            count_errors(Error::Kind::timeout, "no reply within command_timeout",
                         entry.slot->commands);
            if (!timeout) {
                timeout = std::make_exception_ptr(Error(Error::Kind::timeout));
            }
            entry.slot->complete(executor_, timeout);
        }
        if (stalled && ac_ != nullptr) {
            last_error_ = "no reply within command_timeout: reconnecting";
            close_connection(Error::Kind::disconnected, "redis: connection stalled");
            return;
        }
        if (!in_flight_.empty()) {
            arm_deadline(in_flight_.front().deadline);
        }
    }

    void fail(Slot& slot, Error::Kind kind, const char* what) {
        count_errors(kind, what, slot.commands);
        if (kind == Error::Kind::timeout) {
            stats_.timeouts += slot.commands;
        }
        slot.complete(executor_,
                      std::make_exception_ptr(*what != '\0' ? Error(kind, what) : Error(kind)));
    }

    void fail_all(Error::Kind kind, const char* what) {
        if (in_flight_.empty()) {
            return;
        }
        // One exception object shared by every failed caller (single-threaded, so sharing is
        // fine), instead of one allocation per command when thousands are in flight.
        const auto error = std::make_exception_ptr(Error(kind, what));
        std::deque<Entry> failed;
        failed.swap(in_flight_);
        std::uint64_t commands = 0;
        for (const Entry& entry : failed) {
            if (!entry.internal) {
                commands += entry.slot->commands;
            }
        }
        // Counted (and reported) before any caller resumes.
        if (commands > 0) {
            count_errors(kind, what, commands);
        }
        for (const Entry& entry : failed) {
            if (entry.internal) {
                continue;
            }
            entry.slot->complete(executor_, error);
        }
    }

    // Every failed command is counted here, and each event is reported once to the observer.
    void count_errors(Error::Kind kind, const char* what, std::uint64_t commands) {
        stats_.errors += commands;
        if (!error_observer_) {
            return;
        }
        std::string reason = what != nullptr ? what : "";
        if (reason.empty()) {
            reason = last_error_.empty() ? std::string(to_string(kind)) : last_error_;
        }
        error_observer_(kind, reason, commands);
    }

    void wake_waiters() {
        for (asio::steady_timer* waiter : waiters_) {
            waiter->cancel();
        }
    }

    asio::any_io_executor executor_;
    Config config_;
    Stats stats_;
    Client::ErrorObserver error_observer_;
    std::string last_error_;
    std::string format_buffer_;  // format_resp() scratch, reused (hiredis copies the bytes)

    State state_ = State::idle;
    bool started_ = false;
    std::uint64_t attempt_ = 0;  // generation of the current connect attempt
    unsigned backoff_step_ = 0;
    redisAsyncContext* ac_ = nullptr;
    std::vector<asio::ip::address> addresses_;      // resolved addresses not tried yet this attempt
    std::shared_ptr<detail::AsioAdapter> adapter_;  // detached ones are kept until replaced
    int callback_depth_ = 0;                        // > 0 while inside a hiredis callback

    asio::ip::tcp::resolver resolver_;
    asio::steady_timer connect_timer_;
    asio::steady_timer reconnect_timer_;
    asio::steady_timer deadline_timer_;
    bool deadline_armed_ = false;

    std::deque<Entry> in_flight_;
    std::uint64_t next_id_ = 1;
    Clock::time_point last_reply_{};
    std::optional<Slot> handshake_slot_;
    std::vector<Reply> handshake_replies_;
    std::vector<asio::steady_timer*> waiters_;
    std::minstd_rand rng_;
    // Config::cluster_nodes set: every call is forwarded to the router, this connection is idle.
    std::shared_ptr<detail::ClusterRouter> router_;
};

// ---- Client ------------------------------------------------------------------------------------

std::shared_ptr<Client> Client::create(asio::any_io_executor executor, Config config) {
    return std::shared_ptr<Client>(new Client(std::move(executor), std::move(config)));
}

Client::Client(asio::any_io_executor executor, Config config)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(config))) {
    if (!impl_->config_.cluster_nodes.empty()) {
        impl_->router_ = std::make_shared<detail::ClusterRouter>(impl_->executor_, impl_->config_);
    }
}

Client::~Client() {
    if (impl_->router_) impl_->router_->stop();
    impl_->stop();
}

bool Client::cluster() const { return impl_->router_ != nullptr; }

std::vector<std::shared_ptr<Client>> Client::primaries() {
    if (impl_->router_) return impl_->router_->primaries();
    std::vector<std::shared_ptr<Client>> self;
    self.push_back(shared_from_this());
    return self;
}

void Client::start() {
    if (impl_->router_) {
        impl_->router_->start();
        return;
    }
    if (impl_->config_.locator && !impl_->started_) {
        impl_->config_.locator->follow(shared_from_this());
    }
    impl_->start();
}

void Client::reconnect() {
    if (impl_->router_) {
        impl_->router_->reconnect();
        return;
    }
    impl_->reconnect();
}

bool Client::waits_for_replicas() const { return impl_->config_.wait_replicas > 0; }

asio::awaitable<void> Client::wait_for_replicas() {
    if (impl_->router_) {
        const auto router = impl_->router_;
        co_await router->wait_for_replicas();
        co_return;
    }
    const int wanted = impl_->config_.wait_replicas;
    if (wanted <= 0) {
        co_return;
    }
    const auto timeout_ms = impl_->config_.wait_timeout.count();
    std::vector<std::string> command{"WAIT", std::to_string(wanted), std::to_string(timeout_ms)};
    auto reply = co_await exec(std::move(command));
    ++impl_->stats_.replica_waits;
    if (reply.is_error()) {
        throw Error(Error::Kind::protocol, "redis: WAIT: " + reply.str);
    }
    if (reply.as_int() < wanted) {
        ++impl_->stats_.replica_waits_short;
        throw Error(Error::Kind::timeout, "redis: WAIT: " + std::to_string(reply.as_int()) +
                                              " of " + std::to_string(wanted) +
                                              " replicas acknowledged within " +
                                              std::to_string(timeout_ms) + " ms");
    }
}

void Client::stop() {
    if (impl_->router_) impl_->router_->stop();
    impl_->stop();
}

bool Client::connected() const {
    if (impl_->router_) return impl_->router_->connected();
    return impl_->state_ == Impl::State::ready;
}

Stats Client::stats() const {
    if (impl_->router_) return impl_->router_->stats();
    return impl_->stats_;
}

const Config& Client::config() const { return impl_->config_; }

const std::string& Client::last_error() const {
    if (impl_->router_) return impl_->router_->last_error();
    return impl_->last_error_;
}

void Client::set_error_observer(ErrorObserver observer) {
    if (impl_->router_) impl_->router_->set_error_observer(observer);
    impl_->error_observer_ = std::move(observer);
}

asio::awaitable<Reply> Client::exec(std::vector<std::string> args) {
    if (impl_->router_) {
        const auto router = impl_->router_;
        co_return co_await router->exec(std::move(args));
    }
    impl_->check_ready(1);
    Reply reply;
    Slot slot(&reply, 1);
    co_await impl_->submit(slot, &args, 1);
    co_return reply;
}

asio::awaitable<std::vector<Reply>> Client::pipeline(
    std::vector<std::vector<std::string>> commands) {
    std::vector<Reply> replies;
    if (commands.empty()) {
        co_return replies;
    }
    if (impl_->router_) {
        const auto router = impl_->router_;
        co_return co_await router->pipeline(std::move(commands));
    }
    impl_->check_ready(commands.size());
    replies.resize(commands.size());
    Slot slot(replies.data(), commands.size());
    co_await impl_->submit(slot, commands.data(), commands.size());
    co_return replies;
}

asio::awaitable<Reply> Client::eval(const Script& script, std::vector<std::string> keys,
                                    std::vector<std::string> args) {
    if (impl_->router_) {
        const auto router = impl_->router_;
        co_return co_await router->eval(script, std::move(keys), std::move(args));
    }
    std::vector<std::string> command = evalsha_command(script, std::move(keys), std::move(args));

    Reply reply;
    {
        impl_->check_ready(1);
        Slot slot(&reply, 1);
        co_await impl_->submit(slot, &command, 1);
    }
    if (reply.is_error() && reply.str.starts_with("NOSCRIPT")) {
        // Not cached on this server (restart, SCRIPT FLUSH, failover): EVAL runs and caches it.
        command[0] = "EVAL";
        command[1] = script.source();
        reply = Reply{};
        impl_->check_ready(1);
        Slot slot(&reply, 1);
        co_await impl_->submit(slot, &command, 1);
    }
    co_return reply;
}

asio::awaitable<bool> Client::wait_connected(std::chrono::milliseconds deadline) {
    if (impl_->router_) {
        const auto router = impl_->router_;
        co_return co_await router->wait_connected(deadline);
    }
    if (impl_->state_ == Impl::State::ready) {
        co_return true;
    }
    if (!impl_->started_) {
        co_return false;
    }
    const std::weak_ptr<Impl> weak = impl_;
    asio::steady_timer timer(impl_->executor_, deadline);
    impl_->waiters_.push_back(&timer);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));  // expiry or woken by cancel
    const auto self = weak.lock();
    if (!self) {
        co_return false;
    }
    std::erase(self->waiters_, &timer);
    co_return self->state_ == Impl::State::ready;
}

}  // namespace kayou::redis
