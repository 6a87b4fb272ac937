// The inboxes of the legal desk and of district staff (issue 13 item 2), end to end: the real
// kayou binary, a real redis-server, the group bridge as the driver's chat and the fake SMS
// provider for the SMS that announces an answer.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/node_script.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kBridgeSecret = "bridge-secret-for-desk-inbox-0123";
constexpr const char* kDeskToken = "kayou-demo-legal-desk";
constexpr const char* kCityToken = "kayou-demo-city-admin";
constexpr const char* kWujinStaff = "test-staff-wujin";

std::string config_yaml() {
    return std::string("bridge:\n  enabled: true\n  secret: ") + kBridgeSecret +
           "\nmembers:\n  flow_file: " KAYOU_SOURCE_DIR
           "/config/flows/join.yaml\n  districts_file: " KAYOU_SOURCE_DIR
           "/config/districts.yaml\n  calendar_dir: " KAYOU_SOURCE_DIR
           "/config/calendar\n"
           "admin:\n  tokens:\n"
           "    - name: test-desk\n"
           "      token_sha256: abe5d0f905a4a23da5e1b928319d8de954089433edd3e99d6b0013c589bd8a6d\n"
           "      role: legal_desk\n"
           "    - name: test-city\n"
           "      token_sha256: 7cf14ebc6652aeb761188ceb40a0e7a199f04f85fc277b3ea6f419109c25ea16\n"
           "      role: city_admin\n"
           "    - name: test-staff-wujin\n"
           "      token_sha256: 4ee29291f018966dd683fe781006252c827836cb10cb585e51a23d3c8aaa1cf9\n"
           "      role: staff\n"
           "      districts: [wujin]\n"
           "content:\n  seed_dir: " KAYOU_SOURCE_DIR "/faq/data\n  poll_interval_ms: 100\n";
}

Headers bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

std::string ticket_number_in(const std::string& text) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex("FL[0-9]{12,}"))) return "";
    return match.str();
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

bool has(const json& text, const std::string& part) {
    return text.is_string() && has(text.get<std::string>(), part);
}

// The ticket `number` in `token`'s inbox (GET /admin/api/tickets?state=open), or null.
json in_inbox(std::uint16_t port, const char* token, const std::string& number) {
    auto got = http_request(port, "GET", "/admin/api/tickets?state=open", {}, bearer(token), 5s);
    if (got.status != 200) return nullptr;
    const json body =
        json::parse(got.body);  // named: a range-for over a temporary's member dangles
    for (const auto& t : body["tickets"])
        if (t.value("number", "") == number) return t;
    return nullptr;
}

class DeskInboxTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fake_ = new FakeSmsProvider();
        setup_ = new SmsSetup();
        KayouProcess::Options options;
        options.redis_port = RedisServer::shared().port();
        options.extra_yaml = sms_yaml(*fake_, *setup_) + config_yaml();
        kayou_ = new KayouProcess(options);
        ASSERT_TRUE(kayou_->wait_ready());
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete setup_;
        delete fake_;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::uint16_t redis_port() { return RedisServer::shared().port(); }
    static std::string key(const std::string& suffix) { return setup_->prefix + suffix; }

    struct Driver {
        std::string sender = unique_id("wxid_desk");
        std::string say(const std::string& text) const {
            return bridge_post(port(), kBridgeSecret, bridge_message(sender, text)).all();
        }
    };

    static FakeSmsProvider* fake_;
    static SmsSetup* setup_;
    static KayouProcess* kayou_;
};
FakeSmsProvider* DeskInboxTest::fake_ = nullptr;
SmsSetup* DeskInboxTest::setup_ = nullptr;
KayouProcess* DeskInboxTest::kayou_ = nullptr;

