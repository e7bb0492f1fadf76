// What a batch is given: APK files, directories (walked recursively for *.apk), and list files
// (one path a line, or "APK<TAB>POLICY"). Each APK is identified by the SHA-256 of its bytes (and
// of its policy's, when it has one: batch::JobKey), never by its name: the same APK under two
// names is one job, and a name is never used to build an output path.
//
// An APK's privacy policy, scanned with it (`piaudit scan --policy`): the POLICY of its list line,
// else a file beside it named after it, NAME.policy.txt, NAME.policy.html, NAME.policy.htm or
// NAME.policy.pdf (the first of these that exists), else none (the scan then looks inside the APK).
#ifndef PIAUDIT_BATCH_INPUTS_H_
#define PIAUDIT_BATCH_INPUTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "batch/job_store.h"

namespace piaudit::batch {

struct ApkInput {
  std::string apk;     // absolute path
  std::string policy;  // absolute path, or empty
  friend auto operator<=>(const ApkInput&, const ApkInput&) = default;
};

// The APKs named by `inputs` (files as given, directories walked for files ending in .apk, any
// case) and by each line of each file in `list_files` (blank lines and lines starting with #
// skipped; a line "APK<TAB>POLICY" names one APK file and its policy, which must exist), each with
// its policy (see above), sorted and without duplicates.
Result<std::vector<ApkInput>> CollectApks(const std::vector<std::string>& inputs,
                                          const std::vector<std::string>& list_files);

// NAME.policy.{txt,html,htm,pdf} beside NAME.apk (the first that exists); empty for none.
std::string PolicyBeside(const std::string& apk_path);

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

// Hashes every APK and policy (or takes the hash from `cache`, which is updated when not null)
// into a job (JobKey); a file that cannot be read is an error naming it.
Result<std::vector<Submission>> MakeSubmissions(const std::vector<ApkInput>& apks,
                                                HashCache* cache = nullptr);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_INPUTS_H_
