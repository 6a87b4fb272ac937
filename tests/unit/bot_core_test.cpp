// Pure pieces of bot/: log lines, metrics text, /proc parsing, the stored-reply codec.
#include <gtest/gtest.h>

#include <cmath>

#include "bot/process_stats.hpp"
#include "bot/turn_runner.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"

namespace kayou::bot {
namespace {

TEST(LogLine, IsOneJsonObjectWithEscapedValues) {
    const auto line = ops::format_log_line(ops::LogLevel::warn, "webhook_rejected",
                                           {{"reason", "a\"b\n"}, {"status", 401}, {"ok", false}},
                                           1'700'000'000'123);
    EXPECT_EQ(line,
              "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"level\":\"warn\",\"event\":"
              "\"webhook_rejected\",\"reason\":\"a\\\"b\\n\",\"status\":401,\"ok\":false}\n");
}

TEST(Metrics, RendersCountersHistogramsAndGauges) {
    ops::Metrics metrics;
    metrics.describe("kayou_x_total", "counter", "X things");
    metrics.counter("kayou_x_total", "route=\"/a\"").add(3);
    metrics.histogram("kayou_t_seconds").observe(std::chrono::microseconds(700));
    metrics.gauge("kayou_up", [] { return 1.0; });
    const auto text = metrics.render();
    EXPECT_NE(text.find("# HELP kayou_x_total X things\n# TYPE kayou_x_total counter\n"),
              std::string::npos);
    EXPECT_NE(text.find("kayou_x_total{route=\"/a\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("kayou_t_seconds_bucket{le=\"0.0005\"} 0\n"), std::string::npos);
    EXPECT_NE(text.find("kayou_t_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("kayou_t_seconds_bucket{le=\"+Inf\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("kayou_t_seconds_count 1\n"), std::string::npos);
    EXPECT_NE(text.find("kayou_up 1\n"), std::string::npos);
    metrics.gauge("kayou_started_at", [] { return 1795412345.25; });
    metrics.gauge("kayou_ratio", [] { return 0.1; });
    metrics.gauge("kayou_unknown", [] { return std::nan(""); });
    const auto later = metrics.render();
    EXPECT_NE(later.find("kayou_started_at 1795412345.25\n"), std::string::npos);
    EXPECT_NE(later.find("kayou_ratio 0.1\n"), std::string::npos);
    EXPECT_NE(later.find("kayou_unknown NaN\n"), std::string::npos);
    EXPECT_EQ(ops::label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(ProcessStats, ParsesProcStatPastACommandNameWithSpacesAndParentheses) {
    // A real line's layout (proc(5)): utime 14, stime 15, starttime 22, rss 24 (in pages).
    const std::string line =
        "4242 (kay ou) (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 1 0 123400 "
        "987654321 3000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";
    const auto stats = parse_proc_stat(line, 100, 4096);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->cpu_seconds, 3.0);  // (250 + 50) / 100
    EXPECT_DOUBLE_EQ(stats->start_seconds, 1234.0);
    EXPECT_DOUBLE_EQ(stats->resident_bytes, 3000.0 * 4096);
    EXPECT_FALSE(parse_proc_stat("4242 (kayou) S 1 2 3", 100, 4096));
    EXPECT_FALSE(parse_proc_stat("no parenthesis", 100, 4096));
    EXPECT_FALSE(parse_proc_stat(line, 0, 4096));
    const auto self = read_process_stats();
    ASSERT_TRUE(self);
    EXPECT_GT(self->resident_bytes, 0);
    EXPECT_GT(count_open_fds().value_or(0), 2);  // at least stdin, stdout, stderr
    EXPECT_GT(read_boot_time().value_or(0), 1.6e9);
}

TEST(StoredReply, RoundTripsAndSurvivesBadUtf8) {
    dialogs::Reply reply;
    reply.texts = {"第一条", "second ]]> \"quoted\""};
    reply.mentions = {"wxid_1"};
    const auto decoded = TurnRunner::decode_reply(TurnRunner::encode_reply(reply));
    EXPECT_EQ(decoded.texts, reply.texts);
    EXPECT_EQ(decoded.mentions, reply.mentions);

    dialogs::Reply broken;
    broken.texts = {std::string("ok\xFF")};
    EXPECT_EQ(TurnRunner::decode_reply(TurnRunner::encode_reply(broken)).texts.size(), 1u);
    EXPECT_TRUE(TurnRunner::decode_reply("P").empty());
    EXPECT_TRUE(TurnRunner::decode_reply("R{not json").empty());
}

TEST(StoredReply, LengthPrefixedFormatIsExactAndRejectsTruncation) {
    dialogs::Reply reply;
    reply.texts = {"a:b", ""};
    reply.mentions = {"wxid_1"};
    const std::string stored = TurnRunner::encode_reply(reply);
    EXPECT_EQ(stored, "L2:3:a:b0:1:6:wxid_1");
    for (std::size_t cut = 1; cut < stored.size(); ++cut)
        EXPECT_TRUE(TurnRunner::decode_reply(stored.substr(0, cut)).texts.empty()) << cut;
    EXPECT_TRUE(TurnRunner::decode_reply(stored + "x").texts.empty());
    EXPECT_TRUE(TurnRunner::decode_reply("L1:99999999999:x0:").texts.empty());
}

// A retried group message gets the join link 1:1 again, exactly as the first delivery did.
TEST(StoredReply, PrivateTextsRoundTripAndOlderRecordsHaveNone) {
    dialogs::Reply reply;
    reply.texts = {"已私聊发给您"};
    reply.mentions = {"wxid_1"};
    reply.private_texts = {"https://kayou.example/join?t=abc"};
    const std::string stored = TurnRunner::encode_reply(reply);
    const auto decoded = TurnRunner::decode_reply(stored);
    EXPECT_EQ(decoded.texts, reply.texts);
    EXPECT_EQ(decoded.private_texts, reply.private_texts);
    for (std::size_t cut = 1; cut < stored.size(); ++cut) {
        const auto partial = TurnRunner::decode_reply(stored.substr(0, cut));
        EXPECT_TRUE(partial.private_texts.empty()) << cut;
    }
    EXPECT_TRUE(TurnRunner::decode_reply("L1:1:a0:").private_texts.empty());
    EXPECT_EQ(TurnRunner::decode_reply("L1:1:a0:").texts, std::vector<std::string>{"a"});
}

// A retried bridge message gets the second of two answers again; records without one still read.
TEST(StoredReply, FollowUpsRoundTripWithOrWithoutPrivateTexts) {
    dialogs::Reply reply;
    reply.texts = {"①…"};
    reply.follow_ups = {"②…"};
    const std::string stored = TurnRunner::encode_reply(reply);
    EXPECT_EQ(stored, "L1:6:①…0:0:1:6:②…");
    const auto decoded = TurnRunner::decode_reply(stored);
    EXPECT_EQ(decoded.texts, reply.texts);
    EXPECT_TRUE(decoded.private_texts.empty());
    EXPECT_EQ(decoded.follow_ups, reply.follow_ups);
    reply.private_texts = {"link"};
    const auto both = TurnRunner::decode_reply(TurnRunner::encode_reply(reply));
    EXPECT_EQ(both.private_texts, reply.private_texts);
    EXPECT_EQ(both.follow_ups, reply.follow_ups);
    for (std::size_t cut = 1; cut < stored.size(); ++cut)
        EXPECT_TRUE(TurnRunner::decode_reply(stored.substr(0, cut)).follow_ups.empty()) << cut;
    EXPECT_TRUE(TurnRunner::decode_reply(stored + "0:").texts.empty());
}

TEST(StoredReply, ReadsTheJsonFormatOlderProcessesWrote) {
    const auto decoded = TurnRunner::decode_reply(R"(R{"m":["wxid_1"],"t":["第一条","二"]})");
    EXPECT_EQ(decoded.texts, (std::vector<std::string>{"第一条", "二"}));
    EXPECT_EQ(decoded.mentions, std::vector<std::string>{"wxid_1"});
}

}  // namespace
}  // namespace kayou::bot
