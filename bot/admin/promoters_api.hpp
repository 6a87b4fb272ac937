#pragma once
// Admin HTTP API for promoters (宣传员) and publicity events (roles city_admin and
// district_admin; docs/admin-api.md "Promoters"). A district_admin creates and sees only its own
// districts' promoters (403 otherwise); every create and every QR download is audited.
//   GET  /admin/api/promoters[?district=]     promoters and events with their link and counts
//                                             (joins, received, approved, rejected), and the
//                                             totals per district
//   POST /admin/api/promoters                 {"kind": "promoter"|"event", "name", "district",
//                                             "days": 1-366 (default 90)} -> 201, the promoter
//   GET  /admin/api/promoters/<id>            one, with its counts
//   GET  /admin/api/promoters/<id>/qr.svg     its link as a printable QR code (text/qr.hpp)
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "bot/admin/auth.hpp"
#include "net/http_server.hpp"

namespace kayou::members {
class DistrictCatalog;
}
namespace kayou::members {
class PromoterStore;
}

namespace kayou::bot::admin {

class PromotersApi {
public:
    using Clock = std::int64_t (*)();  // Unix seconds
    // `public_base_url`: members.public_base_url; without it there is no link and no QR (409).
    PromotersApi(const Authenticator& auth, AuditLog& audit, members::PromoterStore& promoters,
                 const members::DistrictCatalog& districts, std::string public_base_url, Clock now);
    void install(net::HttpServer& server);
    boost::asio::awaitable<net::HttpResponse> handle(net::HttpRequest& request);

private:
    boost::asio::awaitable<net::HttpResponse> list(const Principal& who,
                                                   const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> create(const Principal& who,
                                                     const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> one(const Principal& who, std::string id, bool qr);

    const Authenticator& auth_;
    AuditLog& audit_;
    members::PromoterStore& promoters_;
    const members::DistrictCatalog& districts_;
    std::string base_url_;
    Clock now_;
};

}  // namespace kayou::bot::admin
