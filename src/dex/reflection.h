// Reflection with constant names: Class.forName("a.B") followed by getMethod/getDeclaredMethod
// ("c") (or getField/getDeclaredField) on the result, inside one method.
//
// A deliberately simple per-method scan, not a data-flow analysis: registers are tracked in
// instruction order (branches ignored) and remember the last const-string, const-class, or
// Class.forName result written to them; any other write forgets. That finds the common obfuscation
// and SDK pattern (strings built right before the call) with no false pairing across writes; it
// misses names built by concatenation or passed in from elsewhere, which the report says.
#ifndef PIAUDIT_DEX_REFLECTION_H_
#define PIAUDIT_DEX_REFLECTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dex/code_item.h"
#include "dex/dex_file.h"

namespace piaudit::dex {

struct ConstantReflection {
  uint32_t dex_pc = 0;      // of the invoke that resolves the member (or of forName)
  std::string class_name;   // as written: "android.telephony.TelephonyManager" for forName,
                            // a descriptor "Landroid/telephony/TelephonyManager;" for const-class
  std::string member_name;  // "getDeviceId"; empty when only Class.forName("x") was seen
  std::string lookup;       // the reflective API: "getMethod", "getDeclaredMethod", "forName"...
};

// Scans one method. Reuses its register buffer across calls (one scanner per thread).
class ReflectionScanner {
 public:
  // Appends findings to *out. Fails only when the instructions run past the code item (findings
  // before that point are kept).
  Status Scan(const DexFile& dex, const CodeItem& code, std::vector<ConstantReflection>* out);

 private:
  struct RegValue {
    uint8_t kind = 0;  // 0 unknown, 1 string, 2 class-from-forName (string idx), 3 const-class
    uint32_t idx = 0;
  };
  std::vector<RegValue> regs_;
};

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_REFLECTION_H_
