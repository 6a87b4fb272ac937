// Issue 5 "done when": publishing a new FAQ version through the admin API of one kayou process
// changes the answers of two running processes within 2 seconds; a broken script is rejected with
// line numbers and changes nothing; rollback is publishing an earlier version. Real kayou
// binaries, one real redis-server, loopback HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// SHA-256 of the tokens below (printf %s TOKEN | sha256sum).
constexpr const char* kEditorToken = "kayou-demo-editor";
constexpr const char* kDeskToken = "kayou-demo-legal-desk";

std::string admin_yaml() {
    return std::string("admin:\n  tokens:\n") +
           "    - name: test-editor\n"
           "      token_sha256: 21bf565d871da6a4efa0b8ff0821ff61fcb71f17827c96dd0d8baf94c36cb259\n"
           "      role: faq_editor\n"
           "    - name: test-desk\n"
           "      token_sha256: abe5d0f905a4a23da5e1b928319d8de954089433edd3e99d6b0013c589bd8a6d\n"
           "      role: legal_desk\n"
           "content:\n  seed_dir: " KAYOU_SOURCE_DIR "/faq/data\n  poll_interval_ms: 500\n";
}

Headers bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// A question no shipped entry answers, and an entry that answers it word for word.
constexpr const char* kNewQuestion = "卡友驿站的夜间值班电话是多少";
const std::string kNewEntry =
    "\n  - id: night-duty-phone\n"
    "    questions:\n"
    "      - 卡友驿站的夜间值班电话是多少\n"
    "      - 晚上驿站找谁\n"
    "    answer: 夜间值班电话是12351转9（测试条目）。\n"
    "    legal: false\n";

json ask(const KayouProcess& kayou, const std::string& question) {
    const json body{{"question", question}};
    auto result = http_request(kayou.port(), "POST", "/admin/api/legal/ask", body.dump(),
                               bearer(kEditorToken), 5s);
    if (result.status != 200) return json{{"status", result.status}, {"body", result.body}};
    return json::parse(result.body);
}

bool answers_with(const json& reply, const std::string& id) {
    return reply.value("action", "") == "answer" && reply.contains("hits") &&
           !reply["hits"].empty() && reply["hits"][0].value("id", "") == id;
}

int serving(const KayouProcess& kayou) {
    auto result = http_request(kayou.port(), "GET", "/admin/api/content/faq/published", {},
                               bearer(kEditorToken), 5s);
    if (result.status != 200) return -1;
    return json::parse(result.body).value("serving", -1);
}

// Polls until `done` holds for both processes or the deadline passes; returns the time it took
// for the slower one (or nullopt).
template <class Done>
std::optional<std::chrono::milliseconds> until_both(const KayouProcess& a, const KayouProcess& b,
                                                    std::chrono::milliseconds deadline, Done done) {
    const auto start = std::chrono::steady_clock::now();
    bool a_done = false, b_done = false;
    while (std::chrono::steady_clock::now() - start < deadline) {
        if (!a_done) a_done = done(a);
        if (!b_done) b_done = done(b);
        if (a_done && b_done)
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start);
        // A bounded poll, not a wait for an event: asking without a pause (about 500 requests a
        // second to each process) takes the CPU from the very index rebuild being waited for.
        std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
}

