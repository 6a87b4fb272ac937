#pragma once
// What the rest of kayou sees of SMS: put a message into the durable outbox. Delivery (providers,
// retries, receipts, rate limits) happens behind it, in notify/.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace kayou::notify {

struct SmsMessage {
    enum class Kind {
        notification,  // about the driver's own application or ticket: sent even after an opt-out
        verification,  // a one-time code the driver asked for
        reminder,      // to reviewers/admins, or anything a driver may opt out of
    };
    std::string phone;          // mainland mobile, 11 digits, already validated
    std::string template_name;  // a name from config/sms-templates.yaml
    std::vector<std::string> params;
    // Same key = same SMS: enqueuing twice sends once (e.g. "approval:<application id>").
    std::string idempotency_key;
    Kind kind = Kind::notification;
    // Unix ms by which the SMS should be settled (an application's deadline); 0 = a default by
    // kind. Retries stop a margin before it (notify/sms_schedule.hpp).
    std::int64_t settle_by_ms = 0;
};

class SmsOutbox {
public:
    virtual ~SmsOutbox() = default;
    // Durable once this returns; throws redis::Error when the outbox cannot be written.
    virtual boost::asio::awaitable<void> enqueue(SmsMessage message) = 0;
};

}  // namespace kayou::notify
