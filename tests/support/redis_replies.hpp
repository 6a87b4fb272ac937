#pragma once
// Redis replies as hiredis would hand them over, built by hand for the pure readers' table tests
// (redis/sentinel.hpp, redis/stream_entries.hpp). Header-only: unit tests link no test support.
#include <string>
#include <utility>
#include <vector>

#include "redis/reply.hpp"

namespace kayou::test {

inline redis::Reply string_reply(std::string text) {
    redis::Reply reply;
    reply.type = redis::Reply::Type::string;
    reply.str = std::move(text);
    return reply;
}

inline redis::Reply array_reply(std::vector<redis::Reply> elements) {
    redis::Reply reply;
    reply.type = redis::Reply::Type::array;
    reply.elements = std::move(elements);
    return reply;
}

}  // namespace kayou::test
