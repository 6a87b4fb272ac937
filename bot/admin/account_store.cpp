#include "bot/admin/account_store.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "ops/log.hpp"
#include "redis/client.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

// KEYS: all, revoked, version. ARGV: id, record, name. A name is unique among active accounts
// (the console and the audit log tell people apart by it); a revoked name may be reused.
const redis::Script kCreate(R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 'id_taken' end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if redis.call('HEXISTS', KEYS[2], all[i]) == 0 then
    local ok, record = pcall(cjson.decode, all[i + 1])
    if ok and type(record) == 'table' and record.name == ARGV[3] then return 'name_taken' end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[3])
return 'ok'
)lua");

// KEYS: all, revoked, version. ARGV: id, {"by","at"}. The record itself never changes.
const redis::Script kRevoke(R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 'not_found' end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 'already' end
redis.call('INCR', KEYS[3])
return 'ok'
)lua");

void expect_ok(const redis::Reply& reply) {
    if (reply.is_error()) throw std::runtime_error("redis: " + reply.str);
}

}  // namespace

AccountStore::AccountStore(std::shared_ptr<redis::Client> redis, const std::string& key_prefix)
    : redis_(std::move(redis)),
      all_key_(key_prefix + "admin:{accounts}:all"),
      revoked_key_(key_prefix + "admin:{accounts}:revoked"),
      used_key_(key_prefix + "admin:{accounts}:used"),
      version_key_(key_prefix + "admin:{accounts}:version") {}

asio::awaitable<AccountStore::Created> AccountStore::create(const AccountRecord& account) {
    std::vector<std::string> keys{all_key_, revoked_key_, version_key_};
    std::vector<std::string> args{account.id, stored_json(account), account.name};
    const auto reply = co_await redis_->eval(kCreate, std::move(keys), std::move(args));
    expect_ok(reply);
    if (reply.str == "name_taken") co_return Created::name_taken;
    if (reply.str == "id_taken") co_return Created::id_taken;
    co_return Created::ok;
}

asio::awaitable<AccountStore::Revoked> AccountStore::revoke(const std::string& id,
                                                            const std::string& by,
                                                            std::int64_t at) {
    std::vector<std::string> keys{all_key_, revoked_key_, version_key_};
    const std::string detail = json{{"by", by}, {"at", at}}.dump();
    std::vector<std::string> args{id, detail};
    const auto reply = co_await redis_->eval(kRevoke, std::move(keys), std::move(args));
    expect_ok(reply);
    if (reply.str == "not_found") co_return Revoked::not_found;
    if (reply.str == "already") co_return Revoked::already;
    co_return Revoked::ok;
}

asio::awaitable<std::vector<AccountRecord>> AccountStore::all() {
    std::vector<std::vector<std::string>> commands;
    commands.push_back({"HGETALL", all_key_});
    commands.push_back({"HGETALL", revoked_key_});
    commands.push_back({"HGETALL", used_key_});
    const auto replies = co_await redis_->pipeline(std::move(commands));
    for (const auto& reply : replies) expect_ok(reply);
    std::vector<AccountRecord> out;
    const auto& records = replies[0].elements;
    for (std::size_t i = 0; i + 1 < records.size(); i += 2) {
        auto account = parse_stored(records[i].str, records[i + 1].str);
        if (!account) {
            // Never grant what cannot be read; say so (the id only, never the record).
            ops::log(ops::LogLevel::error, "account_record_unreadable", {{"id", records[i].str}});
            continue;
        }
        out.push_back(std::move(*account));
    }
    const auto& revoked = replies[1].elements;
    for (std::size_t i = 0; i + 1 < revoked.size(); i += 2)
        for (auto& a : out)
            if (a.id == revoked[i].str) {
                const auto detail = json::parse(revoked[i + 1].str, nullptr, false);
                a.revoked_by = detail.is_object() ? detail.value("by", "") : "";
                a.revoked_at = detail.is_object() ? detail.value("at", std::int64_t{1}) : 1;
                if (a.revoked_at == 0) a.revoked_at = 1;  // revoked, whatever the detail says
            }
    const auto& used = replies[2].elements;
    for (std::size_t i = 0; i + 1 < used.size(); i += 2)
        for (auto& a : out)
            if (a.id == used[i].str) a.last_used_at = used[i + 1].as_int();
    std::sort(out.begin(), out.end(), [](const AccountRecord& x, const AccountRecord& y) {
        return x.created_at != y.created_at ? x.created_at < y.created_at : x.id < y.id;
    });
    co_return out;
}

asio::awaitable<std::int64_t> AccountStore::version() {
    const auto reply = co_await redis_->exec("GET", version_key_);
    expect_ok(reply);
    co_return reply.as_int();
}

asio::awaitable<void> AccountStore::record_use(
    const std::vector<std::pair<std::string, std::int64_t>>& used) {
    if (used.empty()) co_return;
    std::vector<std::string> command{"HSET", used_key_};
    for (const auto& [id, at] : used) {
        command.push_back(id);
        command.push_back(std::to_string(at));
    }
    expect_ok(co_await redis_->exec(std::move(command)));
}

AccountWatcher::AccountWatcher(asio::any_io_executor executor, AccountStore& store,
                               Authenticator& auth, Options options)
    : store_(store), auth_(auth), options_(options), timer_(executor) {
    auth_.enable_accounts(options_.max_age);
}

void AccountWatcher::start() { asio::co_spawn(timer_.get_executor(), run(), asio::detached); }

void AccountWatcher::stop() {
    stopped_ = true;
    timer_.cancel();
}

asio::awaitable<void> AccountWatcher::refresh() {
    seen_version_ = -1;
    co_await poll_once();
}

asio::awaitable<void> AccountWatcher::run() {
    while (!stopped_) {
        co_await poll_once();
        if (stopped_) break;
        timer_.expires_after(options_.poll_interval);
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> AccountWatcher::poll_once() {
    try {
        for (auto& [id, at] : auth_.take_used()) {
            bool merged = false;
            for (auto& [pending_id, pending_at] : pending_use_)
                if (pending_id == id) {
                    pending_at = std::max(pending_at, at);
                    merged = true;
                }
            if (!merged) pending_use_.emplace_back(id, at);
        }
        const auto now = std::chrono::steady_clock::now();
        if (!pending_use_.empty() && now - last_flush_ >= options_.use_flush_interval) {
            auto batch = std::move(pending_use_);
            pending_use_.clear();
            last_flush_ = now;
            co_await store_.record_use(batch);
        }
        const std::int64_t version = co_await store_.version();
        if (version != seen_version_) {
            const auto accounts = co_await store_.all();
            auth_.set_accounts(account_tokens(accounts));
            seen_version_ = version;
        } else {
            auth_.confirm_accounts();
        }
        if (failing_) ops::log(ops::LogLevel::info, "accounts_reload_recovered", {});
        failing_ = false;
    } catch (const std::exception& error) {
        if (!failing_)
            ops::log(ops::LogLevel::warn, "accounts_reload_failed",
                     {{"error", std::string(error.what())}});
        failing_ = true;
    }
}

}  // namespace kayou::bot::admin
