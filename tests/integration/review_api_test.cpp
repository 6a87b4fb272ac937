// The review console end to end: the real kayou binary, a real redis-server and a fake SMS
// provider on loopback that checks the TC3 signature. Applications are put in Redis by the test
// through the same members::ApplicationStore the join dialog uses (sealed with kayou's key).
// Proves: approve -> the driver's SMS request in under a second, reject with a reason, the queue
// by deadline with masked data, a district admin's 403 on other districts, move, turnover-pool
// transfer, stats with the on-time rate, kill -9 between approve and send, reminders and
// escalation by SMS, each exactly once.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "members/application_store.hpp"
#include "members/calendar.hpp"
#include "notify/templates.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kCityToken = "review-test-city";
constexpr const char* kWujinToken = "review-test-wujin";
constexpr const char* kTianningToken = "review-test-tianning";
constexpr const char* kEditorToken = "review-test-editor";
constexpr const char* kReviewerPhone = "13900000001";
constexpr const char* kCityAdminPhone = "13900000009";

std::string token_yaml(const char* name, const char* token, const char* role,
                       const char* districts = "[]") {
    return std::string("    - name: ") + name +
           "\n      token_sha256: " + crypto::sha256_hex(token) + "\n      role: " + role +
           "\n      districts: " + districts + "\n";
}

struct ReviewSetup {
    SmsSetup sms;
    bool sender = true;
    bool sweep = false;
    std::string calendar_dir;  // "" = the shipped config/calendar
};

KayouProcess::Options kayou_options(const FakeSmsProvider& fake, const ReviewSetup& setup) {
    KayouProcess::Options options;
    options.redis_port = RedisServer::shared().port();
    SmsSetup sms = setup.sms;
    if (!setup.sender) sms.sender_extra += "    enabled: false\n";
    options.extra_yaml = sms_yaml(fake, sms);
    // The same template twice to one phone within 30 s is held by default; these tests send a
    // driver an approval right after a progress answer (the limit has its own test).
    options.extra_yaml += "  limits:\n    same_template_interval_s: 0\n";
    options.extra_yaml +=
        "admin:\n  tokens:\n" + token_yaml("city-li", kCityToken, "city_admin") +
        token_yaml("wujin-wang", kWujinToken, "district_admin", "[wujin]") +
        token_yaml("tianning-zhou", kTianningToken, "district_admin", "[tianning]") +
        token_yaml("editor-zhao", kEditorToken, "faq_editor");
    options.extra_yaml +=
        "review:\n  sweep_enabled: " + std::string(setup.sweep ? "true" : "false") +
        "\n  sweep_interval_s: 1\n  reminder_lead_min: 120\n  only_in_office_hours: false\n"
        "  reviewers:\n    - {phone: \"" +
        kReviewerPhone +
        "\", districts: [wujin]}\n"
        "  city_admins:\n    - {phone: \"" +
        kCityAdminPhone + "\"}\n";
    if (!setup.calendar_dir.empty())
        options.extra_yaml += "members:\n  calendar_dir: " + setup.calendar_dir + "\n";
    return options;
}

KayouProcess start_kayou(const FakeSmsProvider& fake, const ReviewSetup& setup) {
    return KayouProcess(kayou_options(fake, setup));
}

Headers bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

struct Answer {
    int status = 0;
    json body;
};

Answer call(const KayouProcess& kayou, const std::string& method, const std::string& target,
            const char* token, const std::string& body = {}) {
    auto result = http_request(kayou.port(), method, target, body, bearer(token), 5s);
    Answer answer{result.status, json::parse(result.body, nullptr, false)};
    return answer;
}

// The test's side of Redis: the same application store as kayou's join dialog.
class Applications {
public:
    explicit Applications(const std::string& prefix)
        : outbox_(prefix), store_(outbox_.client(), outbox_.box(), prefix) {}

    // A driver's application with its submission and deadline `submitted_ago` / `deadline_in`
    // seconds from now; returns its number.
    std::string submit(const std::string& district, const std::string& mobile,
                       std::int64_t deadline_in, const std::string& employer = "顺丰速运",
                       std::int64_t submitted_ago = 3600) {
        static int counter = 0;
        members::NewApplication a;
        a.name = "张三丰";
        char id[32];
        std::snprintf(id, sizeof id, "32010219900101%04d", ++counter % 10000);
        a.id_card = id;  // unique per call; the store does not validate check digits
        a.mobile = mobile;
        a.plate = "苏D12345";
        a.district = district;
        a.employer = employer;
        a.channel = "bridge";
        a.driver = "bridge:wxid_" + mobile;
        const auto now = unix_now();
        a.submitted = std::chrono::sys_seconds(std::chrono::seconds(now - submitted_ago));
        a.deadline = std::chrono::sys_seconds(std::chrono::seconds(now + deadline_in));
        auto result = outbox_.run(store_.submit(std::move(a)));
        EXPECT_TRUE(result.created);
        return result.application.id;
    }

    members::Application get(const std::string& id) {
        auto found = outbox_.run(store_.get(id));
        return found ? *found : members::Application{};
    }

    Outbox& outbox() { return outbox_; }

private:
    Outbox outbox_;
    members::ApplicationStore store_;
};

std::vector<FakeSmsRequest> requests_to(const FakeSmsProvider& fake, const std::string& phone) {
    std::vector<FakeSmsRequest> found;
    for (auto& request : fake.requests())
        if (request.phone == "+86" + phone) found.push_back(request);
    return found;
}

std::string today_beijing() {
    return text::format_date(
        text::beijing_date(std::chrono::sys_seconds(std::chrono::seconds(unix_now()))));
}

