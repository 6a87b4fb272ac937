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
};

// A town, street or landmark drivers name instead of sending a location.
struct Place {
    std::string name;
    std::vector<std::string> aliases;
    double lat = 0;
    double lng = 0;
};

struct StationCatalog {
    std::string version;
    bool demo = false;
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

// "离您最近的司机之家：1. 名称（2.3公里）地址；服务…；开放时间…". `from` names the place when
// the driver gave one instead of a location.
std::string nearest_text(const std::vector<NearbyStation>& nearby, std::string_view from = {},
                         bool demo = false);

}  // namespace kayou::faq
