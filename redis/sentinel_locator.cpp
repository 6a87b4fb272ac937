#include "redis/sentinel_locator.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <utility>

namespace kayou::redis {

namespace asio = boost::asio;
using boost::system::error_code;

const char* to_string(SentinelEvent::Kind kind) {
    switch (kind) {
        case SentinelEvent::Kind::primary_found:
            return "primary_found";
        case SentinelEvent::Kind::primary_switched:
            return "primary_switched";
        case SentinelEvent::Kind::no_primary:
            return "no_primary";
        case SentinelEvent::Kind::sentinel_down:
            return "sentinel_down";
        case SentinelEvent::Kind::sentinel_up:
            return "sentinel_up";
        case SentinelEvent::Kind::not_primary:
            return "not_primary";
    }
    return "unknown";
}

struct SentinelLocator::Impl : std::enable_shared_from_this<SentinelLocator::Impl> {
    Impl(asio::any_io_executor executor, SentinelOptions options)
        : executor_(std::move(executor)), options_(std::move(options)) {}

    void start() {
        if (started_) return;
        started_ = true;
        stopped_ = false;
        for (const Endpoint& node : options_.nodes) {
            Config config;
            config.host = node.host;
            config.port = node.port;
            config.password = options_.password;
            config.connect_timeout = options_.connect_timeout;
            config.command_timeout = options_.command_timeout;
            auto client = Client::create(executor_, config);
            client->start();
            sentinels_.push_back(std::move(client));
            up_.push_back(true);
            subscriptions_.push_back(Subscription{});
        }
        for (std::size_t i = 0; i < options_.nodes.size(); ++i)
            asio::co_spawn(executor_, subscribe(shared_from_this(), i), asio::detached);
    }

    void stop() {
        stopped_ = true;
        started_ = false;
        for (auto& client : sentinels_) client->stop();
        for (auto& subscription : subscriptions_) {
            error_code ignored;
            if (subscription.socket) subscription.socket->close(ignored);
            if (subscription.timer) subscription.timer->cancel();
        }
        auto waiting = std::exchange(waiting_, {});
        for (auto& located : waiting) located(std::nullopt);
    }

    void emit(SentinelEvent event) {
        if (observer_) observer_(event);
    }

    // The answer of a sentinel (query or +switch-master): a new primary moves every follower.
    void learn(const Endpoint& primary, const char* via) {
        const auto before = history_.current();
        const auto change = history_.note(primary);
        if (change == PrimaryHistory::Change::same) return;
        SentinelEvent event{change == PrimaryHistory::Change::first
                                ? SentinelEvent::Kind::primary_found
                                : SentinelEvent::Kind::primary_switched,
                            before.value_or(Endpoint{}),
                            primary,
                            Endpoint{},
                            via,
                            ""};
        emit(event);
        std::erase_if(followers_, [](const std::weak_ptr<Client>& weak) { return weak.expired(); });
        const auto followers = followers_;
        for (const auto& weak : followers) {
            auto client = weak.lock();
            if (!client) continue;
            const Endpoint at{client->config().host, client->config().port};
            if (at != primary) client->reconnect();
        }
    }

    void mark(std::size_t index, bool up, const std::string& detail) {
        if (up_[index] == up) return;
        up_[index] = up;
        emit(SentinelEvent{
            up ? SentinelEvent::Kind::sentinel_up : SentinelEvent::Kind::sentinel_down, Endpoint{},
            Endpoint{}, options_.nodes[index], "", detail});
    }

    static asio::awaitable<std::optional<Endpoint>> ask(std::shared_ptr<Impl> self) {
        const auto order = sentinel_order(self->sentinels_.size(), self->preferred_);
        for (const std::size_t index : order) {
            if (self->stopped_) break;
            auto client = self->sentinels_[index];
            if (!client->connected()) {
                const bool up = co_await client->wait_connected(self->options_.skip_after);
                if (!up) {
                    self->mark(index, false, client->last_error());
                    continue;
                }
            }
            std::vector<std::string> command{"SENTINEL", "get-master-addr-by-name",
                                             self->options_.master};
            std::optional<Endpoint> primary;
            std::string failure;
            try {
                auto reply = co_await client->exec(std::move(command));
                primary = parse_master_addr(reply);
                if (!primary) failure = reply.is_error() ? reply.str : "does not know the master";
            } catch (const Error& error) {
                failure = error.what();
            }
            if (!primary) {
                self->mark(index, false, failure);
                continue;
            }
            self->mark(index, true, "");
            self->preferred_ = index;
            self->learn(*primary, "sentinel query");
            co_return primary;
        }
        self->emit(SentinelEvent{SentinelEvent::Kind::no_primary, Endpoint{}, Endpoint{},
                                 Endpoint{}, "", ""});
        co_return std::nullopt;
    }

    void locate(Located located) {
        waiting_.push_back(std::move(located));
        if (asking_) return;  // this round's answer goes to every caller waiting for it
        asking_ = true;
        asio::co_spawn(
            executor_, ask(shared_from_this()),
            [self = shared_from_this()](std::exception_ptr error, std::optional<Endpoint> primary) {
                self->asking_ = false;
                if (error) primary.reset();
                auto waiting = std::exchange(self->waiting_, {});
                for (auto& callback : waiting) callback(primary);
            });
    }

