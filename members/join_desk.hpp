#pragma once
// The one owner of a join's send-code and submit, for both doors: the chat flow
// (dialogs/router_dialog.cpp runs the effects its step machine asks for) and the web join page
// (bot/join_pages.cpp). Both ask for and check codes here (caps, the code and its SMS:
// members/code_desk.hpp), submit here (the submit time and the deadline are stamped here; the
// one-per-ID rule, the link's claim and the district queues are ApplicationStore::submit's), and
// sign their join links here (members/join_link.hpp). What differs, the wording and the shape
// of the answer, stays with each door.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "members/application_store.hpp"
#include "members/code_desk.hpp"
#include "members/join_link.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::members {

class WorkingCalendar;

struct JoinDeskOptions {
    std::string key_prefix = "kayou:";
    std::string link_key;  // HMAC key of join links; empty: no links are signed
    std::chrono::seconds link_ttl{1800};
};

class JoinDesk {
public:
    // Operational events without personal data ("deadline_calendar_gap", ...).
    using Log = std::function<void(std::string_view event, std::string_view detail)>;

    // `calendar` may be replaced in place (a reload): it is read at each submit.
    JoinDesk(std::shared_ptr<redis::Client> redis, CodeDesk& codes, ApplicationStore& applications,
             const WorkingCalendar& calendar, JoinDeskOptions options, Log log,
             std::function<std::chrono::sys_seconds()> now);

    std::chrono::sys_seconds now() const { return now_(); }
    const JoinDeskOptions& options() const { return options_; }
    // How long a sent code stays valid (what the SMS and the page say).
    std::chrono::seconds code_ttl() const;

    boost::asio::awaitable<CodeSend> send_code(std::string mobile, CodeRequester who);
    boost::asio::awaitable<CodeCheck> check_code(std::string mobile, CodeRequester who,
                                                 std::string code);

    // Stamps the submit time and the deadline (a gap in the calendar is logged), then stores the
    // application. Throws what ApplicationStore::submit throws.
    boost::asio::awaitable<SubmitResult> submit(NewApplication application);
    // The same for an application sent through join link `link`: the link's claim (kept until
    // the link has expired anyway, so it outlives every use of it) and its promoter go with it.
    boost::asio::awaitable<SubmitResult> submit_through_link(NewApplication application,
                                                             const JoinLinkClaims& link);

    // A join link's token for a group member, counted per member and per group first
    // (CodeDesk::mint_link); nullopt past a cap.
    boost::asio::awaitable<std::optional<std::string>> group_link_token(std::string driver,
                                                                        std::string group);
    // A join link's token from a promoter's poster link, counted per promoter and per client
    // address first (CodeDesk::mint_promo_link); nullopt past a cap.
    boost::asio::awaitable<std::optional<std::string>> promo_link_token(std::string promoter,
                                                                        std::string address);
    // The claims of a join link's token when it is genuine and not expired.
    std::optional<JoinLinkClaims> verify_link(std::string_view token) const;
    // Whether a submit already used the link (the submit's script decides for good).
    boost::asio::awaitable<bool> link_used(const JoinLinkClaims& link);

private:
    std::string claim_key(const JoinLinkClaims& link) const;
    // A fresh single-use link (a new nonce) expiring link_ttl from now.
    std::string sign_link(std::string promoter) const;

    std::shared_ptr<redis::Client> redis_;
    CodeDesk& codes_;
    ApplicationStore& applications_;
    const WorkingCalendar& calendar_;
    JoinDeskOptions options_;
    Log log_;
    std::function<std::chrono::sys_seconds()> now_;
};

}  // namespace kayou::members
