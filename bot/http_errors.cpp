#include "bot/http_errors.hpp"

#include <array>
#include <string_view>
#include <typeinfo>

#include "net/unavailable.hpp"
#include "redis/reply.hpp"

namespace kayou::bot {

namespace {

// Error replies a healthy Redis gives while it cannot serve yet or is overloaded; a retry later
// succeeds. Anything else in a protocol error (a script bug, WRONGTYPE) is ours to fix.
bool transient_redis_answer(std::string_view text) {
    static constexpr std::array<std::string_view, 6> kPrefixes{"LOADING",    "BUSY",     "TRYAGAIN",
                                                               "MASTERDOWN", "READONLY", "OOM"};
    // The message may carry our own context first ("application submit failed: LOADING ...").
    for (const auto prefix : kPrefixes) {
        const auto at = text.find(prefix);
        if (at != std::string_view::npos && (at == 0 || text[at - 1] == ' ')) return true;
    }
    return false;
}

}  // namespace

net::ErrorVerdict classify_exception(std::exception_ptr error) {
    net::ErrorVerdict verdict;
    try {
        std::rethrow_exception(error);
    } catch (const net::Unavailable& e) {
        verdict.response = net::unavailable_response(e.what(), e.retry_after().count());
        verdict.kind = "unavailable";
    } catch (const redis::Error& e) {
        const bool transient =
            e.kind() != redis::Error::Kind::protocol || transient_redis_answer(e.what());
        verdict.kind = std::string("redis:") + redis::to_string(e.kind());
        if (transient) {
            verdict.response = net::unavailable_response("storage unavailable", 1);
        } else {
            verdict.response = net::HttpResponse::error(500, "internal error");
            verdict.bug = true;
        }
    } catch (const std::exception& e) {
        if (transient_redis_answer(e.what())) {
            verdict.response = net::unavailable_response("storage unavailable", 1);
            verdict.kind = "redis:answer";
        } else {
            verdict.response = net::HttpResponse::error(500, "internal error");
            verdict.bug = true;
            verdict.kind = typeid(e).name();
        }
    } catch (...) {
        verdict.response = net::HttpResponse::error(500, "internal error");
        verdict.bug = true;
        verdict.kind = "unknown";
    }
    return verdict;
}

}  // namespace kayou::bot
