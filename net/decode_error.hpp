#pragma once
// One error type for every channel codec, so the HTTP layer maps a failure to a status code in
// one place (http_status below) instead of each handler inventing its own.
//
// `reason` is for logs and is always a fixed, content-free phrase ("xml: unclosed element",
// "bridge: signature mismatch"): never message text, ids, names or any other personal data,
// because logs must stay free of personal data (DESIGN.md "Who uses it": operator).
#include <string>
#include <utility>
#include <variant>

namespace kayou::channels {

struct DecodeError {
    enum class Kind {
        bad_request,   // malformed or incomplete input -> 400
        unauthorized,  // signature, timestamp window -> 401
        too_large,     // body over the codec's size limit -> 413
    };
    Kind kind = Kind::bad_request;
    std::string reason;
};

constexpr int http_status(DecodeError::Kind kind) {
    switch (kind) {
        case DecodeError::Kind::bad_request:
            return 400;
        case DecodeError::Kind::unauthorized:
            return 401;
        case DecodeError::Kind::too_large:
            return 413;
    }
    return 400;
}

inline DecodeError bad_request(std::string reason) {
    return {DecodeError::Kind::bad_request, std::move(reason)};
}
inline DecodeError unauthorized(std::string reason) {
    return {DecodeError::Kind::unauthorized, std::move(reason)};
}
inline DecodeError too_large(std::string reason) {
    return {DecodeError::Kind::too_large, std::move(reason)};
}

// A value or a DecodeError; a small stand-in for std::expected (C++23), which g++ 12 lacks.
template <class T>
class Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(DecodeError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Precondition: ok(). Checked by std::get, which throws std::bad_variant_access otherwise.
    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // Precondition: !ok().
    const DecodeError& error() const { return std::get<1>(state_); }

private:
    std::variant<T, DecodeError> state_;
};

}  // namespace kayou::channels