    void not_primary(const Endpoint& endpoint) {
        emit(SentinelEvent{SentinelEvent::Kind::not_primary, endpoint, Endpoint{}, Endpoint{}, "",
                           ""});
        // Never from inside the caller (a hiredis callback): ask on the next turn of the loop.
        asio::post(executor_, [weak = weak_from_this()] {
            auto self = weak.lock();
            if (self && !self->stopped_) self->locate([](std::optional<Endpoint>) {});
        });
    }

    // One sentinel's +switch-master channel, on a plain socket (the RESP replies are parsed by
    // parse_resp); reconnects after resubscribe_delay until stop().
    static asio::awaitable<void> subscribe(std::shared_ptr<Impl> self, std::size_t index) {
        const Endpoint node = self->options_.nodes[index];
        while (!self->stopped_) {
            asio::ip::tcp::socket socket(self->executor_);
            asio::steady_timer timer(self->executor_);
            self->subscriptions_[index] = Subscription{&socket, &timer};
            try {
                asio::ip::tcp::resolver resolver(self->executor_);
                auto addresses = co_await resolver.async_resolve(
                    node.host, std::to_string(node.port), asio::use_awaitable);
                if (self->stopped_) break;
                // The timer closes the socket when the connect takes too long.
                timer.expires_after(self->options_.connect_timeout);
                timer.async_wait([&socket](const error_code& ec) {
                    error_code ignored;
                    if (!ec) socket.close(ignored);
                });
                co_await asio::async_connect(socket, addresses, asio::use_awaitable);
                timer.cancel();
                socket.set_option(asio::socket_base::keep_alive(true));
                std::string hello;
                if (!self->options_.password.empty()) {
                    std::vector<std::string> auth{"AUTH", self->options_.password};
                    hello += format_command(auth);
                }
                std::vector<std::string> subscribe_command{"SUBSCRIBE", "+switch-master"};
                hello += format_command(subscribe_command);
                co_await asio::async_write(socket, asio::buffer(hello), asio::use_awaitable);
                std::string buffer;
                char chunk[4096];
                for (;;) {
                    const std::size_t n =
                        co_await socket.async_read_some(asio::buffer(chunk), asio::use_awaitable);
                    buffer.append(chunk, n);
                    for (;;) {
                        std::size_t used = 0;
                        auto reply = parse_resp(buffer, used);
                        if (!reply) break;
                        buffer.erase(0, used);
                        self->on_push(*reply);
                    }
                    if (buffer.size() > (1u << 20)) throw std::runtime_error("reply too large");
                }
            } catch (const std::exception&) {
                // Closed, refused, reset or stopped: try again after the delay.
            }
            self->subscriptions_[index] = Subscription{};
            if (self->stopped_) break;
            asio::steady_timer pause(self->executor_);
            self->subscriptions_[index] = Subscription{nullptr, &pause};
            pause.expires_after(self->options_.resubscribe_delay);
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            self->subscriptions_[index] = Subscription{};
        }
    }

    void on_push(const Reply& reply) {
        if (reply.is_error()) throw std::runtime_error("sentinel refused: " + reply.str);
        const auto message = as_push_message(reply);
        if (!message || message->kind != "message" || message->channel != "+switch-master") return;
        const auto change = parse_switch_master(message->payload);
        if (!change || change->master != options_.master) return;
        learn(change->to, "+switch-master");
    }

    struct Subscription {
        asio::ip::tcp::socket* socket = nullptr;
        asio::steady_timer* timer = nullptr;
    };

    asio::any_io_executor executor_;
    SentinelOptions options_;
    std::function<void(const SentinelEvent&)> observer_;
    bool started_ = false;
    bool stopped_ = false;
    std::vector<std::shared_ptr<Client>> sentinels_;
    std::vector<bool> up_;
    std::vector<Subscription> subscriptions_;
    std::size_t preferred_ = static_cast<std::size_t>(-1);
    PrimaryHistory history_;
    std::vector<std::weak_ptr<Client>> followers_;
    bool asking_ = false;
    std::vector<Located> waiting_;
};

std::shared_ptr<SentinelLocator> SentinelLocator::create(asio::any_io_executor executor,
                                                         SentinelOptions options) {
    return std::shared_ptr<SentinelLocator>(
        new SentinelLocator(std::move(executor), std::move(options)));
}

SentinelLocator::SentinelLocator(asio::any_io_executor executor, SentinelOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

SentinelLocator::~SentinelLocator() { impl_->stop(); }

void SentinelLocator::start() { impl_->start(); }

void SentinelLocator::stop() { impl_->stop(); }

void SentinelLocator::set_observer(std::function<void(const SentinelEvent&)> observer) {
    impl_->observer_ = std::move(observer);
}

std::optional<Endpoint> SentinelLocator::primary() const { return impl_->history_.current(); }

std::uint64_t SentinelLocator::failovers() const { return impl_->history_.failovers(); }

const SentinelOptions& SentinelLocator::options() const { return impl_->options_; }

asio::awaitable<std::optional<Endpoint>> SentinelLocator::ask() { return Impl::ask(impl_); }

void SentinelLocator::locate(Located located) { impl_->locate(std::move(located)); }

void SentinelLocator::follow(const std::shared_ptr<Client>& client) {
    impl_->followers_.push_back(client);
}

void SentinelLocator::not_primary(const Endpoint& endpoint) { impl_->not_primary(endpoint); }

}  // namespace kayou::redis
