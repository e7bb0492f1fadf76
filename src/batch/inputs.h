// What a batch is given: APK files, directories (walked recursively for *.apk), and list files
// (one path a line). Each APK is identified by the SHA-256 of its bytes, never by its name: the
// same APK under two names is one job, and a name is never used to build an output path.
#ifndef PIAUDIT_BATCH_INPUTS_H_
#define PIAUDIT_BATCH_INPUTS_H_

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

// Hashes every path; a file that cannot be read is an error naming it.
Result<std::vector<Submission>> MakeSubmissions(const std::vector<std::string>& paths);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_INPUTS_H_
