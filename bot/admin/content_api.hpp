#pragma once
// Admin HTTP API for versioned content and the services built on it (docs/admin-api.md):
//   POST /admin/api/content/<kind>/versions               upload (body = YAML) → 201 | 422
//   GET  /admin/api/content/<kind>/versions               list, newest first
//   GET  /admin/api/content/<kind>/versions/<n>           the text of version n
//   GET  /admin/api/content/faq/versions/<n>/entries      version n's entries, parsed (JSON)
//   POST /admin/api/content/faq/entries                   one entry from the console's form:
//                                                         {"base": n, "original"?: id,
//                                                         "entry": {…} | "remove": id,
//                                                         "check"?: true, "publish"?: true}
//                                                         → 201 {version} | 422 {errors}
//   POST /admin/api/content/<kind>/versions/<n>/preview   try version n without publishing
//   POST /admin/api/content/<kind>/versions/<n>/publish   publish (rollback = publish an older n)
//   GET  /admin/api/content/<kind>/published              the published version and what this
//                                                         process serves
//   POST /admin/api/legal/ask                             ask the published FAQ (no ticket)
//   GET  /admin/api/benefits?district=&status=&date=      the benefits answer for a driver
//   GET  /admin/api/stations/nearest?lat=&lng= | ?place=  nearest stations (Redis GEO)
#include <cstdint>
#include <functional>
#include <memory>

#include "bot/admin/auth.hpp"
#include "faq/content.hpp"
#include "net/http_server.hpp"

namespace kayou::faq {
class ContentStore;
class StationGeo;
class LiveContent;
class LegalService;
}  // namespace kayou::faq

namespace kayou::bot::admin {

class ContentApi {
public:
    ContentApi(const Authenticator& auth, AuditLog& audit, faq::ContentStore& store,
               faq::StationGeo& geo, faq::LiveContent& live, faq::LegalService& legal,
               std::function<std::int64_t()> clock);

    // Whether the Official Account sends a second message (its customer-service API is
    // configured): a preview that does not say answers as the Official Account would.
    void set_official_account_follow_ups(bool on) { official_account_follow_ups_ = on; }

    void install(net::HttpServer& server);

    // Exposed for tests without sockets.
    boost::asio::awaitable<net::HttpResponse> content(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> ask(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> benefits(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> nearest(net::HttpRequest& request);

private:
    boost::asio::awaitable<net::HttpResponse> preview(faq::ContentKind kind, int version,
                                                      const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> publish(faq::ContentKind kind, int version,
                                                      const Principal& who);
    boost::asio::awaitable<net::HttpResponse> entries(int version);
    boost::asio::awaitable<net::HttpResponse> save_entry(const net::HttpRequest& request,
                                                         const Principal& who);

    const Authenticator& auth_;
    AuditLog& audit_;
    faq::ContentStore& store_;
    faq::StationGeo& geo_;
    faq::LiveContent& live_;
    faq::LegalService& legal_;
    std::function<std::int64_t()> clock_;
    bool official_account_follow_ups_ = false;
    // The last preview build (kind, version): editors ask several questions in a row, and an FAQ
    // index of thousands of entries takes seconds to build.
    faq::BuiltContent preview_cache_;
    faq::ContentKind preview_kind_ = faq::ContentKind::faq;
};

// Today's date in China ("YYYY-MM-DD") for benefit validity.
std::string china_date(std::int64_t unix_seconds);

}  // namespace kayou::bot::admin
