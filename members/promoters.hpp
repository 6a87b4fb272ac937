#pragma once
// Promoters (宣传员) and publicity events: who brought a join. A promoter or an event has a
// multi-use link, printed as a QR code on posters (text/qr.hpp). The link names nobody and
// grants nothing by itself: each visit mints a fresh single-use join link (members/join_link.hpp)
// carrying the promoter's id, at a bounded rate per promoter and per client address
// (members::CodeDesk::mint_promo_link), so every code cap of the join page still applies. The
// submit stores the id on the application and indexes it under the promoter, so the counts
// survive and approvals come from the applications' own status. docs/flows.md "Promoters".
//
// Keys (prefix P):
//   P promo:{<id>}         hash: id, kind (promoter | event), name (sealed: it may be a person's
//                          name), district, created_at, expires (Unix seconds), created_by
//   P promo:all            zset: id -> created_at
//   P promo:{<id>}:apps    zset: application id -> submitted_at (ApplicationStore::submit)
//
// Promo token: base64url(JSON {"e": expiry, "p": id}) "." base64url(first 16 bytes of
// HMAC-SHA256(key, first part)): short, so the QR code stays small enough to scan on a poster.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sealed_box.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::members {

// "P" and five of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0/O, 1/I: read aloud and typed).
bool is_promoter_id(std::string_view text);
std::string new_promoter_id();

// A Chinese message when the name may not be used (empty, too long, control characters), or
// nullopt. The name is trimmed first by the caller.
std::optional<std::string> promoter_name_problem(std::string_view name);

struct PromoClaims {
    std::string promoter;
    std::int64_t expires = 0;
};
std::string sign_promo_token(std::string_view key, const PromoClaims& claims);
// nullopt on a bad format or signature, an unknown id format, or expiry at or before `now`.
std::optional<PromoClaims> verify_promo_token(std::string_view key, std::string_view token,
                                              std::int64_t now);

struct Promoter {
    std::string id;
    std::string kind;  // "promoter" | "event"
    std::string name;
    std::string district;
    std::int64_t created_at = 0;
    std::int64_t expires = 0;
    std::string created_by;  // the admin's name (bot/admin/auth.hpp Principal)
};

struct PromoterStats {
    std::int64_t joins = 0;  // applications submitted through its links
    std::int64_t received = 0;
    std::int64_t approved = 0;
    std::int64_t rejected = 0;
};

class PromoterStore {
public:
    PromoterStore(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                  std::string key_prefix = "kayou:");

    // Stores `promoter` under a fresh id (set on the returned copy).
    boost::asio::awaitable<Promoter> create(Promoter promoter);
    boost::asio::awaitable<std::optional<Promoter>> get(std::string id);
    // Every promoter and event, newest first (at most `limit`).
    boost::asio::awaitable<std::vector<Promoter>> list(std::size_t limit = 1000);
    boost::asio::awaitable<PromoterStats> stats(std::string id);

    // The token of its multi-use link (the same every time: the QR can be printed again).
    std::string token(const Promoter& promoter) const;
    std::optional<PromoClaims> verify(std::string_view token, std::int64_t now) const;
    // Where the submit indexes the applications it attributes.
    std::string apps_key(std::string_view id) const;

private:
    std::string key(std::string_view id) const;

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
    std::string key_;  // promo token key
};

}  // namespace kayou::members
