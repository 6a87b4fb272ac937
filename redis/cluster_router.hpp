// Redis Cluster mode of redis::Client (Config::cluster_nodes): one inner Client per primary, and
// commands routed to the primary that serves their key's slot (redis/cluster_slots.hpp). Held by
// Client::Impl; Client's members forward here when cluster_nodes is set. Not for direct use.
//
// The slot table is read with CLUSTER SLOTS from any reachable node (the seeds first) at start,
// and again after a -MOVED reply or a lost connection. A -MOVED reply is followed once: the slot
// is pointed at the named node and the command is sent there again (a node not met before is
// connected first, within connect_timeout). An -ASK reply (a slot being
// migrated) sends ASKING and the command to the named node, without changing the table. A batch
// that is not a MULTI is split by node (its commands may name keys of several tags). Any other
// error reply, CROSSSLOT included, is returned to the caller like on a single Redis.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redis/client.hpp"
#include "redis/cluster_slots.hpp"

namespace kayou::redis::detail {

class ClusterRouter : public std::enable_shared_from_this<ClusterRouter> {
public:
    ClusterRouter(boost::asio::any_io_executor executor, const Config& config);
    ~ClusterRouter();

    void start();
    void stop();
    // The slot table is loaded and the inner client of every primary in it is connected.
    bool connected() const;
    Stats stats() const;
    const std::string& last_error() const { return last_error_; }
    void set_error_observer(Client::ErrorObserver observer);
    void reconnect();

    boost::asio::awaitable<Reply> exec(std::vector<std::string> args);
    boost::asio::awaitable<std::vector<Reply>> pipeline(
        std::vector<std::vector<std::string>> commands);
    boost::asio::awaitable<Reply> eval(const Script& script, std::vector<std::string> keys,
                                       std::vector<std::string> args);
    // WAIT on the primary that took the last keyed command (WAIT counts per node).
    boost::asio::awaitable<void> wait_for_replicas();
    boost::asio::awaitable<bool> wait_connected(std::chrono::milliseconds deadline);

    // Every primary of the slot table (for commands that must run on each, like SCAN).
    std::vector<std::shared_ptr<Client>> primaries();

private:
    std::shared_ptr<Client> node(const Endpoint& endpoint);
    // The client of the primary serving `key` (any connected node when there is no key); throws
    // Error(not_connected) before the slot table is loaded.
    std::shared_ptr<Client> route(std::optional<std::string_view> key, std::size_t commands);
    // Runs `commands` on the routed node and follows one MOVED or ASK.
    boost::asio::awaitable<std::vector<Reply>> run(std::vector<std::vector<std::string>> commands);
    boost::asio::awaitable<std::vector<Reply>> send(std::shared_ptr<Client> client,
                                                    std::vector<std::vector<std::string>> commands);
    boost::asio::awaitable<std::vector<Reply>> send_asking(
        std::shared_ptr<Client> client, std::vector<std::vector<std::string>> commands);
    // A batch's command indexes grouped by the node that serves their key (commands without a
    // key join the first group).
    std::vector<std::vector<std::size_t>> split_by_node(
        const std::vector<std::vector<std::string>>& commands) const;
    std::shared_ptr<Client> redirect_target(const Redirect& redirect, const Client& from);
    boost::asio::awaitable<void> load_until_started(std::uint64_t generation);
    boost::asio::awaitable<bool> load_once();
    void refresh_soon();
    void wake_waiters();
    [[noreturn]] void fail_unrouted(std::size_t commands, const char* why);

    boost::asio::any_io_executor executor_;
    Config config_;       // the caller's, cluster_nodes included
    Config node_config_;  // each inner client's: one node, no cluster, no locator
    std::map<std::string, std::shared_ptr<Client>> nodes_;  // by Endpoint::to_string()
    std::optional<SlotTable> table_;
    std::vector<std::shared_ptr<Client>> table_clients_;  // index: SlotTable::nodes()
    std::string last_node_;  // the node of the last keyed command, for wait_for_replicas()
    bool started_ = false;
    bool loading_ = false;
    std::uint64_t generation_ = 0;  // start()/stop() outdate running loads
    std::string last_error_;
    Stats own_stats_;  // commands that failed before reaching a node
    Client::ErrorObserver error_observer_;
    boost::asio::steady_timer retry_timer_;
    std::vector<boost::asio::steady_timer*> waiters_;
};

}  // namespace kayou::redis::detail
