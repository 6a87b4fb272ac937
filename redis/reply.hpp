// Redis replies and transport errors, independent of hiredis so that callers never see its types.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::redis {

// One RESP2 reply, deep-copied out of hiredis (hiredis frees its own reply as soon as the callback
// returns, so nothing here points into hiredis memory).
struct Reply {
    enum class Type { nil, string, status, error, integer, array };

    Type type = Type::nil;
    std::string str;  // string / status / error text (binary-safe)
    long long integer = 0;
    std::vector<Reply> elements;

    bool is_nil() const { return type == Type::nil; }
    bool is_error() const { return type == Type::error; }
    // Not an error reply (nil counts as ok: "no such key" is an answer, not a failure).
    bool ok() const { return type != Type::error; }
    bool is_string() const { return type == Type::string; }
    bool is_integer() const { return type == Type::integer; }
    bool is_array() const { return type == Type::array; }
    // A status reply equal to `text`, e.g. is_status("OK").
    bool is_status(std::string_view text) const { return type == Type::status && str == text; }
    // An integer reply, or a bulk string holding one (GET of a counter); 0 for anything else
    // (nil: a counter that does not exist yet).
    long long as_int() const;
};

// Transport-level failure: the command's outcome is unknown or it was never sent. Redis *error
// replies* ("WRONGTYPE ...", "NOSCRIPT ...") are not exceptions: they come back as
// Reply::Type::error so that callers can tell "Redis said no" from "Redis did not answer".
class Error : public std::runtime_error {
public:
    enum class Kind {
        timeout,        // no reply before Config::command_timeout; the command may still run
        disconnected,   // the connection dropped (or stop() ran) while the command was in flight
        not_connected,  // no usable connection when the command was issued; it was not sent
        protocol,       // hiredis refused the command or the handshake (AUTH/SELECT) failed
    };

    Error(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    explicit Error(Kind kind);

    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

const char* to_string(Error::Kind kind);

}  // namespace kayou::redis
