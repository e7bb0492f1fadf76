// call_site_item decoding: an encoded_array whose first three values are fixed (bootstrap method
// handle, method name, method type) and whose rest are the bootstrap's extra arguments.
#include "dex/call_site.h"

#include <string>

namespace piaudit::dex {

Result<CallSite> ReadCallSite(const DexFile& dex, uint32_t idx) {
  const uint32_t off = dex.CallSiteOffset(idx);
  const std::string structure = "call_site_ids[" + std::to_string(idx) + "]";
  std::vector<EncodedValue> values;
  // A bootstrap takes at most 255 arguments (JVM limit), plus the three fixed ones.
  Status s = ReadEncodedArray(dex.bytes(), off, 258, &values);
  if (!s.ok()) return std::move(s.InFile(dex.name()));
  auto bad = [&](const std::string& msg) {
    return InvalidInput(msg).At(dex.name(), structure, off);
  };
  if (values.size() < 3 || values[0].type != ValueType::kMethodHandle ||
      values[1].type != ValueType::kString || values[2].type != ValueType::kMethodType) {
    return bad("call site must start with a method handle, a string and a method type");
  }
  CallSite site;
  site.bootstrap = values[0].index();
  site.method_name = values[1].index();
  site.method_type = values[2].index();
  if (site.bootstrap >= dex.num_method_handles())
    return bad("bootstrap method handle out of range");
  if (site.method_name >= dex.num_strings()) return bad("method name string out of range");
  if (site.method_type >= dex.num_protos()) return bad("method type proto out of range");
  site.extra_args.assign(values.begin() + 3, values.end());
  return site;
}

std::optional<uint32_t> CallSiteTargetMethod(const DexFile& dex, const CallSite& site) {
  for (const EncodedValue& v : site.extra_args) {
    if (v.type != ValueType::kMethodHandle || v.index() >= dex.num_method_handles()) continue;
    const MethodHandle h = dex.GetMethodHandle(v.index());
    if (!h.is_field()) return h.target;  // checked < num_methods by DexFile::Open
  }
  return std::nullopt;
}

}  // namespace piaudit::dex
