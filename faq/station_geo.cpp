#include "faq/station_geo.hpp"

#include <nlohmann/json.hpp>

#include "redis/client.hpp"

namespace kayou::faq {
namespace asio = boost::asio;

StationGeo::StationGeo(std::shared_ptr<redis::Client> redis, std::string key_prefix)
    : redis_(std::move(redis)), geo_key_(key_prefix + "stations:{geo}") {}

asio::awaitable<void> StationGeo::load(const StationCatalog& catalog, int version) {
    const std::string info_key = geo_key_ + ":info";
    const std::string tmp_geo = geo_key_ + ":tmp";
    const std::string tmp_info = geo_key_ + ":info:tmp";
    std::vector<std::vector<std::string>> commands;
    commands.push_back({"MULTI"});
    commands.push_back({"DEL", tmp_geo, tmp_info});
    if (catalog.stations.empty()) {
        commands.push_back({"DEL", geo_key_, info_key});
    } else {
        std::vector<std::string> geoadd{"GEOADD", tmp_geo};
        std::vector<std::string> hset{"HSET", tmp_info};
        for (const auto& s : catalog.stations) {
            char lng[32], lat[32];
            std::snprintf(lng, sizeof lng, "%.7f", s.lng);
            std::snprintf(lat, sizeof lat, "%.7f", s.lat);
            geoadd.insert(geoadd.end(), {lng, lat, s.id});
            nlohmann::json info{{"name", s.name},       {"district", s.district},
                                {"address", s.address}, {"services", s.services},
                                {"hours", s.hours},     {"phone", s.phone},
                                {"lat", s.lat},         {"lng", s.lng}};
            hset.insert(hset.end(), {s.id, info.dump()});
        }
        commands.push_back(std::move(geoadd));
        commands.push_back(std::move(hset));
        commands.push_back({"RENAME", tmp_geo, geo_key_});
        commands.push_back({"RENAME", tmp_info, info_key});
    }
    commands.push_back({"SET", geo_key_ + ":version", std::to_string(version)});
    commands.push_back({"EXEC"});
    auto replies = co_await redis_->pipeline(std::move(commands));
    const auto& exec = replies.back();
    if (!exec.is_array()) throw std::runtime_error("redis: station load failed: " + exec.str);
    for (const auto& reply : exec.elements)
        if (reply.is_error()) throw std::runtime_error("redis: station load failed: " + reply.str);
}

asio::awaitable<int> StationGeo::loaded_version() {
    std::vector<std::string> command{"GET", geo_key_ + ":version"};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_string()) co_return 0;
    try {
        co_return std::stoi(reply.str);
    } catch (const std::exception&) {
        co_return 0;
    }
}

asio::awaitable<std::vector<GeoStation>> StationGeo::nearest(double lat, double lng,
                                                             std::size_t count, double radius_km) {
    char lng_text[32], lat_text[32], radius[32];
    std::snprintf(lng_text, sizeof lng_text, "%.7f", lng);
    std::snprintf(lat_text, sizeof lat_text, "%.7f", lat);
    std::snprintf(radius, sizeof radius, "%.3f", radius_km);
    std::vector<std::string> search{
        "GEOSEARCH", geo_key_, "FROMLONLAT",          lng_text,  lat_text, "BYRADIUS", radius, "km",
        "ASC",       "COUNT",  std::to_string(count), "WITHDIST"};
    auto reply = co_await redis_->exec(std::move(search));
    if (reply.is_error()) throw std::runtime_error("redis: GEOSEARCH failed: " + reply.str);
    std::vector<GeoStation> out;
    std::vector<std::string> hmget{"HMGET", geo_key_ + ":info"};
    for (const auto& item : reply.elements) {
        if (item.elements.size() < 2) continue;
        GeoStation hit;
        hit.station.id = item.elements[0].str;
        hit.distance_km = std::strtod(item.elements[1].str.c_str(), nullptr);
        hmget.push_back(hit.station.id);
        out.push_back(std::move(hit));
    }
    if (out.empty()) co_return out;
    auto infos = co_await redis_->exec(std::move(hmget));
    for (std::size_t i = 0; i < out.size() && i < infos.elements.size(); ++i) {
        auto json = nlohmann::json::parse(infos.elements[i].str, nullptr, false);
        if (json.is_discarded() || !json.is_object()) continue;
        auto& s = out[i].station;
        s.name = json.value("name", "");
        s.district = json.value("district", "");
        s.address = json.value("address", "");
        s.services = json.value("services", std::vector<std::string>{});
        s.hours = json.value("hours", "");
        s.phone = json.value("phone", "");
        s.lat = json.value("lat", 0.0);
        s.lng = json.value("lng", 0.0);
    }
    co_return out;
}

std::vector<NearbyStation> as_nearby(const std::vector<GeoStation>& nearby) {
    std::vector<NearbyStation> view;
    for (const auto& hit : nearby) view.push_back({&hit.station, hit.distance_km});
    return view;
}

std::string nearest_text(const std::vector<GeoStation>& nearby, std::string_view from, bool demo) {
    return nearest_text(as_nearby(nearby), from, demo);
}

}  // namespace kayou::faq
