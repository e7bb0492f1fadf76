// What a batch is given: APK files, directories (walked recursively for *.apk), and list files
// (one path a line). Each APK is identified by the SHA-256 of its bytes, never by its name: the
// same APK under two names is one job, and a name is never used to build an output path.
#ifndef PIAUDIT_BATCH_INPUTS_H_
#define PIAUDIT_BATCH_INPUTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "batch/job_store.h"

namespace piaudit::batch {

// Absolute paths of the APKs named by `inputs` (files as given, directories walked for files
// ending in .apk, any case) and by each line of each file in `list_files` (blank lines and
// lines starting with # skipped), sorted and without duplicates.
Result<std::vector<std::string>> CollectApkPaths(const std::vector<std::string>& inputs,
                                                 const std::vector<std::string>& list_files);

// Lowercase hex SHA-256 of the file's bytes (read in blocks: an APK can be gigabytes).
Result<std::string> Sha256OfFile(const std::string& path);

// Hashes already known, so a resumed run over thousands of APKs does not read them all again: a
// path's hash is reused only while its size and modification time (ns) are unchanged, so an APK
// replaced in place (an update under the same name) is hashed again and becomes a new job.
struct KnownHash {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string sha256;
};
using HashCache = std::map<std::string, KnownHash>;  // by absolute path

// Hashes every path (or takes it from `cache`, which is updated when not null); a file that
// cannot be read is an error naming it.
Result<std::vector<Submission>> MakeSubmissions(const std::vector<std::string>& paths,
                                                HashCache* cache = nullptr);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_INPUTS_H_
