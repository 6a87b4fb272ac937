// The content editors' page of the admin console in a real browser: Debian's chromium driven by
// playwright-core (tests/reference/console_browser.js) against the real kayou and a real
// redis-server, at 1366×768 and at 390×844. The test and the browser take turns: a driver's
// question goes in through the signed bridge webhook, the page shows it in the 漏答 inbox
// (scrubbed) within a second, the editor makes it content and publishes it through the page, and
// the bot answers with it; a broken edit shows the parser's line messages next to the fields and
// publishes nothing; a rollback through the page serves the older version again. No console errors,
// no CSP violations, a sensible Tab order, no sideways scrolling.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/node_script.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kBridgeSecret = "bridge-secret-for-console-tests-01";
constexpr const char* kDataKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
constexpr const char* kEditorToken = "kayou-demo-editor";

// The Official Account's customer-service API is configured (it is never called here: no driver
// writes through the Official Account), so the editors' 试问 answers with its second message.
std::string config_yaml() {
    return std::string("bridge:\n  enabled: true\n  secret: ") + kBridgeSecret +
           "\nwechat:\n  official_account:\n    enabled: true\n    token: consoletoken\n"
           "    app_id: wx5f3c9a7e2b1d4c68\n    app_secret: console-test-app-secret-0123456789\n"
           "    api_base: http://127.0.0.1:9\n" +
           shipped_content_yaml();
}

Headers bearer() { return {{"Authorization", std::string("Bearer ") + kEditorToken}}; }

long since_ms(Clock::time_point start) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

// What one run at one viewport does: the missed question, what the editor makes of it, and the
// question and answer text that show it is live.
struct Plan {
    std::string mode;      // desktop | phone
    std::string question;  // what the driver sends (a name and a phone number in it)
    std::string marker;    // a piece of it that survives scrubbing
    json promote;          // for the page: {id, questions, answer, law, article, tags} or {entry}
    std::string ask;       // asked after the publish
    std::string entry;     // the entry that answers it once live (and not after the rollback)
    std::string expect;    // in the bot's answer once live
};

class ConsoleContentTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists("/usr/bin/chromium") && !std::getenv("KAYOU_CHROMIUM"))
            FAIL() << "Debian's chromium is missing: scripts/deps.sh --test installs it";
        redis_ = std::make_unique<RedisServer>();
        kayou_ =
            std::make_unique<KayouProcess>(KayouProcess::Options{redis_->port(), config_yaml()});
        ASSERT_TRUE(kayou_->wait_ready());
        const auto start = Clock::now();
        while (serving() < 1 && Clock::now() - start < 20s) {
        }
        ASSERT_GE(serving(), 1) << kayou_->log();
    }

    int serving() const {
        auto r = http_request(kayou_->port(), "GET", "/admin/api/content/faq/published", {},
                              bearer(), 5s);
        return r.status == 200 ? json::parse(r.body).value("serving", -1) : -1;
    }
    int published() const {
        auto r = http_request(kayou_->port(), "GET", "/admin/api/content/faq/published", {},
                              bearer(), 5s);
        return r.status == 200 ? json::parse(r.body).value("published", -1) : -1;
    }
    std::size_t version_count() const {
        auto r = http_request(kayou_->port(), "GET", "/admin/api/content/faq/versions", {},
                              bearer(), 5s);
        return r.status == 200 ? json::parse(r.body)["versions"].size() : 0;
    }
    std::string ask_bot(const std::string& text) const {
        return bridge_post(kayou_->port(), kBridgeSecret, bridge_message(unique_id("d"), text))
            .all();
    }
    // What the published version makes of a question: {action, hits: [{id, score}], …}.
    json legal_ask(const std::string& question) const {
        auto r = http_request(kayou_->port(), "POST", "/admin/api/legal/ask",
                              json{{"question", question}}.dump(), bearer(), 5s);
        return r.status == 200 ? json::parse(r.body) : json::object();
    }
    bool answered_by(const std::string& question, const std::string& id) const {
        const json reply = legal_ask(question);
        return reply.value("action", "") == "answer" && !reply["hits"].empty() &&
               reply["hits"][0]["id"] == id;
    }
    // An entry of the published version, as the API gives it.
    json entry(const std::string& id) const {
        auto r = http_request(
            kayou_->port(), "GET",
            "/admin/api/content/faq/versions/" + std::to_string(published()) + "/entries", {},
            bearer(), 5s);
        const json parsed = json::parse(r.body);  // named: a range-for over a temporary's member
        for (const auto& e : parsed["entries"])   // would dangle
            if (e["id"] == id) return e;
        return {};
    }

    void run(const Plan& plan);

    std::unique_ptr<RedisServer> redis_;
    std::unique_ptr<KayouProcess> kayou_;
};

