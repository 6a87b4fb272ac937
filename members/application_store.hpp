#pragma once
// Membership applications in Redis (DESIGN.md "Join", "Data in Redis"). One place for the record
// layout, so the join dialog (submit, progress) and the review console read the same thing.
//
// Keys (prefix "kayou:"; personal fields sealed with SealedBox, associated data
// "app:<id>:<field>"):
//   app:{<id>}                      hash: the record (fields below)
//   app:seq:<yyyymmdd>              INCR counter for application numbers, expires after 3 days
//   idcard:{<lookup hash>}          string: the id of the ID number's latest application
//   driver:{<driver>}:application   string: the id of the driver's latest application
//   district:{<district>}:pending   sorted set: application ids by deadline (Unix seconds)
//   district:{<district>}:pool      sorted set: turnover pool (no employer), by submission time
//   district:{<district>}:received  sorted set: every application the district received, by
//                                   submission time (review stats; members/review_store.hpp)
//   mobile:{<lookup hash>}:application  string: the latest application of a mobile number (a
//                                   driver's SMS "进度" reply)
//   joinlink:{<nonce>}:used         string: the application a single-use join link made
//                                   (members/join_link.hpp); claimed by the submit (the link step)
//   promo:{<id>}:apps               sorted set: applications made through a promoter's or an
//                                   event's link, by submission time (members/promoters.hpp)
//   {join}:submits                  stream: submits begun and not yet finished (the sealed record
//                                   and the link to claim; removed when the last step is done)
// A submit is steps on one hash tag each (application_store.cpp): the intent first, then the
// link's claim, the record, the ID number's claim, the indexes. A crash between them leaves the
// intent, and recover_submits() (the review sweep) runs the steps again, so a crash never leaves
// an application that the one-per-ID rule or a reviewer's queue cannot see.
//
// Record fields: id, status (received | approved | rejected), reason, district, channel, driver,
// submitted_at, deadline (Unix seconds), deadline_text (Beijing "yyyy-mm-dd HH:MM"), employer
// ("" = none), turnover_pool ("1"/"0"), occupation ("货车司机"), name/id_card/mobile/plate
// (sealed), id_hash, mobile_hash (lookup hashes), promoter (members/promoters.hpp id or "");
// set by review (members/review_store.hpp):
// decided_at, decided_by, sms_id, moved_from, transferred_to, transferred_at, reminded_at,
// escalated_at. Lists mask on read (dialogs/privacy.hpp).
// "Active" means received or approved: a rejected applicant may apply again.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sealed_box.hpp"

namespace kayou::redis {
class Client;
struct Reply;
}  // namespace kayou::redis

namespace kayou::members {

inline constexpr std::string_view kOccupationTruckDriver = "货车司机";

struct NewApplication {
    std::string name;
    std::string id_card;  // normalized (validate_id_card)
    std::string mobile;   // 11 digits, confirmed by SMS code
    std::string plate;
    std::string district;  // district id
    std::string employer;  // "" = none: the district's turnover pool
    std::string channel;   // "oa", "bridge", "web", ...
    // "<channel>:<sender id>": the chat that may ask for progress. "" for a web application:
    // no chat owns it until its applicant links one (members/chat_binding.hpp).
    std::string driver;
    std::chrono::sys_seconds submitted{};
    std::chrono::sys_seconds deadline{};
    // A web application made through a join link: the key marking the link used
    // (join_link_claim_key) and how long it is kept. The submit claims it in its own script, so
    // a second submit with the same link stores nothing (SubmitResult::link_used).
    std::string link_claim_key;
    std::chrono::seconds link_claim_ttl{0};
    // The promoter or event whose link started it (members/promoters.hpp), or "". Stored as the
    // record's "promoter" field and indexed in promo:{<id>}:apps by the submit script.
    std::string promoter;
};

struct Application {
    std::string id;
    std::string status;  // received | approved | rejected
    std::string reason;
    std::string district;
    std::string channel;
    std::string driver;
    std::int64_t submitted_at = 0;
    std::int64_t deadline = 0;
    std::string deadline_text;
    std::string employer;
    bool turnover_pool = false;
    std::string occupation;
    // Decrypted; empty if a field fails to open (wrong key): never guessed.
    std::string name, id_card, mobile, plate;
    // Review (0 / "" until it happens).
    std::int64_t decided_at = 0;
    std::string decided_by;
    std::string sms_id;  // the approval/rejection SMS in the outbox
    std::string moved_from;
    std::string transferred_to;
    std::string promoter;  // members/promoters.hpp id, or ""  // grassroots union (会籍接转) of a
                           // turnover-pool member
    std::int64_t transferred_at = 0;
    std::int64_t reminded_at = 0;
    std::int64_t escalated_at = 0;
};

struct SubmitResult {
    bool created = false;     // false: the ID number already has an active application
    Application application;  // the new one, or the existing one (status, deadline)
    // The join link was used before: nothing was stored and `application` is empty.
    bool link_used = false;
    // Not created, and the existing application was made with this same (SMS-proven) mobile:
    // it is this applicant's, and the submitting chat (NewApplication::driver) is now linked to
    // it. False when someone else's: its number and status are not his to see.
    bool same_applicant = false;
};

// "2026-11-22 15:04" in Beijing time.
std::string beijing_minute_text(std::chrono::sys_seconds t);
// "RH" + Beijing yyyymmdd + 6-digit daily sequence: "RH20261122000042".
std::string format_application_id(std::chrono::sys_seconds submitted, long long sequence);
// Whether `text` has the shape format_application_id produces ("RH" + 14 digits).
bool is_application_id(std::string_view text);
// "已受理" / "已通过" / "未通过".
std::string status_text(std::string_view status);

class ApplicationStore {
public:
    ApplicationStore(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                     std::string key_prefix = "kayou:");

