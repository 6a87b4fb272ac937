#include "members/application_store.hpp"

#include <cstdio>
#include <map>

#include "redis/client.hpp"
#include "redis/script.hpp"

namespace kayou::members {
namespace {

// KEYS: 1 idcard index, 2 app, 3 pending, 4 pool, 5 driver, 6 received (stats), 7 mobile index,
//       8 join link claim, 9 the promoter's application index (KEYS[2] when none)
// ARGV: 1 app id, 2 deadline, 3 submitted, 4 pool flag, 5 app key prefix ("kayou:app:"),
//       6 driver flag ("1": index KEYS[5]; "0": a web application no chat owns yet),
//       7 link claim TTL in seconds ("0": no link to claim), 8.. field/value pairs of the record
// The link is looked at first and claimed only when the application is stored: a link stays
// usable after a refused duplicate, and is never claimed twice.
const redis::Script kSubmit(R"lua(
local claim_ttl = tonumber(ARGV[7])
if claim_ttl > 0 and redis.call('EXISTS', KEYS[8]) == 1 then
  return {'used', ''}
end
local existing = redis.call('GET', KEYS[1])
if existing then
  local key = ARGV[5] .. '{' .. existing .. '}'
  local status = redis.call('HGET', key, 'status')
  if status == 'received' or status == 'approved' then
    return {'existing', existing}
  end
end
local fields = {}
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[6] == '1' then redis.call('SET', KEYS[5], ARGV[1]) end
if claim_ttl > 0 then redis.call('SET', KEYS[8], ARGV[1], 'EX', claim_ttl) end
redis.call('SET', KEYS[7], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[3], ARGV[1])
if ARGV[4] == '1' then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1]) end
if KEYS[9] ~= KEYS[2] then redis.call('ZADD', KEYS[9], ARGV[3], ARGV[1]) end
return {'new', ARGV[1]}
)lua");

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::int64_t to_int(const std::string& text) {
    try {
        return text.empty() ? 0 : std::stoll(text);
    } catch (...) {
        return 0;
    }
}

}  // namespace

std::string beijing_minute_text(std::chrono::sys_seconds t) {
    using namespace std::chrono;
    const auto local = sys_seconds{t.time_since_epoch() + hours(8)};
    const auto day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss time{local - day};
    return std::to_string(static_cast<int>(date.year())) + "-" +
           two(static_cast<int>(static_cast<unsigned>(date.month()))) + "-" +
           two(static_cast<int>(static_cast<unsigned>(date.day()))) + " " +
           two(static_cast<int>(time.hours().count())) + ":" +
           two(static_cast<int>(time.minutes().count()));
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
    // except when two submits of one ID number race (the script below still decides).
    if (auto existing = co_await active_for_id_card(a.id_card))
        co_return co_await existing_result(std::move(*existing), a);
    const bool claims_link = !a.link_claim_key.empty() && a.link_claim_ttl.count() > 0;
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
    const std::string id_hash = box_.lookup_hash(a.id_card);
    const bool pool = a.employer.empty();
    const auto deadline = a.deadline.time_since_epoch().count();
    const auto submitted = a.submitted.time_since_epoch().count();
    auto ad = [&](std::string_view field) { return "app:" + id + ":" + std::string(field); };

    std::vector<std::string> keys{
        prefix_ + "idcard:{" + id_hash + "}",
        app_key(id),
        prefix_ + "district:{" + a.district + "}:pending",
        prefix_ + "district:{" + a.district + "}:pool",
        a.driver.empty() ? app_key(id) : driver_key(a.driver),
        prefix_ + "district:{" + a.district + "}:received",
        mobile_key(box_.lookup_hash(a.mobile)),
        claims_link ? a.link_claim_key : app_key(id),
        a.promoter.empty() ? app_key(id) : prefix_ + "promo:{" + a.promoter + "}:apps"};
    std::vector<std::string> args{id,
                                  std::to_string(deadline),
                                  std::to_string(submitted),
                                  pool ? "1" : "0",
                                  prefix_ + "app:",
                                  a.driver.empty() ? "0" : "1",
                                  claims_link ? std::to_string(a.link_claim_ttl.count()) : "0"};
    const std::map<std::string, std::string> record{
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
    for (const auto& [field, value] : record) {
        args.push_back(field);
        args.push_back(value);
    }
    auto reply = co_await redis_->eval(kSubmit, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.size() < 2)
        throw std::runtime_error("application submit failed: " + reply.str);
    SubmitResult result;
    if (reply.elements[0].str == "used") {
        result.link_used = true;
        co_return result;
    }
    // Sentinel: the driver is told "submitted" only once a replica has it too (docs/DESIGN.md
    // "Redis Sentinel"); a shortfall throws and the turn answers 503, the retry finds it stored.
    if (redis_->waits_for_replicas()) co_await redis_->wait_for_replicas();
    auto stored = co_await get(reply.elements[1].str);
    if (!stored) throw std::runtime_error("application vanished after submit");
    if (reply.elements[0].str != "new") co_return co_await existing_result(std::move(*stored), a);
    result.created = true;
    result.application = std::move(*stored);
    co_return result;
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
    a.submitted_at = to_int(f["submitted_at"]);
    a.deadline = to_int(f["deadline"]);
    a.deadline_text = f["deadline_text"];
    a.employer = f["employer"];
    a.turnover_pool = f["turnover_pool"] == "1";
    a.occupation = f["occupation"];
    a.name = open("name");
    a.id_card = open("id_card");
    a.mobile = open("mobile");
    a.plate = open("plate");
    a.decided_at = to_int(f["decided_at"]);
    a.decided_by = f["decided_by"];
    a.sms_id = f["sms_id"];
    a.moved_from = f["moved_from"];
    a.transferred_to = f["transferred_to"];
    a.promoter = f["promoter"];
    a.transferred_at = to_int(f["transferred_at"]);
    a.reminded_at = to_int(f["reminded_at"]);
    a.escalated_at = to_int(f["escalated_at"]);
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
