// redis::stream_entries (redis/stream_entries.hpp): XRANGE / XREVRANGE replies, row by row.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "redis/stream_entries.hpp"
#include "tests/support/redis_replies.hpp"

namespace kayou::redis {
namespace {

Reply text(std::string value) { return test::string_reply(std::move(value)); }
Reply array(std::vector<Reply> elements) { return test::array_reply(std::move(elements)); }

Reply entry(std::string id, std::vector<std::string> fields) {
    std::vector<Reply> values;
    for (auto& field : fields) values.push_back(text(std::move(field)));
    return array({text(std::move(id)), array(std::move(values))});
}

using Fields = std::map<std::string, std::string, std::less<>>;

struct StreamCase {
    const char* what;
    Reply reply;
    std::vector<std::string> ids;
    std::vector<Fields> fields;
};

class StreamEntriesTable : public ::testing::TestWithParam<StreamCase> {};

TEST_P(StreamEntriesTable, ReadsIdsAndFields) {
    const auto entries = stream_entries(GetParam().reply);
    std::vector<std::string> ids;
    std::vector<Fields> fields;
    for (const auto& read : entries) {
        ids.push_back(read.id);
        fields.push_back(read.fields);
    }
    EXPECT_EQ(ids, GetParam().ids) << GetParam().what;
    EXPECT_EQ(fields, GetParam().fields) << GetParam().what;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, StreamEntriesTable,
    ::testing::Values(
        StreamCase{"two entries in order",
                   array({entry("1-0", {"id", "a1", "link", "k"}), entry("2-0", {"id", "a2"})}),
                   {"1-0", "2-0"},
                   {Fields{{"id", "a1"}, {"link", "k"}}, Fields{{"id", "a2"}}}},
        StreamCase{"a field named twice keeps its last value",
                   array({entry("1-0", {"status", "a", "status", "b"})}),
                   {"1-0"},
                   {Fields{{"status", "b"}}}},
        StreamCase{"a field without a value is dropped",
                   array({entry("1-0", {"id", "a1", "dangling"})}),
                   {"1-0"},
                   {Fields{{"id", "a1"}}}},
        StreamCase{"an entry without fields is skipped", array({array({text("1-0")})}), {}, {}},
        StreamCase{"an empty range", array({}), {}, {}},
        StreamCase{"not an array", text("ERR"), {}, {}}));

TEST(StreamEntries, MissingFieldReadsEmpty) {
    const auto entries = stream_entries(array({entry("5-1", {"app", "A1"})}));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].field("app"), "A1");
    EXPECT_EQ(entries[0].field("status"), "");
}

}  // namespace
}  // namespace kayou::redis