// The "done when": a handoff from chat is in the desk's inbox with its turns in under a
// second, and the desk's answer reaches the driver in that chat.
TEST_F(DeskInboxTest, HandoffFromChatReachesTheDeskInboxWithItsTurnsAndTheAnswerReachesTheDriver) {
    const Driver driver;
    driver.say("老板拖欠我三个月运费一直不给怎么办");
    const std::string number = ticket_number_in(driver.say("找律师"));
    ASSERT_FALSE(number.empty());
    const auto told = std::chrono::steady_clock::now();
    json ticket = nullptr;
    while (ticket.is_null() && std::chrono::steady_clock::now() - told < 1s)
        ticket = in_inbox(port(), kDeskToken, number);
    const auto took = std::chrono::steady_clock::now() - told;
    ASSERT_FALSE(ticket.is_null()) << "not in the desk inbox within 1 s";
    EXPECT_LT(took, 1s);
    EXPECT_EQ(ticket["category"], "legal");
    EXPECT_EQ(ticket["channel"], "bridge");
    bool turn_shown = false;
    for (const auto& turn : ticket["recent"])
        turn_shown = turn_shown || has(turn.get<std::string>(), "三个月运费");
    EXPECT_TRUE(turn_shown) << ticket.dump();

    // At rest the driver's words are sealed; the view that decrypted them is in the audit log.
    const auto stored = redis_hgetall(redis_port(), key("{tickets}:t:" + number));
    EXPECT_TRUE(stored.at("question").empty());
    EXPECT_FALSE(has(stored.at("sealed_question"), "运费"));
    const auto audit = redis_cli(redis_port(), "XRANGE '" + key("audit") + "' - +");
    bool audited = false;
    for (std::size_t i = 0; i + 1 < audit.size(); ++i)
        // redis-cli prints one field a line: ..., action, ticket.list, target, <numbers>, ...
        audited = audited ||
                  (audit[i] == "ticket.list" && i + 2 < audit.size() && has(audit[i + 2], number));
    EXPECT_TRUE(audited);

    // Staff of a district never see a legal ticket.
    auto staff_view =
        http_request(port(), "GET", "/admin/api/tickets/" + number, {}, bearer(kWujinStaff), 5s);
    EXPECT_EQ(staff_view.status, 403);
    EXPECT_TRUE(has(staff_view.body, "不归您")) << staff_view.body;
    EXPECT_TRUE(in_inbox(port(), kWujinStaff, number).is_null());

    const json answer{{"text", "可以向劳动争议仲裁委员会申请仲裁（收件箱测试答复）。"}};
    auto answered = http_request(port(), "POST", "/admin/api/tickets/" + number + "/answer",
                                 answer.dump(), bearer(kDeskToken), 5s);
    ASSERT_EQ(answered.status, 200) << answered.body;
    EXPECT_TRUE(json::parse(answered.body).value("chat_queued", false));
    const std::string next = driver.say("你好");
    EXPECT_TRUE(has(next, "律师已答复")) << next;
    EXPECT_TRUE(has(next, "收件箱测试答复")) << next;
    EXPECT_FALSE(has(driver.say("你好"), "收件箱测试答复"));  // delivered once

    // His reply to the answer goes to the ticket, back in the desk's queue; sealed at rest.
    const std::string replied = driver.say("仲裁委在哪 我在武进 货主是常州宏达物流");
    EXPECT_TRUE(has(replied, number)) << replied;
    const json reopened = in_inbox(port(), kDeskToken, number);
    ASSERT_FALSE(reopened.is_null()) << "not back in the queue";
    ASSERT_EQ(reopened["notes"].size(), 1u) << reopened.dump();
    EXPECT_TRUE(has(reopened["notes"][0].value("text", ""), "宏达物流")) << reopened.dump();
    const auto notes =
        redis_cli(redis_port(), "LRANGE '" + key("{tickets}:notes:" + number) + "' 0 -1");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_FALSE(has(notes[0], "宏达")) << notes[0];

    // Time to first answer on the stats: the desk's categories only.
    auto stats = http_request(port(), "GET", "/admin/api/tickets/stats", {}, bearer(kDeskToken));
    ASSERT_EQ(stats.status, 200);
    const auto categories = json::parse(stats.body)["categories"];
    ASSERT_TRUE(categories.contains("legal")) << stats.body;
    EXPECT_GE(categories["legal"].value("median_seconds_to_answer", -1), 0);
    EXPECT_FALSE(categories.contains("staff"));
}

