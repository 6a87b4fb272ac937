#include "redis/cluster_router.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <iterator>
#include <utility>

namespace kayou::redis::detail {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

bool is_multi(const std::vector<std::string>& command) {
    if (command.empty() || command[0].size() != 5) return false;
    std::string name = command[0];
    for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return name == "MULTI";
}

void add_stats(Stats& sum, const Stats& part) {
    sum.commands += part.commands;
    sum.errors += part.errors;
    sum.timeouts += part.timeouts;
    sum.reconnects += part.reconnects;
    sum.error_replies += part.error_replies;
    sum.connects += part.connects;
    sum.replica_waits += part.replica_waits;
    sum.replica_waits_short += part.replica_waits_short;
}

}  // namespace

ClusterRouter::ClusterRouter(asio::any_io_executor executor, const Config& config)
    : executor_(std::move(executor)),
      config_(config),
      node_config_(config),
      retry_timer_(executor_) {
    node_config_.cluster_nodes.clear();
    node_config_.locator.reset();
    node_config_.unix_socket.clear();
}

ClusterRouter::~ClusterRouter() { stop(); }

void ClusterRouter::start() {
    if (started_) return;
    started_ = true;
    const std::uint64_t generation = ++generation_;
    for (const Endpoint& seed : config_.cluster_nodes) node(seed);
    for (auto& [name, client] : nodes_) client->start();
    loading_ = true;
    asio::co_spawn(executor_, load_until_started(generation), asio::detached);
}

void ClusterRouter::stop() {
    started_ = false;
    loading_ = false;
    ++generation_;
    retry_timer_.cancel();
    for (auto& [name, client] : nodes_) client->stop();
    table_.reset();
    table_clients_.clear();
    wake_waiters();
}

bool ClusterRouter::connected() const {
    return table_.has_value() && !table_clients_.empty() &&
           std::all_of(table_clients_.begin(), table_clients_.end(),
                       [](const std::shared_ptr<Client>& client) { return client->connected(); });
}

Stats ClusterRouter::stats() const {
    Stats sum = own_stats_;
    for (const auto& [name, client] : nodes_) add_stats(sum, client->stats());
    return sum;
}

void ClusterRouter::set_error_observer(Client::ErrorObserver observer) {
    error_observer_ = std::move(observer);
    for (auto& [name, client] : nodes_) client->set_error_observer(error_observer_);
}

void ClusterRouter::reconnect() {
    for (auto& [name, client] : nodes_) client->reconnect();
}

std::vector<std::shared_ptr<Client>> ClusterRouter::primaries() { return table_clients_; }

std::shared_ptr<Client> ClusterRouter::node(const Endpoint& endpoint) {
    const std::string name = endpoint.to_string();
    if (auto known = nodes_.find(name); known != nodes_.end()) return known->second;
    Config config = node_config_;
    config.host = endpoint.host;
    config.port = endpoint.port;
    auto client = Client::create(executor_, std::move(config));
    if (error_observer_) client->set_error_observer(error_observer_);
    if (started_) client->start();
    nodes_.emplace(name, client);
    return client;
}

void ClusterRouter::fail_unrouted(std::size_t commands, const char* why) {
    own_stats_.commands += commands;
    own_stats_.errors += commands;
    last_error_ = why;
    if (error_observer_) error_observer_(Error::Kind::not_connected, why, commands);
    throw Error(Error::Kind::not_connected, why);
}

std::shared_ptr<Client> ClusterRouter::route(std::optional<std::string_view> key,
                                             std::size_t commands) {
    if (!table_ || table_clients_.empty()) {
        fail_unrouted(commands, "redis cluster: slot table not loaded");
    }
    if (!key) {
        for (const auto& client : table_clients_) {
            if (client->connected()) return client;
        }
        return table_clients_.front();
    }
    const auto index = table_->node_for(key_hash_slot(*key));
    if (!index) {
        refresh_soon();
        fail_unrouted(commands, "redis cluster: no node serves the key's slot");
    }
    last_node_ = table_->nodes()[*index].to_string();
    return table_clients_[*index];
}

std::shared_ptr<Client> ClusterRouter::redirect_target(const Redirect& redirect,
                                                       const Client& from) {
    Endpoint to = redirect.to;
    if (to.host.empty()) to.host = from.config().host;  // "MOVED 12 :7002": the same host
    auto target = node(to);
    if (redirect.kind == Redirect::Kind::moved && table_) {
        const std::size_t index = table_->assign(redirect.slot, to);
        if (index >= table_clients_.size()) table_clients_.push_back(target);
        last_node_ = to.to_string();
        refresh_soon();  // a MOVED slot rarely moves alone: read the whole table again
    }
    return target;
}

