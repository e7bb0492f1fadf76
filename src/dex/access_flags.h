// Access flags of classes, fields and methods (dex format "access_flags definitions").
//
// Tricky: 0x0040 and 0x0080 mean different things on fields (volatile, transient) and methods
// (bridge, varargs); kAccConstructor (0x10000) and kAccDeclaredSynchronized (0x20000) exist only
// on methods. The names are ART's.
#ifndef PIAUDIT_DEX_ACCESS_FLAGS_H_
#define PIAUDIT_DEX_ACCESS_FLAGS_H_

#include <cstdint>

namespace piaudit::dex {

inline constexpr uint32_t kAccPublic = 0x0001;
inline constexpr uint32_t kAccPrivate = 0x0002;
inline constexpr uint32_t kAccProtected = 0x0004;
inline constexpr uint32_t kAccStatic = 0x0008;
inline constexpr uint32_t kAccFinal = 0x0010;
inline constexpr uint32_t kAccSynchronized = 0x0020;
inline constexpr uint32_t kAccVolatile = 0x0040;   // field
inline constexpr uint32_t kAccBridge = 0x0040;     // method
inline constexpr uint32_t kAccTransient = 0x0080;  // field
inline constexpr uint32_t kAccVarargs = 0x0080;    // method
inline constexpr uint32_t kAccNative = 0x0100;
inline constexpr uint32_t kAccInterface = 0x0200;
inline constexpr uint32_t kAccAbstract = 0x0400;
inline constexpr uint32_t kAccStrict = 0x0800;
inline constexpr uint32_t kAccSynthetic = 0x1000;
inline constexpr uint32_t kAccAnnotation = 0x2000;
inline constexpr uint32_t kAccEnum = 0x4000;
inline constexpr uint32_t kAccConstructor = 0x10000;
inline constexpr uint32_t kAccDeclaredSynchronized = 0x20000;

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_ACCESS_FLAGS_H_
