#include "members/join_desk.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "crypto/random.hpp"
#include "members/calendar.hpp"
#include "redis/client.hpp"

namespace kayou::members {

namespace asio = boost::asio;

JoinDesk::JoinDesk(std::shared_ptr<redis::Client> redis, CodeDesk& codes,
                   ApplicationStore& applications, const WorkingCalendar& calendar,
                   JoinDeskOptions options, Log log, std::function<std::chrono::sys_seconds()> now)
    : redis_(std::move(redis)),
      codes_(codes),
      applications_(applications),
      calendar_(calendar),
      options_(std::move(options)),
      log_(std::move(log)),
      now_(std::move(now)) {}

std::chrono::seconds JoinDesk::code_ttl() const { return codes_.options().code_ttl; }

asio::awaitable<CodeSend> JoinDesk::send_code(std::string mobile, CodeRequester who) {
    co_return co_await codes_.send(std::move(mobile), std::move(who));
}

asio::awaitable<CodeCheck> JoinDesk::check_code(std::string mobile, CodeRequester who,
                                                std::string code) {
    co_return co_await codes_.check(std::move(mobile), std::move(who), std::move(code));
}

asio::awaitable<SubmitResult> JoinDesk::submit(NewApplication application) {
    application.submitted = now_();
    const auto deadline = calendar_.deadline_for(application.submitted);
    if (!deadline.fully_covered() && log_) log_("deadline_calendar_gap", deadline.warning());
    application.deadline = deadline.at;
    co_return co_await applications_.submit(std::move(application));
}

asio::awaitable<SubmitResult> JoinDesk::submit_through_link(NewApplication application,
                                                            const JoinLinkClaims& link) {
    application.link_claim_key = claim_key(link);
    const auto left = std::max<std::int64_t>(link.expires - now_().time_since_epoch().count(), 0);
    application.link_claim_ttl = std::chrono::seconds(left) + std::chrono::hours(1);
    // The attribution is in the signed link: the page cannot choose or change it.
    application.promoter = link.promoter;
    co_return co_await submit(std::move(application));
}

asio::awaitable<std::optional<std::string>> JoinDesk::group_link_token(std::string driver,
                                                                       std::string group) {
    auto minted = co_await codes_.mint_link(std::move(driver), std::move(group));
    if (minted != LinkMintVerdict::mint) co_return std::nullopt;
    co_return sign_link({});
}

asio::awaitable<std::optional<std::string>> JoinDesk::promo_link_token(std::string promoter,
                                                                       std::string address) {
    auto minted = co_await codes_.mint_promo_link(promoter, std::move(address));
    if (minted != LinkMintVerdict::mint) co_return std::nullopt;
    co_return sign_link(std::move(promoter));
}

std::optional<JoinLinkClaims> JoinDesk::verify_link(std::string_view token) const {
    return verify_join_token(options_.link_key, token, now_().time_since_epoch().count());
}

asio::awaitable<bool> JoinDesk::link_used(const JoinLinkClaims& link) {
    std::vector<std::string> command{"EXISTS", claim_key(link)};
    auto reply = co_await redis_->exec(std::move(command));
    co_return reply.is_integer() && reply.integer == 1;
}

std::string JoinDesk::claim_key(const JoinLinkClaims& link) const {
    return join_link_claim_key(options_.key_prefix, link.nonce);
}

std::string JoinDesk::sign_link(std::string promoter) const {
    // The link names no chat and works once (members/join_link.hpp).
    JoinLinkClaims claims;
    claims.expires = (now_() + options_.link_ttl).time_since_epoch().count();
    claims.nonce = crypto::random_alnum(16);
    claims.promoter = std::move(promoter);
    return sign_join_token(options_.link_key, claims);
}

}  // namespace kayou::members
