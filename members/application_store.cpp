#include "members/application_store.hpp"

#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "redis/client.hpp"
#include "redis/script.hpp"
#include "redis/stream_entries.hpp"
#include "text/beijing_time.hpp"
#include "text/number.hpp"

namespace kayou::members {
namespace {

// A submit is steps on the hash tags of its keys (docs/DESIGN.md "Keys and hash tags"), each
// one script or command on one tag, each safe to run again: the intent ({join}:submits, written
// first, holding the sealed record), the join link's claim, the record, the ID number's claim,
// the indexes (chat, mobile, district queues, promoter), the intent's removal. A process that dies
// between them leaves the intent, and ApplicationStore::recover_submits() runs the steps again.

// KEYS: 1 the link's claim. ARGV: 1 app id, 2 ttl seconds. 1: claimed by this application (now
// or before), 0: used by another.
const redis::Script kClaimLink(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
)lua");

// KEYS: 1 a claim. ARGV: 1 app id. Gives back a claim only while this application holds it.
const redis::Script kReleaseClaim(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");

// KEYS: 1 app. ARGV: field/value pairs. Only a record not there yet: a step run again after a
// reviewer acted must not undo the review.
const redis::Script kWriteRecord(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
)lua");

// KEYS: 1 idcard index. ARGV: 1 app id, 2 the inactive application it may replace ("" none).
// Returns {'ours'} | {'taken', holder}.
const redis::Script kClaimIdCard(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return {'ours'} end
if holder and holder ~= ARGV[2] then return {'taken', holder} end
redis.call('SET', KEYS[1], ARGV[1])
return {'ours'}
)lua");

// KEYS: 1 pending, 2 received, 3 pool (one district). ARGV: 1 id, 2 deadline, 3 submitted,
// 4 pool flag
const redis::Script kIndexInDistrict(R"lua(
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if ARGV[4] == '1' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1]) end
return 1
)lua");

std::string field_of(const std::map<std::string, std::string>& record, const std::string& name) {
    const auto it = record.find(name);
    return it == record.end() ? std::string() : it->second;
}

}  // namespace

std::string beijing_minute_text(std::chrono::sys_seconds t) {
    return text::format_beijing(t, "%Y-%m-%d %H:%M");
}

std::string format_application_id(std::chrono::sys_seconds submitted, long long sequence) {
    const std::string text = beijing_minute_text(submitted);  // "yyyy-mm-dd HH:MM"
    char digits[16];
    std::snprintf(digits, sizeof digits, "%06lld", sequence % 1000000);
    return "RH" + text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2) + digits;
}

bool is_application_id(std::string_view text) {
    return text.size() == 16 && text.substr(0, 2) == "RH" &&
           text.find_first_not_of("0123456789", 2) == std::string_view::npos;
}

std::string status_text(std::string_view status) {
    if (status == "received") return "已受理，审核中";
    if (status == "approved") return "已通过";
    if (status == "rejected") return "未通过";
    return "处理中";
}

ApplicationStore::ApplicationStore(std::shared_ptr<redis::Client> redis,
                                   const crypto::SealedBox& box, std::string key_prefix)
    : redis_(std::move(redis)), box_(box), prefix_(std::move(key_prefix)) {}

std::string ApplicationStore::app_key(std::string_view id) const {
    return prefix_ + "app:{" + std::string(id) + "}";
}

boost::asio::awaitable<SubmitResult> ApplicationStore::submit(NewApplication a) {
    // The common duplicate is answered without drawing a number, so numbers have no gaps
    // except when two submits of one ID number race (the ID number's claim still decides).
    if (auto existing = co_await active_for_id_card(a.id_card))
        co_return co_await existing_result(std::move(*existing), a);
    const std::string submitted_text = beijing_minute_text(a.submitted);
    const std::string day =
        submitted_text.substr(0, 4) + submitted_text.substr(5, 2) + submitted_text.substr(8, 2);
    const std::string seq_key = prefix_ + "app:seq:" + day;
    std::vector<std::vector<std::string>> seq_commands{{"INCR", seq_key},
                                                       {"EXPIRE", seq_key, "259200"}};
    auto seq = co_await redis_->pipeline(std::move(seq_commands));
    if (seq.empty() || !seq[0].is_integer())
        throw std::runtime_error("application sequence failed");
    const std::string id = format_application_id(a.submitted, seq[0].integer);
    auto intent = prepare_submit(a, id);
    intent.entry = co_await record_submit_intent(intent);
    const auto outcome = co_await run_submit_steps(intent);
    // Sentinel: the driver is told "submitted" only once a replica has it too (docs/DESIGN.md
    // "Redis Sentinel"); a shortfall throws and the turn answers 503, the retry finds it stored.
    if (redis_->waits_for_replicas()) co_await redis_->wait_for_replicas();
    SubmitResult result;
    if (outcome == "used") {
        result.link_used = true;
        co_return result;
    }
    std::string stored_id = outcome;  // named (docs/coroutines.md)
    if (outcome == "new") stored_id = id;
    auto stored = co_await get(std::move(stored_id));
    if (!stored) throw std::runtime_error("application vanished after submit");
    if (outcome != "new") co_return co_await existing_result(std::move(*stored), a);
    result.created = true;
    result.application = std::move(*stored);
    co_return result;
}

