#include "faq/driver_services.hpp"

#include "faq/live_content.hpp"
#include "faq/station_geo.hpp"
#include "text/words.hpp"

namespace kayou::faq {
namespace asio = boost::asio;

using text::contains_any;

bool asks_for_stations(std::string_view text) {
    return contains_any(text, {"司机之家", "驿站", "司机驿站", "卡友之家", "休息站"});
}

bool asks_for_benefits(std::string_view text) {
    return contains_any(text, {"福利", "优惠", "好处", "权益", "普惠", "礼包", "体检", "补助"});
}

DriverServices::DriverServices(LiveContent& content, StationGeo& geo)
    : content_(content), geo_(geo) {}

std::string DriverServices::ask_for_location_text() {
    return "请发送您的位置（微信里点\"+\"→\"位置\"），或回复\"附近的司机之家 + 镇名\"，"
           "例如：附近的司机之家 湖塘。";
}

// Searched at any distance: a driver outside the area is told so and given the nearest covered
// station, not asked for his location again (stations_answer).
namespace {

// The answer and the ids it lists, for stations that came from Redis.
PlaceStations answer_and_list(const std::vector<GeoStation>& nearby, std::string_view from,
                              bool demo, std::string_view area, bool outside_place,
                              std::string_view service) {
    const std::vector<NearbyStation> view = as_nearby(nearby);
    PlaceStations found;
    found.text = stations_answer(view, from, demo, area, outside_place, service);
    for (const Station* station : listed_stations(view, outside_place, service))
        found.listed.push_back(station->id);
    return found;
}

}  // namespace

asio::awaitable<PlaceStations> DriverServices::stations_near(double lat, double lng) {
    auto catalog = content_.stations();
    const auto nearby = co_await geo_.nearest(lat, lng, 3, kAnywhereKm);
    const bool demo = catalog && catalog->demo;
    const std::string area = catalog ? catalog->area : std::string();
    co_return answer_and_list(nearby, {}, demo, area, false, {});
}

asio::awaitable<std::optional<PlaceStations>> DriverServices::stations_near_place(
    std::string text) {
    auto catalog = content_.stations();  // held for the whole call: the place points into it
    const Place* place = catalog ? catalog->find_place(text) : nullptr;
    if (!place) co_return std::nullopt;
    const std::string service = wanted_service(*catalog, text);
    // Filtered by a service, the three shown may be farther down the list.
    constexpr std::size_t kFilteredFrom = 50;
    const std::size_t count =
        service.empty() ? 3 : std::min(catalog->stations.size(), kFilteredFrom);
    const auto nearby = co_await geo_.nearest(place->lat, place->lng, count, kAnywhereKm);
    PlaceStations found =
        answer_and_list(nearby, place->name, catalog->demo, catalog->area, place->outside, service);
    found.place = place->name;
    co_return found;
}

std::optional<StationFollowUp> DriverServices::about_listed_stations(
    const std::vector<std::string>& listed, int picked_before, std::string_view text) const {
    auto catalog = content_.stations();
    if (!catalog) return std::nullopt;
    return faq::about_listed_stations(*catalog, listed, picked_before, text);
}

std::vector<std::string> DriverServices::listed_benefits(std::string_view district,
                                                         MemberStatus status, std::string_view kind,
                                                         std::string_view today) const {
    std::vector<std::string> ids;
    if (auto catalog = content_.benefits())
        for (const Benefit* benefit : faq::listed_benefits(*catalog, district, status, today, kind))
            ids.push_back(benefit->id);
    return ids;
}

std::optional<std::string> DriverServices::picked_benefit(const std::vector<std::string>& listed,
                                                          MemberStatus status,
                                                          std::string_view text) const {
    auto catalog = content_.benefits();
    if (!catalog) return std::nullopt;
    return picked_benefit_text(*catalog, listed, status, text);
}

std::string DriverServices::benefits(std::string_view district, MemberStatus status,
                                     std::string_view kind, std::string_view today) const {
    auto catalog = content_.benefits();
    if (!catalog) return "福利目录正在更新，请稍后再问，或拨打职工服务热线12351。";
    return benefits_text(*catalog, district, status, today, kind);
}

}  // namespace kayou::faq
