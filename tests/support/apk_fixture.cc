#include "support/apk_fixture.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace piaudit::testing {
namespace fs = std::filesystem;

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

CommandResult RunCommand(const std::string& shell_command) {
  CommandResult r;
  std::string cmd = shell_command + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  constexpr size_t kMaxOut = 64u << 20;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    if (r.out.size() < kMaxOut) r.out.append(buf, std::min(n, kMaxOut - r.out.size()));
  }
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string PiauditBinary() { return std::string(PIAUDIT_BINARY_DIR) + "/tools/piaudit/piaudit"; }

CommandResult RunPiaudit(const std::string& args) {
  return RunCommand(ShellQuote(PiauditBinary()) + " " + args);
}

std::string MakeTempDir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::string base = ::testing::TempDir();
  if (base.empty() || base.back() != '/') base += '/';
  for (;;) {
    std::string dir = base + "piaudit-" + prefix + "-" + std::to_string(::getpid()) + "-" +
                      std::to_string(counter++);
    if (::mkdir(dir.c_str(), 0700) == 0) return dir;
    if (errno != EEXIST) return dir;  // let the caller's first write fail with a clear error
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return IoError("cannot open " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Status WriteFile(const std::string& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return IoError("cannot write " + path);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return f ? Status() : IoError("short write " + path);
}

std::string CorpusDir() {
#ifdef PIAUDIT_CORPUS_DIR
  std::error_code ec;
  if (fs::is_directory(fs::path(PIAUDIT_CORPUS_DIR) / "apks", ec)) return PIAUDIT_CORPUS_DIR;
#endif
  return "";
}

std::vector<std::string> CorpusApks() {
  std::vector<std::string> out;
  std::string dir = CorpusDir();
  if (dir.empty()) return out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "apks", ec)) {
    if (e.path().extension() == ".apk") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::pair<std::string, std::string>> TestSigningKey() {
  static std::mutex mu;
  static std::string key, cert;
  std::lock_guard<std::mutex> lock(mu);
  if (!key.empty()) return std::make_pair(key, cert);
  std::string dir = MakeTempDir("key");
  std::string pem = dir + "/key.pem";
  std::string k = dir + "/key.pk8";
  std::string c = dir + "/cert.pem";
  auto r = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj " +
                      ShellQuote("/CN=piaudit test/O=piaudit/C=CN") + " -keyout " +
                      ShellQuote(pem) + " -out " + ShellQuote(c) + " && openssl pkcs8 -topk8 " +
                      "-nocrypt -outform DER -in " + ShellQuote(pem) + " -out " + ShellQuote(k));
  if (r.exit_code != 0) return InternalError("openssl key generation failed: " + r.out);
  key = k;
  cert = c;
  return std::make_pair(key, cert);
}

Result<std::string> BuildApk(const ApkSpec& spec, const std::string& name) {
  std::string dir = MakeTempDir("apk-" + name);
  RETURN_IF_ERROR(WriteFile(dir + "/src/AndroidManifest.xml", spec.manifest_xml));
  std::error_code ec;
  fs::create_directories(dir + "/src/res", ec);
  for (const auto& [path, text] : spec.resources) {
    RETURN_IF_ERROR(WriteFile(dir + "/src/res/" + path, text));
  }
  std::string unsigned_apk = dir + "/unsigned.apk";
  auto r = RunCommand("aapt package -f -M " + ShellQuote(dir + "/src/AndroidManifest.xml") +
                      " -S " + ShellQuote(dir + "/src/res") + " -I " + kFrameworkRes + " -F " +
                      ShellQuote(unsigned_apk));
  if (r.exit_code != 0) return InternalError("aapt package failed for " + name + ": " + r.out);
  if (!spec.extra_files.empty()) {
    std::string extra = dir + "/extra";
    std::string names;
    for (const auto& [entry, bytes] : spec.extra_files) {
      RETURN_IF_ERROR(WriteFile(extra + "/" + entry, bytes));
      names += " " + ShellQuote(entry);
    }
    r = RunCommand("cd " + ShellQuote(extra) + " && zip -q -X " + ShellQuote(unsigned_apk) + names);
    if (r.exit_code != 0) return InternalError("zip failed for " + name + ": " + r.out);
  }
  // The output lives in its own folder so no name can collide with the intermediate files.
  std::string out = dir + "/out/" + name + ".apk";
  ::mkdir((dir + "/out").c_str(), 0700);
  if (!spec.sign) {
    r = RunCommand("zipalign -f 4 " + ShellQuote(unsigned_apk) + " " + ShellQuote(out));
    if (r.exit_code != 0) return InternalError("zipalign failed for " + name + ": " + r.out);
    return out;
  }
  ASSIGN_OR_RETURN(auto key, TestSigningKey());
  std::string aligned = dir + "/aligned.apk";
  r = RunCommand("zipalign -f 4 " + ShellQuote(unsigned_apk) + " " + ShellQuote(aligned));
  if (r.exit_code != 0) return InternalError("zipalign failed for " + name + ": " + r.out);
  r = RunCommand("apksigner sign --key " + ShellQuote(key.first) + " --cert " +
                 ShellQuote(key.second) +
                 " --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true"
                 " --min-sdk-version 14 --out " +
                 ShellQuote(out) + " " + ShellQuote(aligned));
  if (r.exit_code != 0) return InternalError("apksigner failed for " + name + ": " + r.out);
  return out;
}

}  // namespace piaudit::testing
