#pragma once
// Driver stations (司机之家, 驿站) and the place-name table that turns "湖塘" into coordinates.
// Pure: parsing, place lookup, an in-memory nearest search (for previews of unpublished
// versions) and the driver-facing text. The published version is served from Redis GEO
// (faq/station_geo.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/script.hpp"

namespace kayou::faq {

struct Station {
    std::string id;
    std::string name;
    std::string district;
    double lat = 0;
    double lng = 0;
    std::string address;
    std::vector<std::string> services;
    std::string hours;
    std::string phone;  // the station's own public number, not personal data
    int line = 0;
    // What the station charges ("淋浴收费5元"); empty: the catalog's `fees` holds for it.
    std::string fees;
};

// A town, street or landmark drivers name instead of sending a location.
struct Place {
    std::string name;
    std::vector<std::string> aliases;
    double lat = 0;
    double lng = 0;
    // A city drivers name that the stations do not cover ("南京"): the answer says so.
    bool outside = false;
};

struct StationCatalog {
    std::string version;
    bool demo = false;
    std::string area;  // what the stations cover, as drivers know it ("常州市"); may be empty
    // What every station charges unless it says otherwise ("司机之家对货车司机免费开放"); empty:
    // not known, and a driver asking "洗澡要钱不" is told to ask the station.
    std::string fees;
    std::vector<Station> stations;
    std::vector<Place> places;

    const Station* find(std::string_view id) const;
    // The place whose name or alias occurs in `text` (longest match wins, so "湖塘镇" beats
    // "湖塘" and "武进区" beats "武进"); nullptr when none does.
    const Place* find_place(std::string_view text) const;
};

// Throws ScriptError listing every problem with its line.
StationCatalog parse_stations(std::string_view yaml_text, std::string_view source_name);

struct NearbyStation {
    const Station* station = nullptr;
    double distance_km = 0;
};

// Great-circle distance (haversine, mean Earth radius: what Redis GEO uses too).
double distance_km(double lat1, double lng1, double lat2, double lng2);

// The `count` nearest stations within radius_km, nearest first.
std::vector<NearbyStation> nearest_in_memory(const StationCatalog& catalog, double lat, double lng,
                                             std::size_t count = 3, double radius_km = 200);

// The service a driver asks a station for ("有洗澡的吗" → "淋浴", "能充电不" → "手机充电",
// "有餐饮吗" → "餐饮"): one the catalog's stations offer, named as the catalog names it or in a
// driver's words; "" when the text asks for none the catalog knows.
std::string wanted_service(const StationCatalog& catalog, std::string_view text);

// "离您最近的司机之家：1. 名称（2.3公里）地址；服务…；开放时间…". `from` names the place when
// the driver gave one instead of a location; `service`, the service every station listed offers.
std::string nearest_text(const std::vector<NearbyStation>& nearby, std::string_view from = {},
                         bool demo = false, std::string_view service = {});

// A location farther than this from every station is outside the area the stations cover.
inline constexpr double kCoveredRadiusKm = 50;
// Search radius that finds every station on Earth (half the circumference, rounded up).
inline constexpr double kAnywhereKm = 20100;

// The answer to a station question. `nearest`: stations nearest first, at any distance (up to
// three are shown). Outside the area (`outside_place`, or the nearest station farther than
// kCoveredRadiusKm) it says so, names the nearest covered station and the national hotline 12351
// instead of asking for a location again; inside it is nearest_text(). With a `service`
// (wanted_service), the stations inside that offer it; when none does, that none does, and the
// nearest stations as without it.
std::string stations_answer(const std::vector<NearbyStation>& nearest, std::string_view from,
                            bool demo, std::string_view area, bool outside_place = false,
                            std::string_view service = {});
// The stations that answer lists, in its order (one outside the area): what "第二个" next picks.
std::vector<const Station*> listed_stations(const std::vector<NearbyStation>& nearest,
                                            bool outside_place = false,
                                            std::string_view service = {});

// "第二个能停半挂不", "最近那个电话多少", "牛塘那个几点关门" right after a list: the station he
// picks among `listed` (0-based): by its place in the list (第一个…第五个, 第2家, 头一个, 最后那个,
// 最近的那个) or by the first words of its name (湖塘, 牛塘物流园). nullopt when he picks none.
std::optional<std::size_t> picked_station(std::string_view text,
                                          const std::vector<const Station*>& listed);

// What a message asks of a station, beside its name: 几点关门 (hours), 电话 (phone), 要钱不
// (fees), 在哪/咋走 (address), 能停半挂不 (the size of the parking), a service
// (wanted_service). Several at once are all answered.
struct StationQuestion {
    bool hours = false;
    bool phone = false;
    bool fees = false;
    bool address = false;
    bool big_vehicle = false;
    std::string service;  // as the catalog names it; "" none
    // The hour he says he arrives, 0–24 ("晚上11点到" → 23, "半夜12点" → 24); -1 none.
    int arrival_hour = -1;

    bool any() const {
        return hours || phone || fees || address || big_vehicle || !service.empty();
    }
};
StationQuestion station_question(const StationCatalog& catalog, std::string_view text);

// The answer about one station: what he asked first ("有淋浴。收不收费：…"), then the station's
// whole entry (name, address, services, hours, phone) so nothing needs asking twice.
std::string station_detail_text(const StationCatalog& catalog, const Station& station,
                                const StationQuestion& question);

// What he asked of every station listed ("几点关门" after a list): one line each.
std::string listed_stations_text(const StationCatalog& catalog,
                                 const std::vector<const Station*>& listed,
                                 const StationQuestion& question);

// A message right after a station list, about that list: the station he picks (`picked`, when he
// picked one before and asks on: "那几点关门" after "第二个能停半挂不"), or what he asks of all
// of them. nullopt when it is neither (a new place, another question).
struct StationFollowUp {
    std::string text;
    int picked = -1;  // 0-based in the list; -1 none
};
std::optional<StationFollowUp> about_listed_stations(const StationCatalog& catalog,
                                                     const std::vector<std::string>& listed_ids,
                                                     int picked_before, std::string_view text);

}  // namespace kayou::faq
