#pragma once
// The benefits and stations answers as the dialog engine needs them: one call per driver message,
// from whatever version is published now. (Legal Q&A: legal_service.hpp; tickets: tickets.hpp.)
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/benefits.hpp"
#include "faq/stations.hpp"

namespace kayou::faq {

class LiveContent;
class StationGeo;

// "附近的司机之家", "最近的驿站", "哪里有司机之家": a station question (with or without a place).
bool asks_for_stations(std::string_view text);
// "福利", "优惠", "入会有什么好处", "会员权益": a benefits question.
bool asks_for_benefits(std::string_view text);

// The stations near a place a driver named, and the place as the stations file names it (what a
// chat remembers for "有洗澡的吗" next: never the driver's own words).
struct PlaceStations {
    std::string text;
    std::string place;  // "" for a location he sent
    // The ids of the stations the text lists, in its order: "第二个能停半挂不" next picks one.
    std::vector<std::string> listed;
};

class DriverServices {
public:
    DriverServices(LiveContent& content, StationGeo& geo);

    // A WeChat location message: the nearest three stations with distance and services; outside
    // the area, that it is outside, the nearest covered station and 12351 (stations_answer).
    boost::asio::awaitable<PlaceStations> stations_near(double lat, double lng);
    // "附近的司机之家 湖塘": the place from the stations file's alias table (places outside the
    // area answered as above); nullopt when the text names no known place (ask the driver for a
    // location or a town, whichever his channel can send). "湖塘有洗澡的吗": only stations with
    // the service asked for (wanted_service).
    boost::asio::awaitable<std::optional<PlaceStations>> stations_near_place(std::string text);
    // The driver's benefits by district, membership status and today's date ("YYYY-MM-DD").
    std::string benefits(std::string_view district, MemberStatus status, std::string_view kind,
                         std::string_view today) const;
    // The ids of the benefits that answer numbers (faq::listed_benefits), and the one "第二个咋领"
    // picks among them (faq::picked_benefit_text); empty / nullopt without a catalog.
    std::vector<std::string> listed_benefits(std::string_view district, MemberStatus status,
                                             std::string_view kind, std::string_view today) const;
    std::optional<std::string> picked_benefit(const std::vector<std::string>& listed,
                                              MemberStatus status, std::string_view text) const;

    // A message about the stations just listed (faq::about_listed_stations), from the published
    // catalog; nullopt when it is not about them or no catalog is published.
    std::optional<StationFollowUp> about_listed_stations(const std::vector<std::string>& listed,
                                                         int picked_before,
                                                         std::string_view text) const;

    // What to say when a station question names no place.
    static std::string ask_for_location_text();

private:
    LiveContent& content_;
    StationGeo& geo_;
};

}  // namespace kayou::faq
