// Every budget an input can spend, in one place, passed down in options. When a limit cuts
// analysis short the layer reports kLimitExceeded (fatal) or a Diagnostic (partial result), and the
// report says so. Defaults are sized for the largest real apps seen (100+ MB APKs with 30+ dex
// files) with a wide margin, while keeping one scan well inside a 24 GiB, 2-core machine running
// two scans at once.
#ifndef PIAUDIT_BASE_LIMITS_H_
#define PIAUDIT_BASE_LIMITS_H_

#include <cstdint>

namespace piaudit {

struct Limits {
  // --- container (zip) ---
  // Largest APK on a store is ~4 GB (Play's limit for base + expansion); we map, not copy.
  uint64_t max_archive_bytes = 4ull << 30;
  // Real APKs have at most a few 100k entries (large games); 1M bounds the central directory walk.
  uint32_t max_entries = 1'000'000;
  // Android's own limit on zip entry names is 64 KiB (the field is 16-bit); keep the same.
  uint32_t max_entry_name_bytes = 0xffff;
  // One entry inflated: DEX files reach ~100 MB in the biggest apps; 512 MiB leaves margin.
  uint64_t max_entry_inflated_bytes = 512ull << 20;
  // All inflation in one scan: sum over entries we actually inflate.
  uint64_t max_total_inflated_bytes = 4ull << 30;
  // deflate can reach ~1032:1; real entries stay far below 200:1. Past this (and over 1 MiB) it is
  // treated as a bomb.
  uint32_t max_compression_ratio = 1100;
  // APK inside APK inside APK: secondary payloads are analysed at most this deep.
  uint32_t max_nesting_depth = 3;

  // --- android formats ---
  uint32_t max_xml_depth = 256;        // layouts nest ~30 deep; ART's inflater refuses ~ >100
  uint32_t max_xml_nodes = 2'000'000;  // per binary XML document
  uint32_t max_string_pool_strings = 4'000'000;
  uint32_t max_string_bytes = 1u << 20;  // one decoded string
  uint32_t max_arsc_entries = 10'000'000;
  uint32_t max_elf_symbols = 500'000;
  uint32_t max_elf_strings = 20'000;  // notable strings kept per .so

  // --- dex and analysis ---
  uint32_t max_dex_files = 512;
  uint64_t max_call_graph_edges = 200'000'000;
  uint32_t max_chain_length = 64;
  uint32_t max_reported_call_sites = 200'000;

  // --- policy ---
  uint64_t max_policy_bytes = 64ull << 20;  // the 50 MB hostile case must fit and be rejected fast
  uint32_t max_html_depth = 512;
  uint64_t max_download_bytes = 16ull << 20;
  uint32_t max_redirects = 5;
  uint32_t http_timeout_ms = 15'000;

  // --- diagnostics ---
  uint32_t max_diagnostics = 10'000;  // anomalies kept per scan; the count beyond is still reported
};

}  // namespace piaudit

#endif  // PIAUDIT_BASE_LIMITS_H_