asio::awaitable<std::vector<Reply>> ClusterRouter::run(
    std::vector<std::vector<std::string>> commands) {
    const auto self = shared_from_this();
    const auto client = route(routing_key(commands), commands.size());
    // Kept for a redirected second attempt: the inner client takes its commands by value.
    std::vector<std::vector<std::string>> first_attempt = commands;
    auto replies = co_await send(client, std::move(first_attempt));
    std::optional<Redirect> redirect;
    for (const Reply& reply : replies) {
        redirect = parse_redirect(reply);
        if (redirect) break;
    }
    if (!redirect) co_return replies;
    const auto target = redirect_target(*redirect, *client);
    if (!target->connected()) {
        const bool up = co_await target->wait_connected(config_.connect_timeout);
        (void)up;  // not up: the send below fails with not_connected
    }
    if (redirect->kind == Redirect::Kind::ask) {
        co_return co_await send_asking(target, std::move(commands));
    }
    co_return co_await send(target, std::move(commands));
}

asio::awaitable<std::vector<Reply>> ClusterRouter::send(
    std::shared_ptr<Client> client, std::vector<std::vector<std::string>> commands) {
    std::vector<Reply> replies;
    try {
        if (commands.size() == 1) {
            // Named first, not pushed straight from the co_await (docs/coroutines.md).
            Reply reply = co_await client->exec(std::move(commands.front()));
            replies.push_back(std::move(reply));
        } else {
            replies = co_await client->pipeline(std::move(commands));
        }
    } catch (const Error& error) {
        // The node may have failed over: its slots may be served elsewhere now.
        if (error.kind() != Error::Kind::timeout) refresh_soon();
        throw;
    }
    co_return replies;
}

// ASKING applies to the next command only, except that inside MULTI it lasts until EXEC: one in
// front of a transaction, one before each command of any other batch.
asio::awaitable<std::vector<Reply>> ClusterRouter::send_asking(
    std::shared_ptr<Client> client, std::vector<std::vector<std::string>> commands) {
    const bool transaction = is_multi(commands.front());
    std::vector<std::vector<std::string>> asked;
    std::vector<bool> is_asking;
    for (auto& command : commands) {
        if (!transaction || asked.empty()) {
            std::vector<std::string> asking;
            asking.emplace_back("ASKING");
            asked.push_back(std::move(asking));
            is_asking.push_back(true);
        }
        asked.push_back(std::move(command));
        is_asking.push_back(false);
    }
    auto all = co_await send(std::move(client), std::move(asked));
    std::vector<Reply> replies;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!is_asking[i]) replies.push_back(std::move(all[i]));
    }
    co_return replies;
}

asio::awaitable<Reply> ClusterRouter::exec(std::vector<std::string> args) {
    std::vector<std::vector<std::string>> commands;
    commands.push_back(std::move(args));
    auto replies = co_await run(std::move(commands));
    co_return std::move(replies.front());
}

std::vector<std::vector<std::size_t>> ClusterRouter::split_by_node(
    const std::vector<std::vector<std::string>>& commands) const {
    constexpr std::size_t kAnyNode = static_cast<std::size_t>(-1);
    std::vector<std::size_t> group_node;  // the node of each group, in first-seen order
    std::vector<std::vector<std::size_t>> groups;
    std::vector<std::size_t> keyless;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        const auto key = routing_key(commands[i]);
        if (!key) {
            keyless.push_back(i);
            continue;
        }
        std::size_t node = kAnyNode - 1;  // no node serves the slot: route() will say so
        if (table_) node = table_->node_for(key_hash_slot(*key)).value_or(node);
        auto found = std::find(group_node.begin(), group_node.end(), node);
        if (found == group_node.end()) {
            group_node.push_back(node);
            groups.emplace_back();
            found = group_node.end() - 1;
        }
        groups[static_cast<std::size_t>(found - group_node.begin())].push_back(i);
    }
    if (groups.empty()) groups.emplace_back();
    // Commands without a key ride along with the first group, in their place.
    groups.front().insert(groups.front().end(), keyless.begin(), keyless.end());
    std::sort(groups.front().begin(), groups.front().end());
    return groups;
}