std::string days_ago_beijing(int days) {
    return text::format_date(text::beijing_date(
        std::chrono::sys_seconds(std::chrono::seconds(unix_now() - days * 86'400))));
}

// Each test: its own key prefix, fake provider and kayou; the test's own Redis view.
class ReviewApi : public ::testing::Test {
protected:
    FakeSmsProvider fake;
    ReviewSetup setup;

    KayouProcess& start() {
        kayou_.emplace(kayou_options(fake, setup));
        EXPECT_TRUE(kayou_->wait_ready());
        return *kayou_;
    }
    Applications& applications() {
        if (!apps_) apps_ = std::make_unique<Applications>(setup.sms.prefix);
        return *apps_;
    }

private:
    std::optional<KayouProcess> kayou_;
    std::unique_ptr<Applications> apps_;
};

TEST_F(ReviewApi, ApproveSendsTheDriversSmsWithinOneSecond) {
    auto& kayou = start();
    auto& apps = applications();
    const auto later = apps.submit("wujin", "13800138100", 7200);
    const auto sooner = apps.submit("wujin", "13800138101", 600);

    // The queue: by deadline, personal data masked.
    auto queue = call(kayou, "GET", "/admin/api/review/queue?district=wujin", kWujinToken);
    ASSERT_EQ(queue.status, 200) << queue.body;
    ASSERT_EQ(queue.body["total"], 2);
    EXPECT_EQ(queue.body["applications"][0]["id"], sooner);
    EXPECT_EQ(queue.body["applications"][1]["id"], later);
    const auto& first = queue.body["applications"][0];
    EXPECT_EQ(first["name"], "张**");
    EXPECT_EQ(first["mobile"], "138****8101");
    EXPECT_EQ(first["id_card"].get<std::string>().substr(0, 4), "3201");
    EXPECT_EQ(queue.body.dump().find("13800138101"), std::string::npos);
    EXPECT_EQ(queue.body.dump().find("3201021990"), std::string::npos);
    // The deadline rule (office hours) is shown with the queue, and when each clock started.
    EXPECT_EQ(queue.body["office_hours"], "08:30-17:30");
    EXPECT_NE(queue.body["deadline_rule"].get<std::string>().find("08:30"), std::string::npos);
    EXPECT_GE(first["counting_from"].get<std::int64_t>(),
              first["submitted_at"].get<std::int64_t>());
    EXPECT_FALSE(first["counting_from_text"].get<std::string>().empty());

    // The full view, for the reviewer, shows everything (and is audited).
    auto full = call(kayou, "GET", "/admin/api/review/applications/" + sooner, kWujinToken);
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.body["mobile"], "13800138101");
    EXPECT_EQ(full.body["name"], "张三丰");
    EXPECT_TRUE(full.body["sms"].is_null());

    const auto clicked = std::chrono::steady_clock::now();
    auto approved =
        call(kayou, "POST", "/admin/api/review/applications/" + sooner + "/approve", kWujinToken);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.body["status"], "approved");
    EXPECT_EQ(approved.body["changed"], true);
    // The promise: approve -> the provider has the signed SMS request within one second.
    ASSERT_TRUE(fake.wait_for_requests(1, 1000ms)) << kayou.log();
    EXPECT_LT(std::chrono::steady_clock::now() - clicked, 1000ms);
    const auto sent = requests_to(fake, "13800138101");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].params, std::vector<std::string>{sooner});
    EXPECT_EQ(sent[0].message_id, approved.body["sms_id"]);
    EXPECT_EQ(fake.bad_signatures(), 0u);

    // Delivery state on the application; the queue no longer has it.
    const std::string sms_id = approved.body["sms_id"];
    EXPECT_EQ(apps.outbox().wait_state(sms_id, "sent"), "sent");
    full = call(kayou, "GET", "/admin/api/review/applications/" + sooner, kWujinToken);
    EXPECT_EQ(full.body["status"], "approved");
    EXPECT_EQ(full.body["decided_by"], "wujin-wang");
    EXPECT_EQ(full.body["sms"]["state"], "sent");
    EXPECT_EQ(full.body["sms"]["template"], "approval");
    queue = call(kayou, "GET", "/admin/api/review/queue?district=wujin", kWujinToken);
    EXPECT_EQ(queue.body["total"], 1);

    // A double click changes nothing and sends nothing; rejecting it now is a conflict.
    auto again =
        call(kayou, "POST", "/admin/api/review/applications/" + sooner + "/approve", kWujinToken);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body["changed"], false);
    auto conflict = call(kayou, "POST", "/admin/api/review/applications/" + sooner + "/reject",
                         kWujinToken, R"({"reason":"资料不全"})");
    EXPECT_EQ(conflict.status, 409);
    EXPECT_EQ(conflict.body["status"], "approved");
    EXPECT_EQ(apps.get(sooner).status, "approved");

    // Nothing personal in kayou's log.
    EXPECT_EQ(kayou.log().find("13800138101"), std::string::npos);
    EXPECT_EQ(kayou.log().find("张三丰"), std::string::npos);
    // The audit trail names the reviewer and the action.
    auto audit = apps.outbox().run(apps.outbox().client()->exec(
        std::vector<std::string>{"XRANGE", setup.sms.prefix + "audit", "-", "+"}));
    std::string actions;
    for (const auto& entry : audit.elements)
        for (const auto& field : entry.elements.at(1).elements) actions += field.str + " ";
    EXPECT_NE(actions.find("application.view"), std::string::npos);
    EXPECT_NE(actions.find("application.approve"), std::string::npos);
    EXPECT_NE(actions.find("wujin-wang"), std::string::npos);
}

TEST_F(ReviewApi, RejectNeedsAReasonAndTellsTheDriverWhy) {
    auto& kayou = start();
    auto& apps = applications();
    const auto id = apps.submit("wujin", "13800138110", 3600);
    const auto path = "/admin/api/review/applications/" + id + "/reject";

    for (const char* bad : {"", "{", R"({"reason":""})", R"({"reason":"见 http://x.cn"})",
                            R"({"reason":"第一行\n第二行"})"}) {
        auto answer = call(kayou, "POST", path, kCityToken, bad);
        EXPECT_EQ(answer.status, 400) << bad;
    }
    EXPECT_EQ(apps.get(id).status, "received");
    auto rejected = call(kayou, "POST", path, kCityToken, R"({"reason":"驾驶证已过期"})");
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    EXPECT_EQ(rejected.body["status"], "rejected");
    ASSERT_TRUE(fake.wait_for_requests(1, 2000ms));
    const auto sent = requests_to(fake, "13800138110");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].params, (std::vector<std::string>{id, "驾驶证已过期"}));
    const auto stored = apps.get(id);
    EXPECT_EQ(stored.reason, "驾驶证已过期");
    EXPECT_EQ(stored.decided_by, "city-li");
}

