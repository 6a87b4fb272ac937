#pragma once
// The entries of an XRANGE or XREVRANGE reply, read once for every stream kayou keeps: the
// submit and decision intents (members/application_store.cpp, members/review_store.cpp) and the
// SMS alerts (notify/redis_outbox.cpp). Pure: no I/O.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "redis/reply.hpp"

namespace kayou::redis {

struct StreamEntry {
    std::string id;  // "<ms>-<seq>"
    // A field written twice in one entry: its last value.
    std::map<std::string, std::string, std::less<>> fields;

    // The value of field `name`, or "" when the entry has none.
    const std::string& field(std::string_view name) const;
};

// `reply` is an array of [id, [field, value, ...]]; an element of another shape is skipped, and
// a field without a value is dropped. Anything but an array gives no entries.
std::vector<StreamEntry> stream_entries(const Reply& reply);

}  // namespace kayou::redis
