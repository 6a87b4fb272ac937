#include "redis/reply.hpp"

#include <exception>

namespace kayou::redis {

long long Reply::as_int() const {
    if (is_integer()) return integer;
    if (is_string()) {
        try {
            return std::stoll(str);
        } catch (const std::exception&) {
        }
    }
    return 0;
}

const char* to_string(Error::Kind kind) {
    switch (kind) {
        case Error::Kind::timeout:
            return "redis: command timed out";
        case Error::Kind::disconnected:
            return "redis: disconnected";
        case Error::Kind::not_connected:
            return "redis: not connected";
        case Error::Kind::protocol:
            return "redis: protocol error";
    }
    return "redis: error";
}

Error::Error(Kind kind) : std::runtime_error(to_string(kind)), kind_(kind) {}

}  // namespace kayou::redis