TEST_F(ReviewApi, DistrictAdminCannotSeeOrActOnAnotherDistrict) {
    auto& kayou = start();
    auto& apps = applications();
    const auto theirs = apps.submit("tianning", "13800138120", 3600);
    const auto base = "/admin/api/review/applications/" + theirs;

    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/queue?district=tianning", kWujinToken).status,
              403);
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/pool?district=tianning", kWujinToken).status,
              403);
    EXPECT_EQ(call(kayou, "GET", base, kWujinToken).status, 403);
    EXPECT_EQ(call(kayou, "POST", base + "/approve", kWujinToken).status, 403);
    EXPECT_EQ(call(kayou, "POST", base + "/reject", kWujinToken, R"({"reason":"不符合"})").status,
              403);
    EXPECT_EQ(call(kayou, "POST", base + "/move", kWujinToken, R"({"district":"wujin"})").status,
              403);
    const auto range = "from=" + today_beijing() + "&to=" + today_beijing();
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/stats?district=tianning&" + range, kWujinToken)
                  .status,
              403);
    // Other roles and no token.
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/queue?district=tianning", kEditorToken).status,
              403);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/admin/api/review/queue?district=tianning").status,
              401);
    // Nothing changed, nothing sent.
    EXPECT_EQ(apps.get(theirs).status, "received");
    EXPECT_EQ(apps.get(theirs).district, "tianning");
    EXPECT_TRUE(fake.requests().empty());

    // Its own lists only show its district; the city admin sees all and can act.
    auto districts = call(kayou, "GET", "/admin/api/review/districts", kWujinToken);
    ASSERT_EQ(districts.status, 200);
    ASSERT_EQ(districts.body["districts"].size(), 1u);
    EXPECT_EQ(districts.body["districts"][0]["id"], "wujin");
    auto all = call(kayou, "GET", "/admin/api/review/districts", kCityToken);
    EXPECT_GE(all.body["districts"].size(), 7u);
    EXPECT_EQ(call(kayou, "POST", base + "/approve", kCityToken).status, 200);
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/queue?district=nowhere", kCityToken).status,
              404);
}

TEST_F(ReviewApi, MoveBetweenDistrictsKeepsTheDeadline) {
    auto& kayou = start();
    auto& apps = applications();
    const auto id = apps.submit("wujin", "13800138130", 5000, "");
    const auto deadline = apps.get(id).deadline;
    const auto path = "/admin/api/review/applications/" + id + "/move";

    EXPECT_EQ(call(kayou, "POST", path, kWujinToken, R"({"district":"atlantis"})").status, 400);
    auto moved = call(kayou, "POST", path, kWujinToken, R"({"district":"jingkai"})");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved.body["district"], "jingkai");
    EXPECT_EQ(moved.body["changed"], true);
    EXPECT_EQ(apps.get(id).deadline, deadline);
    EXPECT_EQ(apps.get(id).moved_from, "wujin");

    auto wujin = call(kayou, "GET", "/admin/api/review/queue?district=wujin", kCityToken);
    EXPECT_EQ(wujin.body["total"], 0);
    auto jingkai = call(kayou, "GET", "/admin/api/review/queue?district=jingkai", kCityToken);
    ASSERT_EQ(jingkai.body["total"], 1);
    EXPECT_EQ(jingkai.body["applications"][0]["deadline"], deadline);
    // The turnover-pool entry moved along with it.
    auto pool = call(kayou, "GET", "/admin/api/review/pool?district=jingkai", kCityToken);
    EXPECT_EQ(pool.body["total"], 1);
    // Once moved away, the wujin reviewer no longer reaches it.
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/applications/" + id, kWujinToken).status, 403);
    // A decided application does not move.
    ASSERT_EQ(
        call(kayou, "POST", "/admin/api/review/applications/" + id + "/approve", kCityToken).status,
        200);
    EXPECT_EQ(call(kayou, "POST", path, kCityToken, R"({"district":"wujin"})").status, 409);
}

TEST_F(ReviewApi, TurnoverPoolMemberIsTransferredOnceApproved) {
    auto& kayou = start();
    auto& apps = applications();
    const auto pooled = apps.submit("wujin", "13800138140", 3600, "");
    apps.submit("wujin", "13800138141", 3600, "某物流公司");  // has an employer: not in the pool
    const auto base = "/admin/api/review/applications/" + pooled;

    auto pool = call(kayou, "GET", "/admin/api/review/pool?district=wujin", kWujinToken);
    ASSERT_EQ(pool.status, 200);
    ASSERT_EQ(pool.body["total"], 1);
    EXPECT_EQ(pool.body["applications"][0]["id"], pooled);
    EXPECT_EQ(pool.body["applications"][0]["turnover_pool"], true);

    const auto transfer = R"({"union":"湖塘镇物流行业工会联合会"})";
    EXPECT_EQ(call(kayou, "POST", base + "/transfer", kWujinToken, transfer).status, 409);
    EXPECT_EQ(call(kayou, "POST", base + "/transfer", kWujinToken, R"({"union":"x"})").status, 400);
    ASSERT_EQ(call(kayou, "POST", base + "/approve", kWujinToken).status, 200);
    auto done = call(kayou, "POST", base + "/transfer", kWujinToken, transfer);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.body["transferred_to"], "湖塘镇物流行业工会联合会");
    EXPECT_EQ(
        call(kayou, "GET", "/admin/api/review/pool?district=wujin", kWujinToken).body["total"], 0);
    EXPECT_EQ(call(kayou, "POST", base + "/transfer", kWujinToken, transfer).body["changed"],
              false);
    EXPECT_EQ(
        call(kayou, "POST", base + "/transfer", kWujinToken, R"({"union":"另一个工会"})").status,
        409);
}