    // Creates the application unless the ID number has an active one or its join link was used.
    // Throws redis::Error.
    boost::asio::awaitable<SubmitResult> submit(NewApplication application);
    boost::asio::awaitable<std::optional<Application>> get(std::string id);
    boost::asio::awaitable<std::optional<Application>> latest_for_driver(std::string driver);
    boost::asio::awaitable<std::optional<Application>> active_for_id_card(std::string id_card);
    // The latest application made with this mobile number (SMS replies come from a phone).
    boost::asio::awaitable<std::optional<Application>> latest_for_mobile(std::string mobile);
    // One pipeline; ids without a record are skipped.
    boost::asio::awaitable<std::vector<Application>> get_many(std::vector<std::string> ids);

    std::string app_key(std::string_view id) const;
    std::string mobile_key(std::string_view mobile_hash) const;
    // The key naming a chat's latest application ("<channel>:<sender id>").
    std::string driver_key(std::string_view driver) const;
    // What a submit writes first; recover_submits() finishes those a dead process left.
    struct SubmitIntent {
        std::string entry;  // in {join}:submits
        std::string id;
        std::map<std::string, std::string> record;  // the record's fields, personal ones sealed
        std::string link_claim_key;                 // "" when no link is claimed
        std::chrono::seconds link_claim_ttl{0};
    };
    // The intent of submitting `a` as application `id` (seals the personal fields; no I/O).
    SubmitIntent prepare_submit(const NewApplication& a, const std::string& id) const;
    boost::asio::awaitable<std::string> record_submit_intent(const SubmitIntent& intent);
    // The steps after the intent; "new", "used" (the link) or the id of the active application
    // the ID number already has. Safe to run again.
    boost::asio::awaitable<std::string> run_submit_steps(const SubmitIntent& intent);
    // Runs the steps of submits begun more than `older_than` ago; returns how many.
    boost::asio::awaitable<std::size_t> recover_submits(std::chrono::milliseconds older_than);
    std::string submits_key() const;
    // Puts application `id` into `district`'s pending and received queues, and its pool when
    // `pool`; one script on the district's tag, safe to run again. Used by the submit's steps and
    // by a move to another district. The script's reply (an error reply when it failed).
    boost::asio::awaitable<redis::Reply> enter_district_queues(std::string id, std::string district,
                                                               std::int64_t deadline,
                                                               std::int64_t submitted, bool pool);
    // An HGETALL reply of app_key() as a record (nullopt: no such key).
    std::optional<Application> parse(const redis::Reply& hash) const;
    const std::string& prefix() const { return prefix_; }

private:
    boost::asio::awaitable<SubmitResult> existing_result(Application existing,
                                                         const NewApplication& a);

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
};

}  // namespace kayou::members
