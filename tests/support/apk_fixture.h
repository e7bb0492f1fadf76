// Test fixtures built from source at test time: APKs made with Debian's aapt against the framework
// resources, aligned with zipalign and signed (v1+v2+v3) by apksigner with a key generated once per
// test process. No binary fixture is committed.
#ifndef PIAUDIT_TESTS_SUPPORT_APK_FIXTURE_H_
#define PIAUDIT_TESTS_SUPPORT_APK_FIXTURE_H_

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace piaudit::testing {

inline constexpr char kFrameworkRes[] = "/usr/share/android-framework-res/framework-res.apk";

struct ApkSpec {
  std::string manifest_xml;                        // AndroidManifest.xml source text
  std::map<std::string, std::string> resources;    // "values/strings.xml" -> XML text
  std::map<std::string, std::string> extra_files;  // entry name -> raw bytes, added after aapt
  bool sign = true;                                // zipalign + apksigner v1+v2+v3
};

// Builds the APK in a fresh temp dir and returns its path, or a Status with the failing tool's
// output.
Result<std::string> BuildApk(const ApkSpec& spec, const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, first 64 MiB
};
CommandResult RunCommand(const std::string& shell_command);
// The built `piaudit` binary (PIAUDIT_BINARY_DIR/tools/piaudit/piaudit) with `args`, a shell
// fragment the caller quotes.
std::string PiauditBinary();
CommandResult RunPiaudit(const std::string& args);
std::string ShellQuote(const std::string& s);

// A new empty directory under ::testing::TempDir().
std::string MakeTempDir(const std::string& prefix);
Result<std::string> ReadFile(const std::string& path);
Status WriteFile(const std::string& path, const std::string& bytes);

// The shared corpus (PIAUDIT_CORPUS_DIR), or "" when it is absent.
std::string CorpusDir();
// Sorted paths of the corpus APKs (empty when the corpus is absent).
std::vector<std::string> CorpusApks();

// Paths of a signing key and certificate (PKCS#8 DER key, PEM cert) generated once per process.
Result<std::pair<std::string, std::string>> TestSigningKey();

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_SUPPORT_APK_FIXTURE_H_