TEST_F(ReviewApi, StatsCountOnTimeAndOverdue) {
    auto& kayou = start();
    auto& apps = applications();
    // Submitted two days ago, deadline yesterday: decided now -> late.
    const auto late = apps.submit("wujin", "13800138150", -86'400, "顺丰", 2 * 86'400);
    const auto on_time = apps.submit("wujin", "13800138151", 3600);
    const auto rejected = apps.submit("wujin", "13800138152", 3600);
    apps.submit("wujin", "13800138153", -60, "顺丰", 86'400);  // pending and overdue
    apps.submit("wujin", "13800138154", 3600);                 // pending
    apps.submit("tianning", "13800138155", 3600);              // another district
    for (const auto& id : {late, on_time})
        ASSERT_EQ(
            call(kayou, "POST", "/admin/api/review/applications/" + id + "/approve", kWujinToken)
                .status,
            200);
    ASSERT_EQ(call(kayou, "POST", "/admin/api/review/applications/" + rejected + "/reject",
                   kWujinToken, R"({"reason":"重复申请"})")
                  .status,
              200);

    const auto range = "from=" + days_ago_beijing(3) + "&to=" + today_beijing();
    auto stats = call(kayou, "GET", "/admin/api/review/stats?" + range, kWujinToken);
    ASSERT_EQ(stats.status, 200) << stats.body;
    ASSERT_EQ(stats.body["districts"].size(), 1u);
    const auto& wujin = stats.body["districts"][0];
    EXPECT_EQ(wujin["district"], "wujin");
    EXPECT_EQ(wujin["received"], 5);
    EXPECT_EQ(wujin["approved"], 2);
    EXPECT_EQ(wujin["rejected"], 1);
    EXPECT_EQ(wujin["pending"], 2);
    EXPECT_EQ(wujin["overdue"], 1);
    EXPECT_EQ(wujin["decided_late"], 1);
    EXPECT_NEAR(wujin["on_time_rate"].get<double>(), 2.0 / 3.0, 1e-9);

    auto city = call(kayou, "GET", "/admin/api/review/stats?" + range, kCityToken);
    bool saw_tianning = false;
    for (const auto& row : city.body["districts"])
        if (row["district"] == "tianning") {
            saw_tianning = true;
            EXPECT_EQ(row["received"], 1);
            EXPECT_TRUE(row["on_time_rate"].is_null());
        }
    EXPECT_TRUE(saw_tianning);
    EXPECT_EQ(
        call(kayou, "GET", "/admin/api/review/stats?from=2026-13-01&to=2026-12-01", kCityToken)
            .status,
        400);
}

TEST_F(ReviewApi, KillNineBetweenApproveAndSendStillSendsExactlyOnce) {
    setup.sender = false;  // the first process approves and dies before any send
    std::string id, sms_id;
    {
        auto first = start_kayou(fake, setup);
        ASSERT_TRUE(first.wait_ready());
        id = applications().submit("wujin", "13800138160", 3600);
        auto approved =
            call(first, "POST", "/admin/api/review/applications/" + id + "/approve", kWujinToken);
        ASSERT_EQ(approved.status, 200);
        sms_id = approved.body["sms_id"];
        first.kill9();
    }
    EXPECT_TRUE(fake.requests().empty());
    setup.sender = true;
    auto& second = start();
    auto& apps = applications();
    ASSERT_TRUE(fake.wait_for_requests(1, 5000ms)) << second.log();
    EXPECT_EQ(apps.outbox().wait_state(sms_id, "sent"), "sent");
    // A later, unrelated approval goes out too; the first one is still sent exactly once.
    const auto other = apps.submit("wujin", "13800138161", 3600);
    ASSERT_EQ(
        call(second, "POST", "/admin/api/review/applications/" + other + "/approve", kWujinToken)
            .status,
        200);
    ASSERT_TRUE(fake.wait_for_requests(2, 3000ms));
    EXPECT_EQ(fake.count_for(sms_id), 1u);
    EXPECT_EQ(requests_to(fake, "13800138160").size(), 1u);
}

TEST_F(ReviewApi, PermanentSmsFailureAlertsTheDistrictsReviewer) {
    using Behaviour = FakeSmsProvider::Behaviour;
    const Behaviour refused{Behaviour::Kind::error_code, "FailedOperation.ContainSensitiveWord"};
    fake.script({refused, refused});
    auto& kayou = start();
    auto& apps = applications();
    const auto ours = apps.submit("wujin", "13800138190", 3600);
    const auto theirs = apps.submit("tianning", "13800138191", 3600);
    const auto approve = [&](const std::string& id) {
        return call(kayou, "POST", "/admin/api/review/applications/" + id + "/approve", kCityToken)
            .body.value("sms_id", "");
    };
    const auto our_sms = approve(ours);
    const auto their_sms = approve(theirs);
    EXPECT_EQ(apps.outbox().wait_state(our_sms, "failed"), "failed");
    EXPECT_EQ(apps.outbox().wait_state(their_sms, "failed"), "failed");

    auto full = call(kayou, "GET", "/admin/api/review/applications/" + ours, kWujinToken);
    ASSERT_EQ(full.status, 200) << kayou.log();
    EXPECT_EQ(full.body["sms"]["state"], "failed");
    EXPECT_NE(full.body["sms"]["reason"].get<std::string>().find("ContainSensitiveWord"),
              std::string::npos);
    auto alerts = call(kayou, "GET", "/admin/api/review/sms-alerts", kWujinToken);
    ASSERT_EQ(alerts.status, 200);
    ASSERT_EQ(alerts.body["alerts"].size(), 1u) << alerts.body;
    EXPECT_EQ(alerts.body["alerts"][0]["application"]["id"], ours);
    EXPECT_EQ(alerts.body["alerts"][0]["application"]["mobile"], "138****8190");
    EXPECT_EQ(alerts.body["alerts"][0]["template"], "approval");
    auto city = call(kayou, "GET", "/admin/api/review/sms-alerts", kCityToken);
    EXPECT_EQ(city.body["alerts"].size(), 2u);
    EXPECT_EQ(call(kayou, "GET", "/admin/api/review/sms-alerts", kEditorToken).status, 403);
}

TEST_F(ReviewApi, DriverAsksProgressBySms) {
    auto& kayou = start();
    auto& apps = applications();
    const auto id = apps.submit("wujin", "13800138180", 3600);
    auto reply = [&](const std::string& phone, const std::string& text) {
        const std::string body = R"({"extend":"","mobile":")" + phone +
                                 R"(","nationcode":"86","sign":"卡友工会","text":")" + text +
                                 R"(","time":1700000000})";
        return http_request(kayou.port(), "POST",
                            std::string("/sms/tencent/") + kSmsCallbackToken + "/reply", body)
            .status;
    };
    ASSERT_EQ(reply("13800138180", "进度"), 200);
    ASSERT_TRUE(fake.wait_for_requests(1, 3000ms)) << kayou.log();
    auto answers = requests_to(fake, "13800138180");
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers[0].params, (std::vector<std::string>{id, "已受理，审核中"}));

    // After approval the answer changes; asking twice within the window costs one SMS.
    ASSERT_EQ(call(kayou, "POST", "/admin/api/review/applications/" + id + "/approve", kWujinToken)
                  .status,
              200);
    ASSERT_EQ(reply("13800138180", "查询"), 200);
    ASSERT_EQ(reply("13800138180", "进度"), 200);
    ASSERT_TRUE(fake.wait_for_requests(3, 3000ms)) << kayou.log();
    // A phone without an application is told so (template without parameters).
    ASSERT_EQ(reply("13800138189", "进度"), 200);
    ASSERT_TRUE(fake.wait_for_requests(4, 3000ms)) << kayou.log();
    answers = requests_to(fake, "13800138180");
    ASSERT_EQ(answers.size(), 3u);  // progress, approval, progress (once)
    std::vector<std::string> statuses;
    for (const auto& a : answers)
        if (a.params.size() == 2) statuses.push_back(a.params[1]);
    EXPECT_EQ(statuses, (std::vector<std::string>{"已受理，审核中", "已通过"}));
    const auto none = requests_to(fake, "13800138189");
    ASSERT_EQ(none.size(), 1u);
    EXPECT_TRUE(none[0].params.empty());
}