ApplicationStore::SubmitIntent ApplicationStore::prepare_submit(const NewApplication& a,
                                                                const std::string& id) const {
    const bool claims_link = !a.link_claim_key.empty() && a.link_claim_ttl.count() > 0;
    const std::string id_hash = box_.lookup_hash(a.id_card);
    const bool pool = a.employer.empty();
    const auto deadline = a.deadline.time_since_epoch().count();
    const auto submitted = a.submitted.time_since_epoch().count();
    auto ad = [&](std::string_view field) { return "app:" + id + ":" + std::string(field); };

    std::map<std::string, std::string> record{
        {"id", id},
        {"status", "received"},
        {"reason", ""},
        {"district", a.district},
        {"channel", a.channel},
        {"driver", a.driver},
        {"submitted_at", std::to_string(submitted)},
        {"deadline", std::to_string(deadline)},
        {"deadline_text", beijing_minute_text(a.deadline)},
        {"employer", a.employer},
        {"turnover_pool", pool ? "1" : "0"},
        {"occupation", std::string(kOccupationTruckDriver)},
        {"name", box_.seal(a.name, ad("name"))},
        {"id_card", box_.seal(a.id_card, ad("id_card"))},
        {"mobile", box_.seal(a.mobile, ad("mobile"))},
        {"plate", box_.seal(a.plate, ad("plate"))},
        {"id_hash", id_hash},
        {"mobile_hash", box_.lookup_hash(a.mobile)},
        {"promoter", a.promoter},
    };
    SubmitIntent intent;
    intent.id = id;
    intent.record = std::move(record);
    if (claims_link) {
        intent.link_claim_key = a.link_claim_key;
        intent.link_claim_ttl = a.link_claim_ttl;
    }
    return intent;
}

std::string ApplicationStore::submits_key() const { return prefix_ + "{join}:submits"; }

boost::asio::awaitable<std::string> ApplicationStore::record_submit_intent(
    const SubmitIntent& intent) {
    std::vector<std::string> add{"XADD",
                                 submits_key(),
                                 "*",
                                 "id",
                                 intent.id,
                                 "record",
                                 nlohmann::json(intent.record).dump(),
                                 "link",
                                 intent.link_claim_key,
                                 "link_ttl",
                                 std::to_string(intent.link_claim_ttl.count())};
    const auto added = co_await redis_->exec(std::move(add));
    if (!added.is_string()) throw std::runtime_error("application intent failed: " + added.str);
    co_return added.str;
}

