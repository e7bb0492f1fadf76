#include "batch/inputs.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace piaudit::batch {
namespace {

namespace fs = std::filesystem;

bool HasApkExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".apk";
}

Status AddPath(const std::string& input, std::vector<std::string>* out) {
  std::error_code ec;
  fs::path path = fs::absolute(input, ec);
  if (ec) return IoError(ec.message()).At(input, "input", 0);
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return NotFound("no such file or directory").At(input, "input", 0);
  if (fs::is_directory(st)) {
    // skip_permission_denied: one unreadable folder in a market mirror must not stop the walk;
    // symlinks are not followed into directories (a loop would never end).
    for (auto it = fs::recursive_directory_iterator(
             path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && HasApkExtension(it->path())) {
        out->push_back(it->path().lexically_normal().string());
      }
    }
    if (ec) return IoError(ec.message()).At(input, "directory walk", 0);
    return Status::Ok();
  }
  out->push_back(path.lexically_normal().string());
  return Status::Ok();
}

}  // namespace

std::string PolicyBeside(const std::string& apk_path) {
  const fs::path apk(apk_path);
  for (const char* suffix : {".policy.txt", ".policy.html", ".policy.htm", ".policy.pdf"}) {
    const fs::path candidate = apk.parent_path() / (apk.stem().string() + suffix);
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return "";
}

Result<std::vector<ApkInput>> CollectApks(const std::vector<std::string>& inputs,
                                          const std::vector<std::string>& list_files) {
  std::vector<ApkInput> apks;
  auto add = [&apks](const std::string& input, const std::string& policy) -> Status {
    std::vector<std::string> paths;
    if (Status s = AddPath(input, &paths); !s.ok()) return s;
    for (std::string& p : paths) apks.push_back({std::move(p), policy});
    return Status::Ok();
  };
  for (const std::string& input : inputs) {
    if (Status s = add(input, ""); !s.ok()) return s;
  }
  for (const std::string& list : list_files) {
    std::ifstream in(list);
    if (!in) return IoError("cannot read the list").At(list, "--list", 0);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      const std::string where = "line " + std::to_string(line_no);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.find('\t');
      std::string policy;
      if (tab != std::string::npos) {
        std::error_code ec;
        fs::path p = fs::absolute(line.substr(tab + 1), ec);
        if (ec || !fs::is_regular_file(p, ec)) {
          return NotFound("no such policy file: " + line.substr(tab + 1)).At(list, where, 0);
        }
        policy = p.lexically_normal().string();
        line.resize(tab);
        std::error_code dir_ec;
        if (fs::is_directory(line, dir_ec)) {
          return InvalidInput("a policy is given for one APK file, not a directory")
              .At(list, where, 0);
        }
      }
      if (Status s = add(line, policy); !s.ok()) return std::move(s).At(list, where, 0);
    }
  }
  for (ApkInput& a : apks) {
    if (a.policy.empty()) a.policy = PolicyBeside(a.apk);
  }
  std::sort(apks.begin(), apks.end());
  apks.erase(std::unique(apks.begin(), apks.end()), apks.end());
  return apks;
}

Result<std::string> Sha256OfFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return IoError(std::string("cannot open: ") + std::strerror(errno)).At(path, "", 0);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return InternalError("SHA-256 unavailable");
  }
  std::vector<unsigned char> buffer(1 << 20);
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), f.get())) > 0) {
    EVP_DigestUpdate(ctx.get(), buffer.data(), n);
  }
  if (std::ferror(f.get())) return IoError("read error").At(path, "", 0);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

namespace {

// The SHA-256 of one file, from `cache` while its size and modification time are unchanged.
Result<std::string> CachedSha256(const std::string& p, HashCache* cache) {
  std::error_code ec;
  const uint64_t size = fs::file_size(p, ec);
  const int64_t mtime_ns =
      ec ? 0
         : static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    fs::last_write_time(p, ec).time_since_epoch())
                                    .count());
  if (cache != nullptr && !ec) {
    auto it = cache->find(p);
    if (it != cache->end() && it->second.size == size && it->second.mtime_ns == mtime_ns) {
      return it->second.sha256;
    }
  }
  Result<std::string> sha = Sha256OfFile(p);
  if (!sha.ok()) return sha.status();
  if (cache != nullptr && !ec) (*cache)[p] = {size, mtime_ns, *sha};
  return sha;
}

}  // namespace

Result<std::vector<Submission>> MakeSubmissions(const std::vector<ApkInput>& apks,
                                                HashCache* cache) {
  std::vector<Submission> out;
  for (const ApkInput& a : apks) {
    Result<std::string> apk_sha = CachedSha256(a.apk, cache);
    if (!apk_sha.ok()) return apk_sha.status();
    std::string policy_sha;
    if (!a.policy.empty()) {
      Result<std::string> sha = CachedSha256(a.policy, cache);
      if (!sha.ok()) return sha.status();
      policy_sha = std::move(*sha);
    }
    out.push_back({JobKey(*apk_sha, policy_sha), a.apk, a.policy});
  }
  return out;
}

}  // namespace piaudit::batch