TEST_F(ReviewApi, ConsolePageIsServedWithStrictHeaders) {
    auto& kayou = start();
    auto page = http_request(kayou.port(), "GET", "/admin");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<script src=\"/admin/console.js\"></script>"), std::string::npos);
    std::string csp, frame;
    for (const auto& [name, value] : page.headers) {
        if (name == "Content-Security-Policy" || name == "content-security-policy") csp = value;
        if (name == "X-Frame-Options" || name == "x-frame-options") frame = value;
    }
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(frame, "DENY");
    auto script = http_request(kayou.port(), "GET", "/admin/console.js");
    ASSERT_EQ(script.status, 200);
    EXPECT_NE(script.body.find("/admin/api/review/"), std::string::npos);
    // Data goes into the page as text only.
    EXPECT_EQ(script.body.find("innerHTML"), std::string::npos);
    EXPECT_EQ(script.body.find("localStorage"), std::string::npos);
    // The content tabs' script: same headers, same rules.
    auto content = http_request(kayou.port(), "GET", "/admin/console_content.js");
    ASSERT_EQ(content.status, 200);
    std::string content_csp;
    for (const auto& [name, value] : content.headers)
        if (name == "Content-Security-Policy" || name == "content-security-policy")
            content_csp = value;
    EXPECT_NE(content_csp.find("script-src 'self'"), std::string::npos);
    EXPECT_NE(content.body.find("/admin/api/content/faq/"), std::string::npos);
    for (const char* banned : {"innerHTML", "outerHTML", "insertAdjacentHTML", "localStorage",
                               "eval(", "document.write"})
        EXPECT_EQ(content.body.find(banned), std::string::npos) << banned;
    EXPECT_NE(page.body.find("<script src=\"/admin/console_content.js\"></script>"),
              std::string::npos);
}

// What every console run must show: no console errors, no CSP violations, nothing wider than the
// screen, no raw district ids or English from the API on the page.
void expect_clean_page(const json& page) {
    EXPECT_EQ(page["console"], json::array()) << page.dump();
    EXPECT_EQ(page["csp"], json::array()) << page.dump();
    EXPECT_LE(page["overflow"].get<int>(), 0) << "the page scrolls sideways at " << page["mode"];
    std::string text = page["page_text"];
    // The reviewer's own name (审核人) is the token's name from the config, not a district id.
    for (auto at = text.find("wujin-wang"); at != std::string::npos; at = text.find("wujin-wang"))
        text.erase(at, 10);
    for (const char* leak : {"wujin", "tianning", "approval", "rejection", "http_", "reason is",
                             "not your district", "no such"})
        EXPECT_EQ(text.find(leak), std::string::npos) << leak << " on the page: " << text;
}

TEST_F(ReviewApi, ReviewerApprovesInTheConsolePage) {
    auto& kayou = start();
    auto& apps = applications();
    for (const std::string mode : {"desktop", "phone"}) {
        const std::string tail = mode == "phone" ? "1" : "0";
        const auto first = apps.submit("wujin", "1380013820" + tail, 600);
        const auto second = apps.submit("wujin", "1380013821" + tail, 7200);
        const auto sent_before = fake.requests().size();
        const auto page = reference_console(kayou.port(), kWujinToken, "approve", mode);
        ASSERT_FALSE(page.contains("failure")) << page.dump() << kayou.log();
        ASSERT_EQ(page["districts"].size(), 1u);
        EXPECT_NE(page["districts"][0].get<std::string>().find("武进区（待审 2"),
                  std::string::npos);
        // Counts on the tabs: 2 pending, none in the pool, no failed SMS.
        EXPECT_EQ(page["tabs"],
                  json::array({"待审核 2", "周转池 0", "统计", "短信告警 0", "宣传员"}))
            << page.dump();
        ASSERT_EQ(page["queue"].size(), 2u);
        // Earliest deadline first, masked in the list, in full once opened.
        const std::string card = page["queue"][0];
        EXPECT_NE(card.find(first), std::string::npos);
        EXPECT_NE(card.find("138****820" + tail), std::string::npos);
        EXPECT_EQ(card.find("1380013820" + tail), std::string::npos);
        EXPECT_NE(page["shown"].get<std::string>().find("1380013820" + tail), std::string::npos);
        EXPECT_NE(page["shown"].get<std::string>().find("武进区"), std::string::npos);
        // One tap approves.
        EXPECT_NE(page["after"].get<std::string>().find("已通过"), std::string::npos);
        EXPECT_EQ(page["error"], "");
        EXPECT_EQ(page["refused"], json::array()) << page.dump();
        expect_clean_page(page);
        EXPECT_EQ(apps.get(first).status, "approved");
        EXPECT_EQ(apps.get(first).decided_by, "wujin-wang");
        EXPECT_EQ(apps.get(second).status, "received");
        ASSERT_TRUE(fake.wait_for_requests(sent_before + 1, 2000ms)) << kayou.log();
        EXPECT_EQ(requests_to(fake, "1380013820" + tail).size(), 1u);
        // The second stays for the next run's queue; approve it through the API.
        ASSERT_EQ(call(kayou, "POST", "/admin/api/review/applications/" + second + "/approve",
                       kWujinToken)
                      .status,
                  200);
        // Its SMS is out before the next run counts the requests.
        ASSERT_TRUE(fake.wait_for_requests(sent_before + 2, 2000ms)) << kayou.log();
    }
}

