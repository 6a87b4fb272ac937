#pragma once
// The standard Prometheus process metrics (process_cpu_seconds_total,
// process_resident_memory_bytes, process_open_fds, process_start_time_seconds) from /proc. With
// several processes on one port (server.reuse_port) each reports its own, on its own metrics port.
#include <optional>
#include <string_view>

namespace kayou::bot {

struct ProcessStats {
    double cpu_seconds = 0;     // user + system
    double resident_bytes = 0;  // resident set size
    double start_seconds = 0;   // since boot; add the boot time for a Unix time
};

// Parses the text of /proc/<pid>/stat. Fields are counted after the ")" that closes the command
// name, which may itself hold spaces and parentheses. nullopt for text that is not such a line.
std::optional<ProcessStats> parse_proc_stat(std::string_view text, long ticks_per_second,
                                            long page_size);

// parse_proc_stat of /proc/self/stat with the system's tick rate and page size.
std::optional<ProcessStats> read_process_stats();
// "btime" of /proc/stat: the Unix time the system booted.
std::optional<double> read_boot_time();
// Entries in /proc/self/fd.
std::optional<double> count_open_fds();

}  // namespace kayou::bot
