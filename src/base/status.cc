#include "base/status.h"

#include <cstdio>

namespace piaudit {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidInput:
      return "invalid input";
    case StatusCode::kTruncated:
      return "truncated";
    case StatusCode::kLimitExceeded:
      return "limit exceeded";
    case StatusCode::kUnsupported:
      return "unsupported";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kIo:
      return "I/O error";
    case StatusCode::kInternal:
      return "internal error";
    case StatusCode::kDeadlineExceeded:
      return "deadline exceeded";
    case StatusCode::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message) {
  if (code == StatusCode::kOk) return;
  rep_ = std::make_unique<Rep>();
  rep_->code = code;
  rep_->message = std::move(message);
}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

Status& Status::At(std::string_view file, std::string_view structure, uint64_t offset) & {
  if (rep_) {
    rep_->file = file;
    rep_->structure = structure;
    rep_->offset = offset;
    rep_->has_offset = true;
  }
  return *this;
}
Status&& Status::At(std::string_view file, std::string_view structure, uint64_t offset) && {
  return std::move(At(file, structure, offset));
}

Status& Status::AtOffset(std::string_view structure, uint64_t offset) & {
  if (rep_) {
    rep_->structure = structure;
    rep_->offset = offset;
    rep_->has_offset = true;
  }
  return *this;
}
Status&& Status::AtOffset(std::string_view structure, uint64_t offset) && {
  return std::move(AtOffset(structure, offset));
}

Status& Status::InStructure(std::string_view structure) & {
  if (rep_) rep_->structure = structure;
  return *this;
}
Status&& Status::InStructure(std::string_view structure) && {
  return std::move(InStructure(structure));
}

Status& Status::InFile(std::string_view file) & {
  if (rep_ && !file.empty()) {
    rep_->file = rep_->file.empty() ? std::string(file) : std::string(file) + "!" + rep_->file;
  }
  return *this;
}
Status&& Status::InFile(std::string_view file) && { return std::move(InFile(file)); }

Status& Status::ShiftOffset(uint64_t base) & {
  if (rep_ && rep_->has_offset) rep_->offset += base;
  return *this;
}
Status&& Status::ShiftOffset(uint64_t base) && { return std::move(ShiftOffset(base)); }

std::string Status::ToString() const {
  if (!rep_) return "ok";
  std::string out;
  if (!rep_->file.empty()) out += rep_->file;
  if (rep_->has_offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+0x%llx", static_cast<unsigned long long>(rep_->offset));
    out += buf;
  }
  if (!out.empty()) out += ": ";
  if (!rep_->structure.empty()) {
    out += rep_->structure;
    out += ": ";
  }
  out += rep_->message;
  return out;
}

}  // namespace piaudit