TEST_F(DeskInboxTest, StaffAnswerTheirDistrictsHandoffsAndTheDriverGetsAnSms) {
    const Driver driver;
    const std::string mobile = "139" + std::to_string(10000000 + unix_now() % 89999999);
    ASSERT_TRUE(has(driver.say("我要入会"), "第1步"));
    ASSERT_TRUE(has(driver.say("我叫王建国"), "第2步"));
    ASSERT_TRUE(has(driver.say("320412198501011233"), "第3步"));
    const std::size_t before = fake_->requests().size();
    ASSERT_TRUE(has(driver.say(mobile), "验证码"));
    ASSERT_TRUE(fake_->wait_for_requests(before + 1, 5s));
    const std::string code = fake_->requests().back().params.at(0);
    ASSERT_TRUE(has(driver.say("验证码" + code), "第4步"));

    const std::string number = ticket_number_in(driver.say("人工"));
    ASSERT_FALSE(number.empty());
    const json ticket = in_inbox(port(), kWujinStaff, number);
    ASSERT_FALSE(ticket.is_null());
    EXPECT_EQ(ticket["category"], "staff");
    EXPECT_EQ(ticket["phone"], mobile.substr(0, 3) + "****" + mobile.substr(7));
    EXPECT_FALSE(ticket["recent"].empty());
    // The legal desk does not work join handoffs.
    EXPECT_EQ(
        http_request(port(), "GET", "/admin/api/tickets/" + number, {}, bearer(kDeskToken)).status,
        403);

    // Another district's handoff: neither listed nor readable nor answerable for wujin's staff.
    const json other{
        {"category", "staff"}, {"subcategory", "xinbei"}, {"question", "入会要带什么"}};
    auto opened =
        http_request(port(), "POST", "/admin/api/tickets", other.dump(), bearer(kCityToken));
    ASSERT_EQ(opened.status, 201) << opened.body;
    const std::string xinbei = json::parse(opened.body)["number"];
    EXPECT_TRUE(in_inbox(port(), kWujinStaff, xinbei).is_null());
    const json reply{{"text", "请带身份证（员工测试答复）"}};
    EXPECT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + xinbei + "/answer", reply.dump(),
                           bearer(kWujinStaff))
                  .status,
              403);
    EXPECT_EQ(http_request(port(), "POST", "/admin/api/tickets", other.dump(), bearer(kWujinStaff))
                  .status,
              403);

    const std::size_t sent_before = fake_->requests().size();
    auto answered = http_request(port(), "POST", "/admin/api/tickets/" + number + "/answer",
                                 reply.dump(), bearer(kWujinStaff), 5s);
    ASSERT_EQ(answered.status, 200) << answered.body;
    EXPECT_TRUE(json::parse(answered.body).value("sms_queued", false)) << answered.body;
    ASSERT_TRUE(fake_->wait_for_requests(sent_before + 1, 5s));
    const auto sms = fake_->requests().back();
    EXPECT_TRUE(has(sms.phone, mobile)) << sms.phone;
    EXPECT_EQ(sms.params, std::vector<std::string>{number});
    const std::string next = driver.say("你好");
    EXPECT_TRUE(has(next, "工作人员已答复")) << next;
    EXPECT_TRUE(has(next, "员工测试答复")) << next;

    EXPECT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + number + "/close", "",
                           bearer(kWujinStaff))
                  .status,
              200);
    EXPECT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + number + "/answer", reply.dump(),
                           bearer(kWujinStaff))
                  .status,
              409);
}