TEST(FaqHotReload, PublishReachesTwoProcessesWithinTwoSecondsAndRollsBack) {
    RedisServer redis;
    KayouProcess a({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    KayouProcess b({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    ASSERT_TRUE(a.wait_ready());
    ASSERT_TRUE(b.wait_ready());

    // Both seed concurrently from faq/data; exactly one version 1 results and both serve it.
    ASSERT_TRUE(until_both(a, b, 10s, [](const KayouProcess& k) { return serving(k) == 1; }))
        << a.log() << b.log();
    EXPECT_FALSE(answers_with(ask(a, kNewQuestion), "night-duty-phone"));

    // Auth: no token → 401; a legal-desk token may not upload → 403.
    const std::string script = read_file(KAYOU_SOURCE_DIR "/faq/data/legal.yaml") + kNewEntry;
    EXPECT_EQ(http_request(a.port(), "POST", "/admin/api/content/faq/versions", script).status,
              401);
    EXPECT_EQ(http_request(a.port(), "POST", "/admin/api/content/faq/versions", script,
                           bearer(kDeskToken))
                  .status,
              403);

    // A broken script: 422 with line numbers; nothing stored, nothing published.
    const std::string broken =
        "version: \"bad\"\nentries:\n  - id: x\n    questions: [a]\n"
        "    answer: b\n    anwser: c\n";
    auto rejected = http_request(a.port(), "POST", "/admin/api/content/faq/versions", broken,
                                 bearer(kEditorToken));
    ASSERT_EQ(rejected.status, 422) << rejected.body;
    const auto errors = json::parse(rejected.body)["errors"];
    ASSERT_FALSE(errors.empty());
    bool line_6 = false;
    for (const auto& e : errors) line_6 = line_6 || e.value("line", 0) == 6;
    EXPECT_TRUE(line_6) << rejected.body;
    auto listed =
        http_request(a.port(), "GET", "/admin/api/content/faq/versions", {}, bearer(kEditorToken));
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(json::parse(listed.body)["versions"].size(), 1u) << listed.body;

    // Upload version 2: ~80 KB, above the server's 64 KiB default, within the upload limit.
    auto uploaded = http_request(a.port(), "POST", "/admin/api/content/faq/versions", script,
                                 bearer(kEditorToken));
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
    EXPECT_EQ(json::parse(uploaded.body).value("version", 0), 2);

    // Preview answers from version 2 while both processes still serve version 1.
    const json preview_body{{"questions", {kNewQuestion}}};
    auto preview = http_request(a.port(), "POST", "/admin/api/content/faq/versions/2/preview",
                                preview_body.dump(), bearer(kEditorToken));
    ASSERT_EQ(preview.status, 200) << preview.body;
    EXPECT_TRUE(answers_with(json::parse(preview.body)["results"][0], "night-duty-phone"))
        << preview.body;
    EXPECT_FALSE(answers_with(ask(b, kNewQuestion), "night-duty-phone"));

    // Publish on A; both A and B answer from version 2 within 2 s.
    auto published = http_request(a.port(), "POST", "/admin/api/content/faq/versions/2/publish", {},
                                  bearer(kEditorToken));
    ASSERT_EQ(published.status, 200) << published.body;
    auto took = until_both(a, b, 2s, [](const KayouProcess& k) {
        return answers_with(ask(k, kNewQuestion), "night-duty-phone");
    });
    ASSERT_TRUE(took) << "not switched within 2 s\n" << a.log() << b.log();
    std::cout << "[ info ] both processes answered from version 2 after " << took->count()
              << " ms\n";

    // Roll back through B: both stop giving the new answer within 2 s.
    auto rollback = http_request(b.port(), "POST", "/admin/api/content/faq/versions/1/publish", {},
                                 bearer(kEditorToken));
    ASSERT_EQ(rollback.status, 200) << rollback.body;
    EXPECT_TRUE(until_both(a, b, 2s, [](const KayouProcess& k) {
        return !answers_with(ask(k, kNewQuestion), "night-duty-phone") && serving(k) == 1;
    }));

    // Publishing a version that does not exist changes nothing.
    EXPECT_EQ(http_request(a.port(), "POST", "/admin/api/content/faq/versions/99/publish", {},
                           bearer(kEditorToken))
                  .status,
              404);
    EXPECT_EQ(serving(a), 1);

    // Every change is in the audit stream: two publishes and one upload, with who did it.
    const auto audit = redis.command("XLEN kayou:audit");
    EXPECT_EQ(audit, ":3\r\n") << audit;
    const auto entries = redis.command("XRANGE kayou:audit - +");
    EXPECT_NE(entries.find("test-editor"), std::string::npos);
    EXPECT_NE(entries.find("content.publish"), std::string::npos);
}

}  // namespace
}  // namespace kayou::test
