// Reads one real recording (a HAR from mitmdump, a pcap from tcpdump) through the product's own
// path (DetectFormat, ReadTrace, IdentifierSet::FindInNetworkEvent) and checks that every host and
// every identifier/encoding the capture test sent is found. Run by capture_test.sh.
//
//   trace_capture_check FILE --format har|pcap [--id kind=value]... [--lat X --lon Y]
//       [--host NAME]... [--tls-host NAME]... [--expect kind/encoding@where]...
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "runtime/identifier_match.h"
#include "trace/reader.h"

namespace {

using piaudit::trace::Event;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class CheckingSink : public piaudit::trace::EventSink {
 public:
  explicit CheckingSink(const piaudit::runtime::IdentifierSet& set) : set_(set) {}
  void OnEvent(const Event& event) override {
    if (event.type != piaudit::trace::EventType::kNetwork) return;
    ++network_events;
    std::string host(event.host);
    if (event.method == "TLS")
      tls_hosts.insert(host);
    else
      hosts.insert(host);
    for (const auto& m : set_.FindInNetworkEvent(event)) {
      std::string key = std::string(m.kind) + "/" + std::string(m.encoding) + "@" + Lower(m.where);
      ++found[key];
    }
  }
  void OnMalformed(uint64_t index, std::string_view why) override {
    std::printf("  malformed %llu: %.*s\n", static_cast<unsigned long long>(index),
                static_cast<int>(why.size()), why.data());
    ++malformed;
  }

  uint64_t network_events = 0;
  uint64_t malformed = 0;
  std::set<std::string> hosts, tls_hosts;
  std::map<std::string, int> found;

 private:
  const piaudit::runtime::IdentifierSet& set_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: trace_capture_check FILE --format har|pcap [options]\n");
    return 2;
  }
  std::string file = argv[1];
  std::string format;
  piaudit::trace::Identifiers ids;
  std::vector<std::string> want_hosts, want_tls_hosts, want_matches;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--format") {
      format = value;
    } else if (flag == "--host") {
      want_hosts.push_back(value);
    } else if (flag == "--tls-host") {
      want_tls_hosts.push_back(value);
    } else if (flag == "--expect") {
      want_matches.push_back(Lower(value));
    } else if (flag == "--lat") {
      ids.lat = std::strtod(value.c_str(), nullptr);
    } else if (flag == "--lon") {
      ids.lon = std::strtod(value.c_str(), nullptr);
    } else if (flag == "--id") {
      std::string kind = value.substr(0, value.find('='));
      std::string v = value.substr(value.find('=') + 1);
      if (kind == "imei")
        ids.imei.push_back(v);
      else if (kind == "android_id")
        ids.android_id = v;
      else if (kind == "mac")
        ids.mac = v;
      else if (kind == "oaid")
        ids.oaid = v;
      else if (kind == "imsi")
        ids.imsi = v;
      else if (kind == "iccid")
        ids.iccid = v;
      else if (kind == "serial")
        ids.serial = v;
      else if (kind == "phone_number")
        ids.phone_number = v;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }

  auto mapped = piaudit::MappedFile::Open(file, 1ull << 32);
  if (!mapped.ok()) {
    std::fprintf(stderr, "FAIL: %s\n", mapped.status().ToString().c_str());
    return 1;
  }
  piaudit::ByteSpan bytes = (*mapped)->bytes();
  piaudit::trace::TraceFormat detected = piaudit::trace::DetectFormat(
      bytes.Slice(0, std::min<size_t>(bytes.size(), 4096)).value(), file);
  std::string detected_name(piaudit::trace::TraceFormatName(detected));
  int failures = 0;
  if (detected_name != format) {
    std::printf("FAIL: %s detected as %s, expected %s\n", file.c_str(), detected_name.c_str(),
                format.c_str());
    ++failures;
  }
  piaudit::runtime::IdentifierSet set(ids);
  CheckingSink sink(set);
  piaudit::trace::ReadStats stats;
  piaudit::Status status = piaudit::trace::ReadTrace(detected, file, bytes, {}, sink, &stats);
  if (!status.ok()) {
    std::printf("FAIL: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("%s: %s, %llu bytes, %llu network events, %llu malformed\n", file.c_str(),
              detected_name.c_str(), static_cast<unsigned long long>(bytes.size()),
              static_cast<unsigned long long>(sink.network_events),
              static_cast<unsigned long long>(sink.malformed));
  for (const std::string& host : want_hosts) {
    bool ok = sink.hosts.count(host) > 0;
    std::printf("  %s host %s\n", ok ? "ok  " : "FAIL", host.c_str());
    failures += !ok;
  }
  for (const std::string& host : want_tls_hosts) {
    bool ok = sink.tls_hosts.count(host) > 0;
    std::printf("  %s TLS server name %s\n", ok ? "ok  " : "FAIL", host.c_str());
    failures += !ok;
  }
  for (const std::string& match : want_matches) {
    auto it = sink.found.find(match);
    bool ok = it != sink.found.end();
    std::printf("  %s %s%s\n", ok ? "ok  " : "FAIL", match.c_str(),
                ok ? (" (" + std::to_string(it->second) + "x)").c_str() : "");
    failures += !ok;
  }
  int total = 0;
  for (const auto& [key, count] : sink.found) total += count;
  std::printf("  identifier matches found: %d (%zu distinct kind/encoding/where)\n", total,
              sink.found.size());
  for (const auto& [key, count] : sink.found) {
    bool expected = false;
    for (const std::string& m : want_matches) expected |= m == key;
    if (!expected) std::printf("       also %s (%dx)\n", key.c_str(), count);
  }
  if (failures) std::printf("FAIL: %d expectation(s) not met\n", failures);
  return failures ? 1 : 0;
}
