#include "runtime/recording_file.h"

namespace piaudit::runtime {

Result<RecordingFile> RecordingFile::Open(const std::string& path,
                                          const trace::ReadOptions& options) {
  auto mapped = MappedFile::Open(path, options.limits.max_file_bytes);
  if (!mapped.ok()) return Status(mapped.status()).InFile(path);
  RecordingFile file;
  file.path_ = path;
  file.map_ = std::move(mapped).value();
  file.format_ = trace::DetectFormat(file.map_->bytes(), path);
  return file;
}

Status RecordingFile::Read(const trace::ReadOptions& options, trace::EventSink& sink,
                           trace::ReadStats* stats) const {
  trace::ReadOptions releasing = options;
  const MappedFile* map = map_.get();
  releasing.release = [map](ByteSpan done) { map->Release(done); };
  return trace::ReadTrace(format_, path_, map_->bytes(), releasing, sink, stats);
}

}  // namespace piaudit::runtime
