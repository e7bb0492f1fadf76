// piaudit-dump-info: `piaudit info --format json|text` as a lean binary linking only the layers
// info needs (container, android, native), for parity checks and for timing the pipeline without
// the start-up cost of the full tool (which links PDF, HTTP and ICU libraries).
//   piaudit-dump-info APP.apk [--format text|json]
// Exit codes as piaudit's: 0 ok, 2 usage, 3 bad input, 4 internal.
#include <cstdio>
#include <cstring>
#include <string>

#include "app/apk_facts.h"
#include "app/info_json.h"

int main(int argc, char** argv) {
  std::string apk, format = "text";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
      format = argv[++i];
    } else if (apk.empty() && argv[i][0] != '-') {
      apk = argv[i];
    } else {
      apk.clear();
      break;
    }
  }
  if (apk.empty() || (format != "text" && format != "json")) {
    std::fprintf(stderr, "usage: %s APP.apk [--format text|json]\n", argv[0]);
    return 2;
  }
  piaudit::app::ApkFactsOptions options;
  auto facts = piaudit::app::ReadApkFacts(apk, options);
  if (!facts.ok()) {
    std::fprintf(stderr, "piaudit info: %s\n", facts.status().ToString().c_str());
    return facts.status().code() == piaudit::StatusCode::kInternal ? 4 : 3;
  }
  std::string out = format == "json" ? piaudit::app::InfoToJson(*facts).dump(2) + "\n"
                                     : piaudit::app::InfoToText(*facts);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
