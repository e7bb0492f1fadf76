// One recording file opened once: mapped, its format recognised, and read with its pages dropped
// behind the reader (each pass touches every byte once, so a recording of gigabytes is read in the
// memory of a few MiB). Used by every reader of recordings in src/runtime.
#ifndef PIAUDIT_RUNTIME_RECORDING_FILE_H_
#define PIAUDIT_RUNTIME_RECORDING_FILE_H_

#include <memory>
#include <string>

#include "base/mapped_file.h"
#include "base/status.h"
#include "trace/reader.h"

namespace piaudit::runtime {

class RecordingFile {
 public:
  // Maps `path` (bounded by options.limits.max_file_bytes) and recognises its format; a file
  // that cannot be mapped is the Status, naming it.
  static Result<RecordingFile> Open(const std::string& path, const trace::ReadOptions& options);

  const std::string& path() const { return path_; }
  trace::TraceFormat format() const { return format_; }

  // One pass over the whole file into `sink` (ReadTrace), releasing pages as it goes.
  Status Read(const trace::ReadOptions& options, trace::EventSink& sink,
              trace::ReadStats* stats) const;

 private:
  std::string path_;
  std::unique_ptr<MappedFile> map_;
  trace::TraceFormat format_ = trace::TraceFormat::kUnknown;
};

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_RECORDING_FILE_H_