// The rejection SMS the driver reads for these parameters (the sender's own rendering).
std::string driver_reads(const std::vector<std::string>& params) {
    const auto catalog = notify::TemplateCatalog::load_file(sms_templates_file());
    return catalog.render("rejection", params).text;
}

TEST_F(ReviewApi, RejectWithATypedReasonSendsExactlyThatReasonFromTheConsolePage) {
    auto& kayou = start();
    auto& apps = applications();
    for (const std::string mode : {"desktop", "phone"}) {
        const std::string tail = mode == "phone" ? "1" : "0";
        const std::string mobile = "1380013830" + tail;
        const std::string typed = mode == "phone" ? "驾驶证照片看不清，请重拍" : "行驶证已过期";
        const auto first = apps.submit("wujin", mobile, 600);
        const auto second = apps.submit("wujin", "1380013831" + tail, 7200);
        const auto sent_before = fake.requests().size();
        const auto page = reference_console(kayou.port(), kWujinToken, "reject", mode, typed);
        ASSERT_FALSE(page.contains("failure")) << page.dump() << kayou.log();

        // The keyboard: Tab from the district select reaches the cards in queue order (each a
        // tab stop, with a visible outline), Shift+Tab goes back, Enter opens, the focus moves
        // to the application's title.
        const json focus = page["focus"];
        const auto order = focus["order"];
        ASSERT_GE(order.size(), 2u) << page.dump();
        EXPECT_EQ(order[0], "item:" + first) << page.dump();
        EXPECT_EQ(order[1], "item:" + second) << page.dump();
        EXPECT_EQ(focus["back"], "item:" + first) << page.dump();
        EXPECT_EQ(focus["after_open"], "application-title") << page.dump();
        EXPECT_EQ(page["outline"].get<std::string>().rfind("none", 0), std::string::npos)
            << "the focused card has no visible outline: " << page["outline"];
        // The phone number is a tap-to-call link.
        EXPECT_EQ(page["tel"], "tel:" + mobile);

        // Bad reasons: Chinese errors next to the box, nothing sent.
        EXPECT_NE(page["empty_error"].get<std::string>().find("请填写不通过的原因"),
                  std::string::npos)
            << page.dump();
        EXPECT_EQ(page["empty_focus"], "reject-reason");
        EXPECT_NE(page["link_error"].get<std::string>().find("网址"), std::string::npos)
            << page.dump();
        EXPECT_TRUE(page["link_preview_hidden"].get<bool>());
        EXPECT_EQ(page["error_after_fix"], "");

        // The preview and the confirmation show exactly what the driver reads; 取消 sent
        // nothing and left it pending.
        const std::string expected = driver_reads({first, typed});
        EXPECT_EQ(page["preview"], expected);
        EXPECT_EQ(page["confirm_text"], expected);
        EXPECT_EQ(page["confirm_focus"], "reject-confirm-yes");
        EXPECT_NE(page["confirm"].get<std::string>().find("不能撤回"), std::string::npos);
        EXPECT_NE(page["after_cancel"].get<std::string>().find("待审核"), std::string::npos);
        EXPECT_NE(page["after"].get<std::string>().find("未通过"), std::string::npos);
        EXPECT_NE(page["after"].get<std::string>().find(typed), std::string::npos);

        // The SMS: exactly one, with exactly the typed reason (not the preset tapped before).
        ASSERT_TRUE(fake.wait_for_requests(sent_before + 1, 3000ms)) << kayou.log();
        const auto sent = requests_to(fake, mobile);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent[0].params, (std::vector<std::string>{first, typed}));
        EXPECT_EQ(driver_reads(sent[0].params), page["preview"]);
        const auto stored = apps.get(first);
        EXPECT_EQ(stored.status, "rejected");
        EXPECT_EQ(stored.reason, typed);
        EXPECT_EQ(apps.get(second).status, "received");

        // The only refused requests were the previews of the link the test typed on purpose.
        for (const auto& refused : page["refused"]) {
            EXPECT_EQ(refused[0], 400) << page.dump();
            EXPECT_EQ(refused[1], "/admin/api/review/applications/" + first + "/reject-preview");
        }
        EXPECT_FALSE(page["refused"].empty()) << "the link was refused by the API";
        EXPECT_EQ(page["error"], "");
        expect_clean_page(page);
        ASSERT_EQ(call(kayou, "POST", "/admin/api/review/applications/" + second + "/approve",
                       kWujinToken)
                      .status,
                  200);
        // Its SMS is out before the next run counts the requests.
        ASSERT_TRUE(fake.wait_for_requests(sent_before + 2, 2000ms)) << kayou.log();
    }
}

