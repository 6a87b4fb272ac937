#pragma once
// The published driver stations in Redis GEO, so "nearest three" is one GEOSEARCH whichever
// process asks.
//   <prefix>stations:{geo}           GEO set: member = station id
//   <prefix>stations:{geo}:info      hash: station id -> JSON (name, district, address, ...)
//   <prefix>stations:{geo}:version   the content version loaded into the two keys above
// A load writes temporary keys and RENAMEs them in one MULTI/EXEC, so a search sees either the
// old set or the new one, never a mix.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "faq/stations.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::faq {

struct GeoStation {
    Station station;  // owned copy, from the info hash
    double distance_km = 0;
};

class StationGeo {
public:
    StationGeo(std::shared_ptr<redis::Client> redis, std::string key_prefix);

    // Replaces the GEO set with the catalog's stations, tagged with `version`.
    boost::asio::awaitable<void> load(const StationCatalog& catalog, int version);
    // The version currently loaded (0 = none).
    boost::asio::awaitable<int> loaded_version();
    // GEOSEARCH ... BYRADIUS radius km ASC COUNT count WITHDIST; nearest first.
    boost::asio::awaitable<std::vector<GeoStation>> nearest(double lat, double lng,
                                                            std::size_t count = 3,
                                                            double radius_km = 200);

    const std::string& key() const { return geo_key_; }

private:
    std::shared_ptr<redis::Client> redis_;
    std::string geo_key_;
};

// Stations that came from Redis as the pure functions of faq/stations.hpp take them (pointing into
// `nearby`, which must outlive the result).
std::vector<NearbyStation> as_nearby(const std::vector<GeoStation>& nearby);
// nearest_text() for stations that came from Redis.
std::string nearest_text(const std::vector<GeoStation>& nearby, std::string_view from = {},
                         bool demo = false);

}  // namespace kayou::faq