boost::asio::awaitable<std::string> ApplicationStore::run_submit_steps(const SubmitIntent& intent) {
    const std::string& id = intent.id;
    const auto& record = intent.record;
    std::string outcome = "new";
    const bool claims_link = !intent.link_claim_key.empty() && intent.link_claim_ttl.count() > 0;
    if (claims_link) {
        std::vector<std::string> keys{intent.link_claim_key};
        std::vector<std::string> args{id, std::to_string(intent.link_claim_ttl.count())};
        const auto claimed = co_await redis_->eval(kClaimLink, std::move(keys), std::move(args));
        if (claimed.is_error()) throw std::runtime_error("join link claim: " + claimed.str);
        if (claimed.integer == 0) outcome = "used";
    }
    if (outcome == "new") {
        std::vector<std::string> keys{app_key(id)};
        std::vector<std::string> fields;
        for (const auto& [field, value] : record) {
            fields.push_back(field);
            fields.push_back(value);
        }
        const auto written =
            co_await redis_->eval(kWriteRecord, std::move(keys), std::move(fields));
        if (written.is_error()) throw std::runtime_error("application record: " + written.str);
        // The one-per-ID rule: the index may move off an application that is no longer active.
        std::string replaceable;
        for (int attempt = 0; attempt < 5 && outcome == "new"; ++attempt) {
            std::vector<std::string> idcard{prefix_ + "idcard:{" + field_of(record, "id_hash") +
                                            "}"};
            std::vector<std::string> args{id, replaceable};
            const auto claim =
                co_await redis_->eval(kClaimIdCard, std::move(idcard), std::move(args));
            if (!claim.is_array() || claim.elements.empty())
                throw std::runtime_error("id number claim: " + claim.str);
            if (claim.elements[0].str == "ours") break;
            const std::string holder = claim.elements.at(1).str;
            auto held = co_await get(holder);
            if (held && (held->status == "received" || held->status == "approved")) {
                outcome = holder;
                break;
            }
            replaceable = holder;
        }
        if (outcome != "new") {
            // A duplicate after all (another submit of the ID number won the race): the record
            // nobody indexed goes, and the link stays usable.
            std::vector<std::string> drop{"DEL", app_key(id)};
            co_await redis_->exec(std::move(drop));
            if (claims_link) {
                std::vector<std::string> keys{intent.link_claim_key};
                std::vector<std::string> args{id};
                co_await redis_->eval(kReleaseClaim, std::move(keys), std::move(args));
            }
        }
    }
    if (outcome == "new") {
        const auto indexed = co_await enter_district_queues(
            id, field_of(record, "district"), text::to_int64(field_of(record, "deadline")),
            text::to_int64(field_of(record, "submitted_at")),
            field_of(record, "turnover_pool") == "1");
        if (indexed.is_error()) throw std::runtime_error("district queue: " + indexed.str);
        std::vector<std::vector<std::string>> commands;
        commands.push_back({"SET", mobile_key(field_of(record, "mobile_hash")), id});
        const std::string driver = field_of(record, "driver");
        if (!driver.empty()) commands.push_back({"SET", driver_key(driver), id});
        const std::string promoter = field_of(record, "promoter");
        if (!promoter.empty())
            commands.push_back({"ZADD", prefix_ + "promo:{" + promoter + "}:apps",
                                field_of(record, "submitted_at"), id});
        const auto replies = co_await redis_->pipeline(std::move(commands));
        for (const auto& reply : replies)
            if (reply.is_error()) throw std::runtime_error("application index: " + reply.str);
    }
    std::vector<std::string> done{"XDEL", submits_key(), intent.entry};
    co_await redis_->exec(std::move(done));
    co_return outcome;
}

boost::asio::awaitable<redis::Reply> ApplicationStore::enter_district_queues(std::string id,
                                                                             std::string district,
                                                                             std::int64_t deadline,
                                                                             std::int64_t submitted,
                                                                             bool pool) {
    std::vector<std::string> keys{prefix_ + "district:{" + district + "}:pending",
                                  prefix_ + "district:{" + district + "}:received",
                                  prefix_ + "district:{" + district + "}:pool"};
    std::string pool_flag = "0";  // named: no ?: inside a co_await (docs/coroutines.md)
    if (pool) pool_flag = "1";
    std::vector<std::string> args{std::move(id), std::to_string(deadline),
                                  std::to_string(submitted), std::move(pool_flag)};
    co_return co_await redis_->eval(kIndexInDistrict, std::move(keys), std::move(args));
}

boost::asio::awaitable<std::size_t> ApplicationStore::recover_submits(
    std::chrono::milliseconds older_than) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::vector<std::string> range{
        "XRANGE", submits_key(), "-", std::to_string(now_ms - older_than.count()), "COUNT", "100"};
    const auto entries = co_await redis_->exec(std::move(range));
    std::size_t completed = 0;
    const auto read = redis::stream_entries(entries);
    for (const auto& entry : read) {
        SubmitIntent intent;
        intent.entry = entry.id;
        intent.id = entry.field("id");
        intent.link_claim_key = entry.field("link");
        intent.link_claim_ttl = std::chrono::seconds(text::to_int64(entry.field("link_ttl")));
        const auto parsed = nlohmann::json::parse(entry.field("record"), nullptr, false);
        if (parsed.is_object())
            for (const auto& [field, stored] : parsed.items())
                if (stored.is_string()) intent.record[field] = stored.get<std::string>();
        try {
            co_await run_submit_steps(intent);
        } catch (const std::exception&) {
            // One that cannot be finished now must hold up neither the others nor the sweep: it
            // stays in the stream and is tried again on the next pass.
            continue;
        }
        ++completed;
    }
    co_return completed;
}

