// The one error type of piaudit: a code, a message, and where in the input it happened.
//
// Every layer returns Status or Result<T>; nothing throws across a module boundary. An OK Status
// is a null pointer (as in LevelDB), so the success path costs nothing. A failure records the file
// it was found in (an APK path, or an entry inside it such as "classes2.dex"), the structure being
// read ("method_ids[812]") and the byte offset, so the message a user sees reads
//   classes2.dex+0x1a2c: method_ids[812]: proto_idx 9001 >= proto_ids_size 4410
#ifndef PIAUDIT_BASE_STATUS_H_
#define PIAUDIT_BASE_STATUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace piaudit {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidInput,   // the input breaks its format: bad magic, index out of its table, bad UTF-8
  kTruncated,      // the input ends before a structure it declares
  kLimitExceeded,  // a Limits budget ran out (entry count, inflated bytes, depth, time)
  kUnsupported,    // valid but outside what piaudit reads (unknown compression, future version)
  kNotFound,       // a named thing is absent (entry, resource id, knowledge id)
  kIo,             // the operating system refused (open, mmap, read, write)
  kInternal,       // a bug in piaudit; never caused by input alone
  // The scan's deadline passed (base/stop.h); the layer stopped and returns no partial result.
  kDeadlineExceeded,
  // The caller cancelled the scan (base/stop.h); no partial result either.
  kCancelled,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  // Where the failure was found; empty / nullopt when unknown.
  std::string_view file() const { return rep_ ? std::string_view(rep_->file) : ""; }
  std::string_view structure() const { return rep_ ? std::string_view(rep_->structure) : ""; }
  std::optional<uint64_t> offset() const {
    return rep_ && rep_->has_offset ? std::optional<uint64_t>(rep_->offset) : std::nullopt;
  }

  // Location setters return *this so a failure can be built in one expression:
  //   return InvalidInput("bad magic").At("classes.dex", "header", 0);
  Status& At(std::string_view file, std::string_view structure, uint64_t offset) &;
  Status&& At(std::string_view file, std::string_view structure, uint64_t offset) &&;
  Status& AtOffset(std::string_view structure, uint64_t offset) &;
  Status&& AtOffset(std::string_view structure, uint64_t offset) &&;
  // Names the structure alone, for failures that have no byte offset (a database constraint).
  Status& InStructure(std::string_view structure) &;
  Status&& InStructure(std::string_view structure) &&;
  // Names the file when an inner layer did not know it (a parser sees bytes, not names). An inner
  // file is kept and the outer one prefixed: "app.apk!classes2.dex".
  Status& InFile(std::string_view file) &;
  Status&& InFile(std::string_view file) &&;
  // Moves offsets found inside a sub-span to the enclosing span (adds base).
  Status& ShiftOffset(uint64_t base) &;
  Status&& ShiftOffset(uint64_t base) &&;

  // "file+0xOFF: structure: message" (parts omitted when unknown).
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string file;
    std::string structure;
    uint64_t offset = 0;
    bool has_offset = false;
  };
  std::unique_ptr<Rep> rep_;
};

inline Status InvalidInput(std::string message) {
  return Status(StatusCode::kInvalidInput, std::move(message));
}
inline Status Truncated(std::string message) {
  return Status(StatusCode::kTruncated, std::move(message));
}
inline Status LimitExceeded(std::string message) {
  return Status(StatusCode::kLimitExceeded, std::move(message));
}
inline Status Unsupported(std::string message) {
  return Status(StatusCode::kUnsupported, std::move(message));
}
inline Status NotFound(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}
inline Status IoError(std::string message) { return Status(StatusCode::kIo, std::move(message)); }
inline Status InternalError(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}
inline Status DeadlineExceeded(std::string message) {
  return Status(StatusCode::kDeadlineExceeded, std::move(message));
}
inline Status Cancelled(std::string message) {
  return Status(StatusCode::kCancelled, std::move(message));
}

// A value or the Status that explains why there is none. C++20 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "Result built from OK");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  Status TakeStatus() && { return ok() ? Status() : std::move(std::get<Status>(v_)); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

namespace internal {
inline Status AsStatus(const Status& s) { return s; }
inline Status AsStatus(Status&& s) { return std::move(s); }
template <typename T>
Status AsStatus(Result<T>&& r) {
  return std::move(r).TakeStatus();
}
}  // namespace internal

}  // namespace piaudit

#define PIAUDIT_CONCAT_INNER_(a, b) a##b
#define PIAUDIT_CONCAT_(a, b) PIAUDIT_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                                                  \
  do {                                                                         \
    ::piaudit::Status piaudit_status_ = ::piaudit::internal::AsStatus((expr)); \
    if (!piaudit_status_.ok()) return piaudit_status_;                         \
  } while (0)

// ASSIGN_OR_RETURN(auto x, ParseThing(bytes)); declares x from a Result or returns its Status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  PIAUDIT_ASSIGN_OR_RETURN_IMPL_(PIAUDIT_CONCAT_(piaudit_result_, __LINE__), lhs, expr)
#define PIAUDIT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).TakeStatus();   \
  lhs = std::move(tmp).value()

#endif  // PIAUDIT_BASE_STATUS_H_
