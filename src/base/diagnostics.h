// Anomalies that do not stop parsing (duplicate zip names, local/central header mismatch, unknown
// chunk, a dex file that failed while the rest of the app was read). For an auditor they are
// evidence of tampering or obfuscation, so every scan keeps them with their location and the
// report shows them. Bounded: past Limits::max_diagnostics only a count is kept.
#ifndef PIAUDIT_BASE_DIAGNOSTICS_H_
#define PIAUDIT_BASE_DIAGNOSTICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace piaudit {

enum class Severity : uint8_t { kInfo, kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string code;  // stable short id, e.g. "zip.duplicate_name"
  std::string file;
  std::string structure;
  uint64_t offset = 0;
  bool has_offset = false;
  std::string message;

  std::string ToString() const;
  bool operator==(const Diagnostic&) const = default;
};

class Diagnostics {
 public:
  explicit Diagnostics(uint32_t max_kept = 10'000) : max_kept_(max_kept) {}

  void Add(Diagnostic d);
  void Add(Severity severity, std::string code, std::string file, std::string structure,
           uint64_t offset, std::string message);
  // Records a failed Status as an error diagnostic (the rest of the scan goes on).
  void AddStatus(std::string code, const Status& status);
  // Appends another list (one a concurrent stage filled), its dropped count included.
  void Merge(const Diagnostics& other);

  const std::vector<Diagnostic>& items() const { return items_; }
  uint64_t dropped() const { return dropped_; }
  bool HasErrors() const;

 private:
  uint32_t max_kept_;
  std::vector<Diagnostic> items_;
  uint64_t dropped_ = 0;
};

}  // namespace piaudit

#endif  // PIAUDIT_BASE_DIAGNOSTICS_H_