// Reads the next step, failing the test (with the script's output and stderr) when it does not
// come or reports a failure.
json expect_step(NodeScript& script, const std::string& step, std::chrono::milliseconds deadline) {
    auto line = script.read(deadline);
    if (!line) {
        ADD_FAILURE() << "no '" << step << "' from the browser script\nstdout:\n"
                      << script.output() << "\nstderr:\n"
                      << script.errors();
        return json::object();
    }
    if (line->contains("failure") || line->value("step", "") != step) {
        ADD_FAILURE() << "expected step '" << step << "', got " << line->dump() << "\nstderr:\n"
                      << script.errors();
        return json::object();
    }
    return *line;
}

void ConsoleContentTest::run(const Plan& plan) {
    const auto run_start = Clock::now();
    NodeScript browser("console_browser.js",
                       {std::to_string(kayou_->port()), kEditorToken, plan.mode});

    // Logged in as an editor: only the content tabs; the keyboard reaches the search box, then
    // the list (one tab stop, arrows inside), then the form.
    const json login = expect_step(browser, "login", 60s);
    ASSERT_FALSE(login.empty());
    EXPECT_EQ(login["tabs"], json::array({"内容", "漏答"}));
    const json focus = login["focus"];
    using Order = std::vector<std::string>;
    auto position = [](const Order& order, auto predicate) {
        return std::find_if(order.begin(), order.end(), predicate) - order.begin();
    };
    auto is_item = [](const std::string& s) { return s.rfind("item:", 0) == 0; };
    auto is = [](const char* id) { return [id](const std::string& s) { return s == id; }; };
    const Order to_list = focus["to_list"];
    EXPECT_LT(position(to_list, is("entry-search")), position(to_list, is_item)) << focus.dump();
    EXPECT_LT(position(to_list, is_item), static_cast<long>(to_list.size())) << focus.dump();
    EXPECT_TRUE(is_item(focus["list"])) << "ArrowDown from the search box: " << focus.dump();
    EXPECT_TRUE(is_item(focus["second"])) << focus.dump();
    EXPECT_NE(focus["list"], focus["second"]) << "ArrowDown moves in the list: " << focus.dump();
    EXPECT_EQ(focus["after_open"], "form-title") << focus.dump();
    if (plan.mode == "desktop") {
        // 试问 shows both messages the Official Account sends for two long close answers: the
        // reply, then the second (customer-service) message, marked as such.
        const std::vector<std::string> replies = login["tried"]["replies"];
        ASSERT_EQ(replies.size(), 2u) << login.dump();
        EXPECT_NE(replies[0].find("分两条发给您"), std::string::npos) << replies[0];
        EXPECT_NE(replies[1].find("follow-up|第二条消息"), std::string::npos) << replies[1];
        EXPECT_NE(replies[1].find("②"), std::string::npos) << replies[1];
    }
    const Order in_form = focus["in_form"];
    ASSERT_FALSE(in_form.empty());
    EXPECT_EQ(in_form.front(), "f-id") << focus.dump();
    EXPECT_LT(position(in_form, is("f-questions")), position(in_form, is("f-answer")))
        << focus.dump();
    EXPECT_LT(position(in_form, is("f-answer")), static_cast<long>(in_form.size())) << focus.dump();
    if (plan.mode == "desktop") {
        // List and form side by side: search box, the list (one tab stop), then the form.
        const Order whole = focus["whole"];
        EXPECT_LT(position(whole, is("entry-search")), position(whole, is_item)) << focus.dump();
        EXPECT_LT(position(whole, is_item), position(whole, is("f-id"))) << focus.dump();
        EXPECT_LT(position(whole, is("f-id")), static_cast<long>(whole.size())) << focus.dump();
        EXPECT_EQ(std::count_if(whole.begin(), whole.end(), is_item), 1)
            << "the list is one tab stop: " << focus.dump();
    }

    // A question the bot misses shows up in the open inbox page, scrubbed, within a second.
    expect_step(browser, "inbox-ready", 20s);
    const std::string junk = "呜啦啦 啊吧啊吧 哦哦 咕噜咕噜";
    if (plan.mode == "desktop") ask_bot(junk);
    const auto sent_at = Clock::now();
    const std::string reply = ask_bot(plan.question);
    const long reply_ms = since_ms(sent_at);
    EXPECT_FALSE(answered_by(plan.question, plan.entry)) << "not content yet";
    json sent{{"text", plan.marker}};
    if (plan.mode == "desktop") sent["junk"] = junk;
    browser.write(sent);
    const json seen = expect_step(browser, "inbox-seen", 10s);
    const long seen_ms = since_ms(sent_at);
    ASSERT_FALSE(seen.empty()) << "kayou said: " << reply;
    EXPECT_LT(seen_ms, 1000) << "from the driver's message to the page showing it";
    const std::string shown = seen["shown"];
    EXPECT_EQ(shown.find("王建国"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("李卫东"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("13812345678"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("13912345678"), std::string::npos) << shown;
    EXPECT_NE(shown.find("〔姓名〕"), std::string::npos) << shown;
    EXPECT_NE(shown.find("〔手机号〕"), std::string::npos) << shown;
    EXPECT_NE(shown.find("<b>"), std::string::npos) << "markup is shown as text: " << shown;
    EXPECT_EQ(seen["markup"], 0) << "no element was made from the driver's text";
    if (plan.mode == "desktop") {
        EXPECT_NE(seen["dismissed"].get<std::string>().find("已忽略"), std::string::npos);
        const auto inbox =
            http_request(kayou_->port(), "GET", "/admin/api/missed", {}, bearer(), 5s);
        EXPECT_EQ(inbox.body.find("咕噜咕噜"), std::string::npos) << inbox.body;
        EXPECT_NE(inbox.body.find(plan.marker), std::string::npos) << inbox.body;
    }

    // The editor makes it content through the page and publishes; then the bot answers with it.
    const int before = published();
    json instructions = plan.promote;
    instructions["edit"] = plan.promote.value("id", plan.promote.value("entry", ""));
    browser.write(instructions);
    const json live = expect_step(browser, "published", 60s);
    ASSERT_FALSE(live.empty());
    EXPECT_NE(live["status"].get<std::string>().find("机器人已按这个版本回答"), std::string::npos)
        << live.dump();
    const int version = live["version"];
    EXPECT_GT(version, before);
    EXPECT_EQ(published(), version);
    EXPECT_EQ(serving(), version);
    const std::string answered = ask_bot(plan.ask);
    const long live_ms = since_ms(sent_at);
    EXPECT_NE(answered.find(plan.expect), std::string::npos) << answered;
    EXPECT_TRUE(answered_by(plan.ask, plan.entry));
    EXPECT_LT(live_ms, 60000) << "from the driver's message to the bot answering with the entry";
    std::cout << "[console " << plan.mode << "] in the inbox after " << seen_ms << " ms (bot "
              << reply_ms << " ms, page " << seen["ms"] << " ms); live through the page after "
              << live_ms << " ms\n";

    // A broken edit: the line messages next to the fields, nothing stored, nothing published.
    const std::size_t versions = version_count();
    browser.write(json::object());
    const json bad = expect_step(browser, "bad-edit", 30s);
    ASSERT_FALSE(bad.empty());
    for (const auto* which : {"checked", "errors"}) {
        const std::string answer_error = bad[which]["answer"];
        const std::string basis_error = bad[which]["basis"];
        EXPECT_NE(answer_error.find("回答不能为空"), std::string::npos) << bad.dump();
        EXPECT_NE(answer_error.find("行："), std::string::npos) << "with its line: " << bad.dump();
        EXPECT_NE(basis_error.find("法律依据"), std::string::npos) << bad.dump();
    }
    EXPECT_NE(bad["checked"]["focus"], "body") << "focus goes to the first problem";
    // An answer too long for one reply passes 校验 with a warning saying it would be cut.
    const std::string long_note = bad["tooLong"]["note"];
    EXPECT_NE(long_note.find("超过公众号一条回复的 2048 字节"), std::string::npos) << bad.dump();
    EXPECT_TRUE(bad["tooLong"]["warned"].get<bool>()) << bad.dump();
    EXPECT_NE(bad["tooLong"]["status"].get<std::string>().find("校验通过"), std::string::npos)
        << bad.dump();
    EXPECT_NE(bad["status"].get<std::string>().find("没有保存，也没有发布"), std::string::npos)
        << bad.dump();
    const auto invalid = bad["errors"]["invalid"];
    EXPECT_NE(std::find(invalid.begin(), invalid.end(), "f-answer"), invalid.end()) << bad.dump();
    EXPECT_EQ(version_count(), versions);
    EXPECT_EQ(published(), version);
    EXPECT_TRUE(answered_by(plan.ask, plan.entry));

    // Roll back through the version list: the older version is served again.
    browser.write(json::object());
    const json rolled = expect_step(browser, "rolled-back", 60s);
    ASSERT_FALSE(rolled.empty());
    EXPECT_EQ(rolled["version"], before) << rolled.dump();
    EXPECT_EQ(published(), before);
    EXPECT_EQ(serving(), before);
    EXPECT_NE(rolled["status"].get<std::string>().find("机器人已按这个版本回答"), std::string::npos)
        << rolled.dump();
    const std::string list = rolled["list"];
    EXPECT_NE(list.find("上传：test-editor"), std::string::npos) << "who and when: " << list;
    EXPECT_NE(list.find("最近发布：test-editor"), std::string::npos) << list;
    EXPECT_NE(rolled["live"].get<std::string>().find("线上"), std::string::npos) << rolled.dump();
    EXPECT_FALSE(answered_by(plan.ask, plan.entry))
        << "the rolled-back version does not have the new content: " << legal_ask(plan.ask);

    // No console errors, no CSP violations (and the check would have seen one), nothing wider
    // than the screen.
    const json done = expect_step(browser, "done", 30s);
    ASSERT_FALSE(done.empty());
    EXPECT_EQ(done["console"], json::array()) << done.dump();
    EXPECT_EQ(done["csp"], json::array()) << done.dump();
    EXPECT_GE(done["control"]["violations"].get<int>(), 1) << done.dump();
    EXPECT_FALSE(done["control"]["ran"].get<bool>()) << "an inline script ran: " << done.dump();
    EXPECT_LE(done["overflow"].get<int>(), 0) << "the page scrolls sideways";
    EXPECT_EQ(browser.wait(10s), 0) << browser.errors();
    std::cout << "[console " << plan.mode << "] browser run " << done["ms"] << " ms, test "
              << since_ms(run_start) << " ms\n";
}

TEST_F(ConsoleContentTest, DesktopEditorMakesAMissedQuestionANewLiveEntryAndRollsBack) {
    Plan plan;
    plan.mode = "desktop";
    plan.question =
        "我叫王建国 电话13812345678 问个事 宅基地上盖的车库被村里拆了能要补偿不 <b>急</b>";
    plan.marker = "宅基地上盖的车库";
    plan.promote = {
        {"id", "homestead_garage"},
        {"questions", {"宅基地上的车库被拆了能要补偿吗", "村里拆了我宅基地上盖的车库给不给补偿"}},
        {"answer",
         "宅基地上的房屋和附属设施被依法征收的，应当给予公平、合理的补偿；"
         "没有合法手续强拆的，可以申请行政复议或起诉。"},
        {"law", "土地管理法"},
        {"article", "第48条"},
        {"tags", "宅基地，征收"}};
    plan.ask = "宅基地上的车库被拆了能要补偿吗";
    plan.entry = "homestead_garage";
    plan.expect = "公平、合理的补偿";
    run(plan);
}

TEST_F(ConsoleContentTest, PhoneEditorAddsAMissedQuestionToAnEntryAndRollsBack) {
    Plan plan;
    plan.mode = "phone";
    plan.question = "我是李卫东 手机13912345678 搬运的师傅拿撬棍把我挂车的篷布弄烂了 <b>找谁赔</b>";
    plan.marker = "拿撬棍把我挂车的篷布";
    plan.entry = "loading_worker_damage_truck";
    plan.ask = "搬运的师傅拿撬棍把我挂车的篷布弄烂了找谁赔";
    plan.promote = {{"entry", plan.entry}, {"questions", {plan.ask}}};
    const json target = entry(plan.entry);
    ASSERT_FALSE(target.empty());
    plan.expect = target["answer"].get<std::string>().substr(0, 30);
    run(plan);
}

}  // namespace
}  // namespace kayou::test