// The 工单 tab in Chromium at both viewports: the desk finds the handoff, reads the driver's turns,
// answers from the page (the driver gets it in his chat), closes it after a confirmation, and
// sees the time to first answer; no console errors, no CSP violations, no sideways scrolling.
TEST_F(DeskInboxTest, TheDeskAnswersAHandoffFromTheConsoleAtBothViewports) {
    if (reference_dir().empty()) GTEST_SKIP() << "npm ci in tests/reference first";
    for (const std::string mode : {"desktop", "phone"}) {
        SCOPED_TRACE(mode);
        const Driver driver;
        driver.say("车被扣了十天不让开走怎么办");
        const std::string number = ticket_number_in(driver.say("找律师"));
        ASSERT_FALSE(number.empty());
        const std::string added = driver.say("扣车的是常州武进交警 也没给凭证 我电话13912345678");
        EXPECT_TRUE(has(added, "已补充到您的工单" + number)) << added;
        const std::string answer = "请保留扣车凭证，可申请行政复议（" + mode + "页面答复）";
        NodeScript script("console_desk.js",
                          {std::to_string(port()), kDeskToken, mode, number, answer});
        const auto page = script.read(120s);
        ASSERT_TRUE(page.has_value()) << script.errors();
        ASSERT_FALSE(page->contains("failure")) << page->dump() << script.errors();
        const json& p = *page;
        const auto tabs = p["tabs"].dump();
        EXPECT_TRUE(has(tabs, "工单")) << tabs;
        EXPECT_TRUE(has(tabs, "答复时效")) << tabs;
        EXPECT_FALSE(has(tabs, "待审核")) << tabs;  // a lawyer reviews no applications
        EXPECT_TRUE(has(p["card"], "法律咨询")) << p.dump();
        EXPECT_TRUE(p["reached"].get<bool>()) << p.dump();
        EXPECT_EQ(p["after_open"], "ticket-title");
        EXPECT_TRUE(has(p["question"], "扣了十天") || has(p["turns"].dump(), "扣了十天"))
            << p.dump();
        EXPECT_TRUE(has(p["turns"].dump(), "扣了十天")) << p.dump();
        // What he sent after "找律师", his call-back number included, for the lawyer to read.
        EXPECT_TRUE(has(p["notes"].dump(), "武进交警")) << p.dump();
        EXPECT_TRUE(has(p["notes"].dump(), "13912345678")) << p.dump();
        EXPECT_TRUE(has(p["card"], "司机补充 1 条")) << p.dump();
        EXPECT_TRUE(has(p["details"], "微信群")) << p.dump();
        EXPECT_EQ(p["empty_error"], "请先写答复内容");
        EXPECT_TRUE(has(p["notice"], "已答复工单 " + number)) << p.dump();
        EXPECT_TRUE(has(p["answer_shown"], answer)) << p.dump();
        EXPECT_TRUE(has(p["confirm"], "办结后不能再答复")) << p.dump();
        EXPECT_EQ(p["confirm_focus"], "close-confirm-yes");
        EXPECT_TRUE(p["cancelled"].get<bool>());
        EXPECT_TRUE(has(p["closed_notice"], "已办结")) << p.dump();
        EXPECT_TRUE(has(p["stats"].dump(), "法律咨询")) << p.dump();
        EXPECT_EQ(p["error"], "");
        EXPECT_LE(p["overflow"].get<int>(), 0) << "the page scrolls sideways";
        EXPECT_EQ(p["csp"], json::array()) << p.dump();
        EXPECT_EQ(p["console"], json::array()) << p.dump();
        EXPECT_EQ(p["refused"], json::array()) << p.dump();
        EXPECT_EQ(script.wait(10s), 0);

        // The answer typed in the page reaches the driver in his chat; the ticket is closed.
        const std::string next = driver.say("你好");
        EXPECT_TRUE(has(next, answer)) << next;
        const auto stored = redis_hgetall(redis_port(), key("{tickets}:t:" + number));
        EXPECT_EQ(stored.at("state"), "closed");
    }
}

}  // namespace
}  // namespace kayou::test
