#include "notify/signing/outcome.hpp"

#include "text/beijing_time.hpp"

namespace kayou::notify::signing {

using namespace std::chrono;

std::string_view to_string(FailureClass c) {
    switch (c) {
        case FailureClass::ok:
            return "ok";
        case FailureClass::transient:
            return "transient";
        case FailureClass::clock:
            return "clock";
        case FailureClass::window_limited:
            return "window_limited";
        case FailureClass::time_of_day:
            return "time_of_day";
        case FailureClass::permanent:
            return "permanent";
        case FailureClass::permanent_recipient:
            return "permanent_recipient";
        case FailureClass::billing:
            return "billing";
        case FailureClass::unknown_outcome:
            return "unknown_outcome";
    }
    return "unknown";
}

Classification classify_transport(TransportFailure failure) {
    if (failure == TransportFailure::not_sent) return {FailureClass::transient};
    return {FailureClass::unknown_outcome};
}

Classification classify_http_status(int status) {
    if (status >= 200 && status < 300) return {FailureClass::ok};
    if (status == 504) return {FailureClass::unknown_outcome};
    if (status >= 500 || status == 429) return {FailureClass::transient};
    return {FailureClass::permanent, std::nullopt, /*alert=*/true};
}

sys_seconds next_beijing_minute(sys_seconds now) {
    const local_seconds local = text::to_beijing(now);
    return text::from_beijing(floor<minutes>(local) + minutes{1});
}

sys_seconds next_beijing_hour(sys_seconds now) {
    const local_seconds local = text::to_beijing(now);
    return text::from_beijing(floor<hours>(local) + hours{1});
}

sys_seconds next_beijing_midnight(sys_seconds now) {
    const local_seconds local = text::to_beijing(now);
    return text::from_beijing(floor<days>(local) + days{1});
}

sys_seconds next_beijing_month(sys_seconds now) {
    const year_month_day today{floor<days>(text::to_beijing(now))};
    const year_month next = year_month{today.year(), today.month()} + months{1};
    return text::from_beijing(local_days{next / day{1}});
}

sys_seconds next_beijing_clock_time(sys_seconds now, int hour) {
    const local_seconds local = text::to_beijing(now);
    const local_seconds today_at = floor<days>(local) + hours{hour};
    return text::from_beijing(local <= today_at ? today_at : today_at + days{1});
}

}  // namespace kayou::notify::signing
