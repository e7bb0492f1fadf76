#include "base/diagnostics.h"

#include <cstdio>

namespace piaudit {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (has_offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+0x%llx", static_cast<unsigned long long>(offset));
    out += buf;
  }
  if (!out.empty()) out += ": ";
  if (!structure.empty()) out += structure + ": ";
  return out + message + " [" + code + "]";
}

void Diagnostics::Add(Diagnostic d) {
  if (items_.size() >= max_kept_) {
    ++dropped_;
    return;
  }
  items_.push_back(std::move(d));
}

void Diagnostics::Merge(const Diagnostics& other) {
  for (const Diagnostic& d : other.items_) Add(d);
  dropped_ += other.dropped_;
}

void Diagnostics::Add(Severity severity, std::string code, std::string file, std::string structure,
                      uint64_t offset, std::string message) {
  Add(Diagnostic{severity, std::move(code), std::move(file), std::move(structure), offset, true,
                 std::move(message)});
}

void Diagnostics::AddStatus(std::string code, const Status& status) {
  if (status.ok()) return;
  Diagnostic d;
  d.severity = Severity::kError;
  d.code = std::move(code);
  d.file = std::string(status.file());
  d.structure = std::string(status.structure());
  if (auto off = status.offset()) {
    d.offset = *off;
    d.has_offset = true;
  }
  d.message = std::string(status.message());
  Add(std::move(d));
}

bool Diagnostics::HasErrors() const {
  for (const auto& d : items_)
    if (d.severity == Severity::kError) return true;
  return false;
}

}  // namespace piaudit
