// On-disk layout of the dex header and id items, with the spec's field names. Private to
// src/dex: the public model (dex_file.h) uses plain names. Offsets rather than packed structs,
// because the bytes come from untrusted, possibly unaligned memory and every read goes through
// ByteSpan.
#ifndef PIAUDIT_DEX_INTERNAL_DEX_STRUCTS_H_
#define PIAUDIT_DEX_INTERNAL_DEX_STRUCTS_H_

#include <cstdint>

namespace piaudit::dex::internal {

// header_item
inline constexpr uint32_t kMagicSize = 8;  // "dex\n" "035\0"
inline constexpr uint32_t kOffChecksum = 8;
inline constexpr uint32_t kOffSignature = 12;
inline constexpr uint32_t kOffFileSize = 32;
inline constexpr uint32_t kOffHeaderSize = 36;
inline constexpr uint32_t kOffEndianTag = 40;
inline constexpr uint32_t kOffLinkSize = 44;
inline constexpr uint32_t kOffLinkOff = 48;
inline constexpr uint32_t kOffMapOff = 52;
inline constexpr uint32_t kOffStringIdsSize = 56;
inline constexpr uint32_t kOffStringIdsOff = 60;
inline constexpr uint32_t kOffTypeIdsSize = 64;
inline constexpr uint32_t kOffTypeIdsOff = 68;
inline constexpr uint32_t kOffProtoIdsSize = 72;
inline constexpr uint32_t kOffProtoIdsOff = 76;
inline constexpr uint32_t kOffFieldIdsSize = 80;
inline constexpr uint32_t kOffFieldIdsOff = 84;
inline constexpr uint32_t kOffMethodIdsSize = 88;
inline constexpr uint32_t kOffMethodIdsOff = 92;
inline constexpr uint32_t kOffClassDefsSize = 96;
inline constexpr uint32_t kOffClassDefsOff = 100;
inline constexpr uint32_t kOffDataSize = 104;
inline constexpr uint32_t kOffDataOff = 108;
inline constexpr uint32_t kHeaderSize = 0x70;
// v41 adds container_size and header_offset after data_off (header_size 0x78).
inline constexpr uint32_t kOffContainerSize = 112;
inline constexpr uint32_t kOffHeaderOffset = 116;
inline constexpr uint32_t kHeaderSizeV41 = 0x78;

inline constexpr uint32_t kEndianConstant = 0x12345678;
inline constexpr uint32_t kReverseEndianConstant = 0x78563412;

// Item sizes.
inline constexpr uint32_t kStringIdItemSize = 4;  // string_data_off
inline constexpr uint32_t kTypeIdItemSize = 4;    // descriptor_idx
inline constexpr uint32_t kProtoIdItemSize = 12;  // shorty_idx, return_type_idx, parameters_off
inline constexpr uint32_t kFieldIdItemSize = 8;   // class_idx u16, type_idx u16, name_idx
inline constexpr uint32_t kMethodIdItemSize = 8;  // class_idx u16, proto_idx u16, name_idx
inline constexpr uint32_t kClassDefItemSize = 32;
inline constexpr uint32_t kCallSiteIdItemSize = 4;    // call_site_off
inline constexpr uint32_t kMethodHandleItemSize = 8;  // type u16, unused u16, field_or_method_id
                                                      // u16, unused u16
inline constexpr uint32_t kMapItemSize = 12;          // type u16, unused u16, size, offset
inline constexpr uint32_t kCodeItemHeaderSize = 16;
inline constexpr uint32_t kTryItemSize = 8;

// map_item type codes.
enum MapItemType : uint16_t {
  kDexTypeHeaderItem = 0x0000,
  kDexTypeStringIdItem = 0x0001,
  kDexTypeTypeIdItem = 0x0002,
  kDexTypeProtoIdItem = 0x0003,
  kDexTypeFieldIdItem = 0x0004,
  kDexTypeMethodIdItem = 0x0005,
  kDexTypeClassDefItem = 0x0006,
  kDexTypeCallSiteIdItem = 0x0007,
  kDexTypeMethodHandleItem = 0x0008,
  kDexTypeMapList = 0x1000,
  kDexTypeTypeList = 0x1001,
  kDexTypeAnnotationSetRefList = 0x1002,
  kDexTypeAnnotationSetItem = 0x1003,
  kDexTypeClassDataItem = 0x2000,
  kDexTypeCodeItem = 0x2001,
  kDexTypeStringDataItem = 0x2002,
  kDexTypeDebugInfoItem = 0x2003,
  kDexTypeAnnotationItem = 0x2004,
  kDexTypeEncodedArrayItem = 0x2005,
  kDexTypeAnnotationsDirectoryItem = 0x2006,
  kDexTypeHiddenapiClassDataItem = 0xF000,
};

}  // namespace piaudit::dex::internal

#endif  // PIAUDIT_DEX_INTERNAL_DEX_STRUCTS_H_
