// Grammar checks for the identifiers the knowledge files contain, and the small matchers that
// use them. Kept apart from the loader so tests (and the analysis module) can call them directly.
//
// JVM references follow dexdump/smali: "Lpkg/Cls;->name(ArgTypes)RetType" for methods and
// "Lpkg/Cls;->name:Type" for fields, with type descriptors per the dex format spec
// (https://source.android.com/docs/core/runtime/dex-format#typedescriptor).
#ifndef PIAUDIT_KNOWLEDGE_SYNTAX_H_
#define PIAUDIT_KNOWLEDGE_SYNTAX_H_

#include <string>
#include <string_view>

namespace piaudit::knowledge {

struct JvmReference {
  std::string_view class_descriptor;  // "Landroid/os/Build;"
  std::string_view name;              // "getSerial" / "SERIAL"
  std::string_view signature;         // "()Ljava/lang/String;" / "Ljava/lang/String;"
  bool is_field = false;
};

// Parses a method or field reference; on failure returns false and says why in *why.
bool ParseJvmReference(std::string_view text, JvmReference* out, std::string* why);
// One field type descriptor ("I", "[B", "Ljava/lang/String;"); `void_ok` allows "V".
bool IsValidTypeDescriptor(std::string_view text, bool void_ok);
// A Java package or class name in dot form with at least two segments ("com.umeng").
bool IsValidPackagePrefix(std::string_view text, std::string* why);
// "stats.jpush.cn" or "*.jpush.cn": lower-case DNS labels, at least two.
bool IsValidHostPattern(std::string_view text, std::string* why);
// A file-name pattern with at most one '*' ("libjcore*.so"); no '/'.
bool IsValidFilePattern(std::string_view text, std::string* why);
// Matches `name` against a pattern with at most one '*' (any run, possibly empty).
bool MatchFilePattern(std::string_view pattern, std::string_view name);

// Dot form of a class name given as "Lcom/foo/Bar;", "com/foo/Bar" or "com.foo.Bar".
std::string ToDotClassName(std::string_view name);

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_SYNTAX_H_