boost::asio::awaitable<SubmitResult> ApplicationStore::existing_result(Application existing,
                                                                       const NewApplication& a) {
    SubmitResult result;
    result.application = std::move(existing);
    // The phone proved by SMS code is the one that applied: his own application, so his chat may
    // find it from now on (a web applicant who later starts the chat flow).
    result.same_applicant = !a.mobile.empty() && result.application.mobile == a.mobile;
    if (result.same_applicant && !a.driver.empty()) {
        std::vector<std::string> command{"SET", driver_key(a.driver), result.application.id};
        co_await redis_->exec(std::move(command));
    }
    co_return result;
}

std::string ApplicationStore::mobile_key(std::string_view mobile_hash) const {
    return prefix_ + "mobile:{" + std::string(mobile_hash) + "}:application";
}

std::optional<Application> ApplicationStore::parse(const redis::Reply& hash) const {
    if (!hash.is_array() || hash.elements.empty()) return std::nullopt;
    std::map<std::string, std::string> f;
    for (std::size_t i = 0; i + 1 < hash.elements.size(); i += 2)
        f[hash.elements[i].str] = hash.elements[i + 1].str;
    const std::string id = f["id"];
    auto open = [&](const char* field) {
        auto opened = box_.open(f[field], "app:" + id + ":" + field);
        return opened ? *opened : std::string();
    };
    Application a;
    a.id = id;
    a.status = f["status"];
    a.reason = f["reason"];
    a.district = f["district"];
    a.channel = f["channel"];
    a.driver = f["driver"];
    a.submitted_at = text::to_int64(f["submitted_at"]);
    a.deadline = text::to_int64(f["deadline"]);
    a.deadline_text = f["deadline_text"];
    a.employer = f["employer"];
    a.turnover_pool = f["turnover_pool"] == "1";
    a.occupation = f["occupation"];
    a.name = open("name");
    a.id_card = open("id_card");
    a.mobile = open("mobile");
    a.plate = open("plate");
    a.decided_at = text::to_int64(f["decided_at"]);
    a.decided_by = f["decided_by"];
    a.sms_id = f["sms_id"];
    a.moved_from = f["moved_from"];
    a.transferred_to = f["transferred_to"];
    a.promoter = f["promoter"];
    a.transferred_at = text::to_int64(f["transferred_at"]);
    a.reminded_at = text::to_int64(f["reminded_at"]);
    a.escalated_at = text::to_int64(f["escalated_at"]);
    return a;
}

boost::asio::awaitable<std::optional<Application>> ApplicationStore::get(std::string id) {
    std::vector<std::string> command{"HGETALL", app_key(id)};
    auto reply = co_await redis_->exec(std::move(command));
    co_return parse(reply);
}

boost::asio::awaitable<std::vector<Application>> ApplicationStore::get_many(
    std::vector<std::string> ids) {
    std::vector<Application> found;
    if (ids.empty()) co_return found;
    std::vector<std::vector<std::string>> commands;
    commands.reserve(ids.size());
    for (const auto& id : ids) commands.push_back({"HGETALL", app_key(id)});
    const auto replies = co_await redis_->pipeline(std::move(commands));
    for (const auto& reply : replies)
        if (auto application = parse(reply)) found.push_back(std::move(*application));
    co_return found;
}

boost::asio::awaitable<std::optional<Application>> ApplicationStore::latest_for_mobile(
    std::string mobile) {
    std::vector<std::string> command{"GET", mobile_key(box_.lookup_hash(mobile))};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_string()) co_return std::nullopt;
    co_return co_await get(reply.str);
}

std::string ApplicationStore::driver_key(std::string_view driver) const {
    return prefix_ + "driver:{" + std::string(driver) + "}:application";
}

boost::asio::awaitable<std::optional<Application>> ApplicationStore::latest_for_driver(
    std::string driver) {
    std::vector<std::string> command{"GET", driver_key(driver)};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_string()) co_return std::nullopt;
    co_return co_await get(reply.str);
}

boost::asio::awaitable<std::optional<Application>> ApplicationStore::active_for_id_card(
    std::string id_card) {
    std::vector<std::string> command{"GET", prefix_ + "idcard:{" + box_.lookup_hash(id_card) + "}"};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_string()) co_return std::nullopt;
    auto application = co_await get(reply.str);
    if (!application || (application->status != "received" && application->status != "approved"))
        co_return std::nullopt;
    co_return application;
}

}  // namespace kayou::members