TEST_F(ReviewApi, DistrictReviewerMovesAMisroutedApplicationToAnyDistrictInTheConsolePage) {
    auto& kayou = start();
    auto& apps = applications();
    const auto all = call(kayou, "GET", "/admin/api/review/districts", kCityToken);
    const std::size_t district_count = all.body["districts"].size();
    for (const std::string mode : {"desktop", "phone"}) {
        const std::string tail = mode == "phone" ? "1" : "0";
        const auto id = apps.submit("wujin", "1380013840" + tail, 600);
        const auto deadline = apps.get(id).deadline;
        const auto page = reference_console(kayou.port(), kWujinToken, "move", mode, "天宁区");
        ASSERT_FALSE(page.contains("failure")) << page.dump() << kayou.log();
        // Every other district is a target, by name, though the reviewer has only wujin.
        const auto targets = page["targets"];
        EXPECT_EQ(targets.size(), district_count) << "a placeholder and the other districts";
        EXPECT_NE(std::find(targets.begin(), targets.end(), "天宁区"), targets.end());
        EXPECT_EQ(std::find(targets.begin(), targets.end(), "武进区"), targets.end());
        EXPECT_NE(page["empty_error"].get<std::string>().find("请先选择"), std::string::npos);
        EXPECT_NE(page["confirm"].get<std::string>().find("转到天宁区"), std::string::npos)
            << page.dump();
        EXPECT_EQ(page["confirm_focus"], "move-confirm-yes");
        EXPECT_NE(page["notice"].get<std::string>().find("已转到天宁区"), std::string::npos);
        EXPECT_TRUE(page["after_queue"].empty()) << page.dump();
        EXPECT_EQ(page["tabs_after"][0], "待审核 0");
        EXPECT_EQ(page["refused"], json::array()) << page.dump();
        expect_clean_page(page);

        // Moved, deadline kept, audited; the receiving district's reviewer sees it, marked.
        const auto moved = apps.get(id);
        EXPECT_EQ(moved.district, "tianning");
        EXPECT_EQ(moved.moved_from, "wujin");
        EXPECT_EQ(moved.deadline, deadline);
        auto queue =
            call(kayou, "GET", "/admin/api/review/queue?district=tianning", kTianningToken);
        ASSERT_EQ(queue.status, 200);
        bool seen = false;
        for (const auto& a : queue.body["applications"])
            if (a["id"] == id) {
                seen = true;
                EXPECT_EQ(a["moved_from_name"], "武进区");
                EXPECT_EQ(a["district_name"], "天宁区");
            }
        EXPECT_TRUE(seen) << queue.body;
        EXPECT_TRUE(fake.requests().empty());
    }
    auto audit = apps.outbox().run(apps.outbox().client()->exec(
        std::vector<std::string>{"XRANGE", setup.sms.prefix + "audit", "-", "+"}));
    std::string actions;
    for (const auto& entry : audit.elements)
        for (const auto& field : entry.elements.at(1).elements) actions += field.str + " ";
    EXPECT_NE(actions.find("application.move"), std::string::npos) << actions;
    EXPECT_NE(actions.find("wujin->tianning"), std::string::npos) << actions;
}

TEST_F(ReviewApi, FailedSmsShowInChineseWithDistrictNamesInTheConsolePage) {
    using Behaviour = FakeSmsProvider::Behaviour;
    const Behaviour refused{Behaviour::Kind::error_code, "FailedOperation.ContainSensitiveWord"};
    fake.script({refused, refused});
    auto& kayou = start();
    auto& apps = applications();
    const auto id = apps.submit("wujin", "13800138600", 3600);
    auto approved =
        call(kayou, "POST", "/admin/api/review/applications/" + id + "/approve", kCityToken);
    ASSERT_EQ(approved.status, 200);
    ASSERT_EQ(apps.outbox().wait_state(approved.body["sms_id"], "failed"), "failed");
    for (const std::string mode : {"desktop", "phone"}) {
        const auto page = reference_console(kayou.port(), kCityToken, "alerts", mode);
        ASSERT_FALSE(page.contains("failure")) << page.dump() << kayou.log();
        const auto tabs = page["tabs"];
        EXPECT_NE(std::find(tabs.begin(), tabs.end(), "短信告警 1"), tabs.end()) << tabs;
        ASSERT_EQ(page["alerts"].size(), 1u) << page.dump();
        const std::string alert = page["alerts"][0];
        EXPECT_NE(alert.find("通过通知"), std::string::npos) << alert;
        EXPECT_NE(alert.find("短信内容含敏感词"), std::string::npos) << alert;
        EXPECT_NE(alert.find("武进区"), std::string::npos) << alert;
        EXPECT_NE(alert.find("138****8600"), std::string::npos) << alert;
        EXPECT_EQ(alert.find("FailedOperation"), std::string::npos) << alert;
        ASSERT_FALSE(page["walk"].empty());
        EXPECT_EQ(page["walk"].back(), "item:" + id) << page["walk"];
        EXPECT_EQ(page["outline"].get<std::string>().rfind("none", 0), std::string::npos);
        EXPECT_EQ(page["after_open"], "application-title");
        const std::string shown = page["shown"];
        EXPECT_NE(shown.find("通过通知：发送失败（短信内容含敏感词"), std::string::npos) << shown;
        EXPECT_NE(shown.find("13800138600"), std::string::npos) << shown;
        EXPECT_EQ(page["refused"], json::array()) << page.dump();
        expect_clean_page(page);
    }
}

TEST_F(ReviewApi, RejectPreviewShowsTheDriversSmsAndChangesNothing) {
    auto& kayou = start();
    auto& apps = applications();
    const auto id = apps.submit("wujin", "13800138500", 3600);
    const auto path = "/admin/api/review/applications/" + id + "/reject-preview";
    auto preview = call(kayou, "POST", path, kWujinToken, R"({"reason":"车牌号与行驶证不符"})");
    ASSERT_EQ(preview.status, 200) << preview.body;
    EXPECT_EQ(preview.body["text"], driver_reads({id, "车牌号与行驶证不符"}));
    EXPECT_EQ(preview.body["segments"], 1);
    EXPECT_EQ(preview.body["reason"], "车牌号与行驶证不符");
    // Bad reasons: 400 with a Chinese message for the page.
    for (const char* bad :
         {"", "{", R"({"reason":""})", R"({"reason":"见 http://x.cn"})",
          R"({"reason":"第一行\n第二行"})",
          R"({"reason":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多"})",
          R"({"reason":"【退订】"})"}) {
        auto answer = call(kayou, "POST", path, kWujinToken, bad);
        EXPECT_EQ(answer.status, 400) << bad;
        const std::string message = answer.body.value("message", "");
        EXPECT_FALSE(message.empty()) << bad << " " << answer.body;
        EXPECT_TRUE(std::none_of(message.begin(), message.end(),
                                 [](char c) { return c >= 'a' && c <= 'z'; }))
            << "in Chinese: " << message;
    }
    // A reason the template cannot carry is refused by reject too (before, the status changed
    // and the SMS failed at the provider).
    auto rejected = call(kayou, "POST", "/admin/api/review/applications/" + id + "/reject",
                         kWujinToken, R"({"reason":"【退订】"})");
    EXPECT_EQ(rejected.status, 400) << rejected.body;
    // Another district's application: 403, in Chinese.
    const auto theirs = apps.submit("tianning", "13800138501", 3600);
    auto denied =
        call(kayou, "POST", "/admin/api/review/applications/" + theirs + "/reject-preview",
             kWujinToken, R"({"reason":"不符合"})");
    EXPECT_EQ(denied.status, 403);
    EXPECT_NE(denied.body.value("message", "").find("区县"), std::string::npos);
    // Nothing changed, nothing sent.
    EXPECT_EQ(apps.get(id).status, "received");
    EXPECT_EQ(apps.get(theirs).status, "received");
    EXPECT_TRUE(fake.requests().empty());
}

