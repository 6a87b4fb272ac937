#pragma once
// The one status table for exceptions that escape an HTTP handler (every route goes through
// HttpServer's dispatch): what is "not now" becomes 503 with Retry-After, so WeChat, the SMS
// providers and the review console retry; only what is a bug becomes 500.
//
//   net::Unavailable (conversation busy, lease lost, ...)      -> 503, its Retry-After
//   redis::Error timeout / disconnected / not_connected         -> 503, Retry-After: 1
//   redis::Error protocol with a transient Redis answer (LOADING, BUSY, TRYAGAIN, MASTERDOWN,
//     READONLY, OOM)                                            -> 503, Retry-After: 1
//   anything else                                               -> 500 (a bug: logged)
#include <exception>
#include <string>

#include "net/http_types.hpp"

namespace kayou::bot {

// HttpServer::classify_errors takes it (bot/app.cpp).
net::ErrorVerdict classify_exception(std::exception_ptr error);

}  // namespace kayou::bot
