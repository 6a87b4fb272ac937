#pragma once
// Console accounts in Redis (docs/admin-api.md "Accounts"), and the watcher that keeps every
// process's Authenticator in step with them. Keys, all under one hash tag:
//   <prefix>admin:{accounts}:all      hash  id -> stored_json (name, role, districts, token hash…)
//   <prefix>admin:{accounts}:revoked  hash  id -> {"by","at"}
//   <prefix>admin:{accounts}:used     hash  id -> Unix second of the last use
//   <prefix>admin:{accounts}:version  string, INCR on every create and revoke
// authorize() is synchronous (it runs in the header gate, before the body is read), so each
// process keeps the active accounts in memory and polls the version key every poll interval
// (200 ms): a revocation is effective on every instance within that interval plus one HGETALL.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bot/admin/accounts.hpp"
#include "bot/admin/auth.hpp"
#include "redis/script.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::bot::admin {

class AccountStore {
public:
    AccountStore(std::shared_ptr<redis::Client> redis, const std::string& key_prefix);

    enum class Created { ok, name_taken, id_taken };
    // One Lua step: refuses a name an active account has, stores the record, bumps the version.
    boost::asio::awaitable<Created> create(const AccountRecord& account);

    enum class Revoked { ok, already, not_found };
    boost::asio::awaitable<Revoked> revoke(const std::string& id, const std::string& by,
                                           std::int64_t at);

    // Every account (revoked ones too, with revoked_* and last_used_at), oldest first.
    boost::asio::awaitable<std::vector<AccountRecord>> all();
    boost::asio::awaitable<std::int64_t> version();
    // HSET used id second … (one command; nothing when empty).
    boost::asio::awaitable<void> record_use(
        const std::vector<std::pair<std::string, std::int64_t>>& used);

private:
    std::shared_ptr<redis::Client> redis_;
    std::string all_key_, revoked_key_, used_key_, version_key_;
};

// Polls the version key; on a change loads the accounts into the Authenticator, and flushes
// "last used" times. Runs on the io_context thread, like the Redis client.
class AccountWatcher {
public:
    struct Options {
        std::chrono::milliseconds poll_interval{200};
        // An account token is answered 503 when the snapshot was not confirmed this recently.
        std::chrono::milliseconds max_age{3000};
        std::chrono::seconds use_flush_interval{5};
    };
    AccountWatcher(boost::asio::any_io_executor executor, AccountStore& store, Authenticator& auth,
                   Options options);
    void start();
    void stop();
    // Reloads now (after a create or revoke on this process: no need to wait for the poll).
    boost::asio::awaitable<void> refresh();

private:
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> poll_once();

    AccountStore& store_;
    Authenticator& auth_;
    Options options_;
    boost::asio::steady_timer timer_;
    std::int64_t seen_version_ = -1;
    bool stopped_ = false;
    bool failing_ = false;
    std::chrono::steady_clock::time_point last_flush_{};
    std::vector<std::pair<std::string, std::int64_t>> pending_use_;
};

}  // namespace kayou::bot::admin