bool wait_for_log(const KayouProcess& kayou, const std::string& text,
                  std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (kayou.log().find(text) != std::string::npos) return true;
        http_request(kayou.port(), "GET", "/healthz");  // a round trip instead of a sleep
    }
    return false;
}

TEST_F(ReviewApi, CalendarReloadsOnSighupAndKeepsTheOldOneOnBadData) {
    const std::string dir = "/tmp/kayou-calendar-" + crypto::random_alnum(8);
    std::filesystem::create_directories(dir);
    const std::string shipped = std::string(KAYOU_SOURCE_DIR) + "/config/calendar/";
    std::filesystem::copy_file(shipped + "2026.yaml", dir + "/2026.yaml");
    setup.calendar_dir = dir;
    auto& kayou = start();

    // A broken file: the reload fails loudly and the calendar in use stays.
    std::ofstream(dir + "/2025.yaml") << "year: 2025\nholidays:\n  - {name: x, from: 2025-13-01}\n";
    ::kill(kayou.pid(), SIGHUP);
    ASSERT_TRUE(wait_for_log(kayou, "calendar_reload_failed", 5s)) << kayou.log();
    EXPECT_EQ(kayou.log().find("calendar_reloaded"), std::string::npos);
    ASSERT_TRUE(kayou.wait_ready());

    std::filesystem::copy_file(shipped + "2025.yaml", dir + "/2025.yaml",
                               std::filesystem::copy_options::overwrite_existing);
    ::kill(kayou.pid(), SIGHUP);
    ASSERT_TRUE(wait_for_log(kayou, R"("event":"calendar_reloaded","years":"2025,2026")", 5s))
        << kayou.log();
    std::filesystem::remove_all(dir);
}

// How many review sweeps kayou has completed (its /metrics).
long sweeps_done(const KayouProcess& kayou) {
    auto metrics = http_request(kayou.port(), "GET", "/metrics").body;
    const std::string name = "\nkayou_review_sweeps_total ";  // the sample, not # TYPE
    const auto at = metrics.find(name);
    return at == std::string::npos ? 0 : std::stol(metrics.substr(at + name.size()));
}

// Waits (bounded) until kayou has completed at least `at_least` sweeps.
bool wait_sweeps(const KayouProcess& kayou, long at_least, std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until)
        if (sweeps_done(kayou) >= at_least) return true;
    return false;
}

TEST_F(ReviewApi, RemindsReviewersAndEscalatesOverdueOnce) {
    setup.sweep = true;
    auto& apps = applications();
    // Deadline in 30 min: inside the 2 h lead (and on a working day or moved back before now).
    const auto soon = apps.submit("wujin", "13800138170", 1800);
    const auto soon2 = apps.submit("wujin", "13800138171", 1900);
    // Far away (3 weeks): no reminder yet. Past its deadline: escalated.
    apps.submit("wujin", "13800138172", 21 * 86'400);
    const auto overdue = apps.submit("wujin", "13800138173", -300, "顺丰", 86'400);
    auto& kayou = start();

    ASSERT_TRUE(fake.wait_for_requests(2, 5000ms)) << kayou.log();
    const auto start = sweeps_done(kayou);
    ASSERT_TRUE(wait_sweeps(kayou, start + 2, 10s)) << kayou.log();

    const auto reminders = requests_to(fake, kReviewerPhone);
    ASSERT_EQ(reminders.size(), 1u);
    ASSERT_EQ(reminders[0].params.size(), 2u);
    EXPECT_EQ(reminders[0].params[0], soon + "等2件");
    EXPECT_EQ(reminders[0].params[1], apps.get(soon).deadline_text);
    const auto escalations = requests_to(fake, kCityAdminPhone);
    ASSERT_EQ(escalations.size(), 1u);
    EXPECT_EQ(escalations[0].params, (std::vector<std::string>{"武进区", "1"}));
    // The drivers got nothing.
    EXPECT_EQ(fake.requests().size(), 2u);

    EXPECT_NE(apps.get(soon).reminded_at, 0);
    EXPECT_NE(apps.get(soon2).reminded_at, 0);
    EXPECT_NE(apps.get(overdue).escalated_at, 0);
    EXPECT_EQ(apps.get(overdue).reminded_at, 0);

    const auto range = "from=" + days_ago_beijing(2) + "&to=" + today_beijing();
    auto stats = call(kayou, "GET", "/admin/api/review/stats?district=wujin&" + range, kCityToken);
    ASSERT_EQ(stats.status, 200);
    EXPECT_EQ(stats.body["districts"][0]["reminded"], 2);
    EXPECT_EQ(stats.body["districts"][0]["escalated"], 1);
    auto queue = call(kayou, "GET", "/admin/api/review/queue?district=wujin", kCityToken);
    EXPECT_EQ(queue.body["applications"][0]["escalated"], true);
    EXPECT_EQ(kayou.log().find(kReviewerPhone), std::string::npos);
}

}  // namespace
}  // namespace kayou::test