// A MULTI ... EXEC keeps to one tag and goes whole; any other batch is split by node (the
// commands of a batch may name keys of several tags, e.g. one GET per application), each node's
// part sent as one batch in turn, and the replies put back in order.
asio::awaitable<std::vector<Reply>> ClusterRouter::pipeline(
    std::vector<std::vector<std::string>> commands) {
    if (commands.empty()) co_return std::vector<Reply>{};
    if (commands.size() == 1 || is_multi(commands.front())) {
        co_return co_await run(std::move(commands));
    }
    const auto self = shared_from_this();
    const auto groups = split_by_node(commands);
    if (groups.size() == 1) co_return co_await run(std::move(commands));
    std::vector<Reply> replies(commands.size());
    for (const auto& group : groups) {
        std::vector<std::vector<std::string>> part;
        part.reserve(group.size());
        for (const std::size_t index : group) part.push_back(std::move(commands[index]));
        auto part_replies = co_await run(std::move(part));
        for (std::size_t i = 0; i < group.size() && i < part_replies.size(); ++i) {
            replies[group[i]] = std::move(part_replies[i]);
        }
    }
    co_return replies;
}

asio::awaitable<Reply> ClusterRouter::eval(const Script& script, std::vector<std::string> keys,
                                           std::vector<std::string> args) {
    std::vector<std::string> command = evalsha_command(script, std::move(keys), std::move(args));
    std::vector<std::string> first_attempt = command;
    auto reply = co_await exec(std::move(first_attempt));
    if (reply.is_error() && reply.str.starts_with("NOSCRIPT")) {
        // Not cached on that node (each primary has its own script cache): EVAL caches it.
        command[0] = "EVAL";
        command[1] = script.source();
        reply = co_await exec(std::move(command));
    }
    co_return reply;
}

asio::awaitable<void> ClusterRouter::wait_for_replicas() {
    if (config_.wait_replicas <= 0) co_return;
    const auto self = shared_from_this();
    std::shared_ptr<Client> client;
    if (auto last = nodes_.find(last_node_); last != nodes_.end()) client = last->second;
    if (!client) client = route(std::nullopt, 1);
    co_await client->wait_for_replicas();
}

asio::awaitable<bool> ClusterRouter::wait_connected(std::chrono::milliseconds deadline) {
    const auto self = shared_from_this();
    const auto until = Clock::now() + deadline;
    if (!started_) co_return false;
    if (!table_) {
        asio::steady_timer timer(executor_, deadline);
        waiters_.push_back(&timer);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));  // expiry or a new table
        std::erase(waiters_, &timer);
        if (!table_) co_return false;
    }
    const std::vector<std::shared_ptr<Client>> clients = table_clients_;
    for (const auto& client : clients) {
        if (client->connected()) continue;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) co_return false;
        const bool up = co_await client->wait_connected(left);
        if (!up) co_return false;
    }
    co_return true;
}

void ClusterRouter::refresh_soon() {
    if (!started_ || loading_) return;
    loading_ = true;
    asio::co_spawn(executor_, load_until_started(generation_), asio::detached);
}

asio::awaitable<void> ClusterRouter::load_until_started(std::uint64_t generation) {
    const auto self = shared_from_this();
    auto delay = config_.reconnect_min;
    while (started_ && generation_ == generation) {
        const bool loaded = co_await load_once();
        if (loaded || generation_ != generation) break;
        retry_timer_.expires_after(delay);
        co_await retry_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        delay = std::min(delay * 2, config_.reconnect_max);
    }
    if (generation_ == generation) loading_ = false;
}

// CLUSTER SLOTS from the first node that answers: the current primaries first, then the seeds
// and every node met since.
asio::awaitable<bool> ClusterRouter::load_once() {
    std::vector<std::shared_ptr<Client>> candidates = table_clients_;
    for (const auto& [name, client] : nodes_) candidates.push_back(client);
    const std::uint64_t generation = generation_;
    for (const auto& client : candidates) {
        if (!client->connected()) {
            const bool up = co_await client->wait_connected(config_.connect_timeout);
            if (generation_ != generation) co_return false;
            if (!up) continue;
        }
        Reply reply;
        try {
            reply = co_await client->exec("CLUSTER", "SLOTS");
        } catch (const Error& error) {
            last_error_ = std::string("CLUSTER SLOTS: ") + error.what();
            continue;
        }
        if (generation_ != generation) co_return false;
        auto table = SlotTable::parse(reply);
        if (!table || table->nodes().empty()) {
            last_error_ = "CLUSTER SLOTS from " + client->config().host + ":" +
                          std::to_string(client->config().port) + ": no usable slot table";
            continue;
        }
        std::vector<std::shared_ptr<Client>> clients;
        for (const Endpoint& primary : table->nodes()) clients.push_back(node(primary));
        table_ = std::move(*table);
        table_clients_ = std::move(clients);
        last_error_.clear();
        wake_waiters();
        co_return true;
    }
    co_return false;
}

void ClusterRouter::wake_waiters() {
    for (asio::steady_timer* waiter : waiters_) waiter->cancel();
}

}  // namespace kayou::redis::detail
