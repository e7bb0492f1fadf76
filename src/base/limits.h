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

  // --- APK signatures ---
  // Signers per v2/v3 block: real APKs have 1-3 (a key rotation adds one); each is a certificate
  // parse and a signature check, so the bound keeps a hostile block's cost small.
  uint32_t max_signers = 64;
  // Digests, signatures, certificates, additional attributes and proof-of-rotation nodes per
  // signer: real signers have 1-3 of each; 256 leaves room for long rotation histories.
  uint32_t max_signer_items = 256;
  // Signers and certificates in one v1 PKCS#7 block (*.RSA/*.DSA/*.EC): real blocks have one
  // signer and one to three certificates; each signer costs a certificate search and a signature
  // check. A block over either bound is reported as not verified.
  uint32_t max_pkcs7_signers = 64;
  uint32_t max_pkcs7_certificates = 256;
  // Attributes kept per JAR manifest section: real sections have two or three (Name and its
  // digests); the bound keeps the duplicate-key search linear in the manifest's size.
  uint32_t max_jar_attributes = 64;

  // --- android formats ---
  // One binary XML document as decoded: node and attribute records plus the strings copied into
  // them. Replaces a depth limit (max_xml_depth, 256), which Android does not have: a manifest
  // nested deeper still installs, so a depth cap only hid the app from the audit; depth now costs
  // nothing (explicit stack), and this caps what a document can make us allocate, including one
  // long string referenced by many attributes. Documents decode to about 6x their binary size
  // (the corpus's largest, 11 KB, to 64 KB); the biggest real manifests are a few hundred KB, so
  // a few MB decoded: 256 MiB is a wide margin, and two scans at once still fit in memory.
  uint64_t max_xml_decoded_bytes = 256ull << 20;
  uint32_t max_xml_nodes = 2'000'000;  // per binary XML document
  uint32_t max_string_pool_strings = 4'000'000;
  uint32_t max_string_bytes = 1u << 20;  // one decoded string
  uint32_t max_arsc_entries = 10'000'000;
  uint32_t max_elf_symbols = 500'000;
  uint32_t max_elf_strings = 20'000;  // notable strings kept per .so
  // DT_* entries read from one .so's dynamic section: real libraries have 30-60; the section's
  // size is the input's word, and the walk must not follow a hostile one through the whole file.
  uint32_t max_elf_dynamic_entries = 1 << 16;

  // --- layouts (consent texts, view ids) ---
  // Layout files read: real apps have low thousands (the largest seen ~8k).
  uint32_t max_layouts = 20'000;
  // One compiled layout: rarely over 100 KiB; larger ones are skipped with a diagnostic.
  uint64_t max_layout_bytes = 2u << 20;
  // Views with an id or text kept over all layouts of one scan.
  uint32_t max_layout_views = 200'000;

  // --- dex and analysis ---
  uint32_t max_dex_files = 512;
  // Secondary dex files (assets, payloads) analysed as code; payloads beyond are listed only.
  uint32_t max_secondary_dex = 64;
  // Text assets searched for URLs and hosts: larger ones are data sets or bundles (4 MiB covers
  // config files and web pages an app ships); games ship thousands of small files.
  uint64_t max_text_asset_bytes = 4u << 20;
  uint32_t max_text_assets = 2000;
  // URL hits taken from one blob (resources.arsc, one asset).
  uint32_t max_urls_per_blob = 5000;
  uint64_t max_call_graph_edges = 200'000'000;
  uint32_t max_chain_length = 64;
  uint32_t max_reported_call_sites = 200'000;
  // Superclasses walked up from a used class to add its <clinit> edges: real chains are under 15
  // deep (View subclasses ~10); the bound also ends a superclass cycle in a hostile dex.
  uint32_t max_superclass_chain = 64;
  // Candidate "agree" handlers of consent dialogs searched for the flag they store: real apps
  // have one to a few; each search is a BFS over the call graph, so a hostile dex with thousands
  // of dialog listeners would otherwise cost handlers x methods. Past it the code is "partial".
  uint32_t max_consent_handlers = 256;

  // --- policy ---
  // Bundled documents (HTML/text assets) read as possible privacy policies: an app bundles a
  // handful (licences, help, agreements); 200 bound the search on APKs with thousands of assets.
  uint32_t max_policy_candidates = 200;
  uint64_t max_policy_bytes = 64ull << 20;  // the 50 MB hostile case must fit and be rejected fast
  uint32_t max_html_depth = 512;
  uint64_t max_download_bytes = 16ull << 20;
  uint32_t max_redirects = 5;
  uint32_t http_timeout_ms = 15'000;
  // PDF pages read: ten times the longest policy seen (the extracted text is further bounded by
  // 4 x max_policy_bytes).
  uint32_t max_pdf_pages = 5000;
  // A sentence longer than this many code points is cut: real sentences stay under ~500, long
  // table rows under ~1500; one run-on line must not make the per-sentence windows quadratic.
  uint32_t max_sentence_chars = 2000;
  // Output bounds: a real policy has a few hundred mentions; these only stop a hostile text from
  // producing gigabytes of JSON. Hitting one adds a warning (spans) or keeps the first ones.
  uint32_t max_policy_spans = 200'000;
  uint32_t max_functions_per_data_type = 16;  // distinct purposes kept per data type
  // Practices (data type + verb, purpose, condition, collector, receivers) read from the span
  // labeller: a real policy has a few hundred; every data span of a relevant sentence makes one,
  // so a hostile text of repeated data words would otherwise make millions.
  uint32_t max_policy_practices = 100'000;
  // Receivers listed per practice: a sharing sentence names a handful of partners.
  uint32_t max_receivers_per_practice = 16;
  // Rows of a policy's third-party SDK list: the longest lists name 60-100 SDKs.
  uint32_t max_sdk_list_rows = 1000;
  // Rows of the tables found in a plain-text policy (policy/text_tables.h): SDK and permission
  // lists have a few hundred at most; a hostile text of pipe characters could make millions.
  uint32_t max_text_table_rows = 10'000;

  // --- resources ---
  // Resource strings handed to the consent-gate and bundled-policy searches: an app's own strings
  // rarely exceed a few thousand; a hostile table may hold millions.
  uint32_t max_resource_strings = 50'000;

  // --- records ---
  // An evidence record (piaudit.evidence/1) read by `piaudit judge`: a 1M-method app's record is
  // a few MB (sensitive calls are capped by max_reported_call_sites); 256 MiB leaves room for the
  // largest while a hostile file is refused before it is read.
  uint64_t max_evidence_record_bytes = 256ull << 20;
  // JSON nesting the record reader accepts, in containers: the record itself nests 7 (root,
  // evidence, policy, data_types, a data type, spans, a span); 64 leaves room for fields added
  // within /1 while rejecting the deep-nesting inputs that exhaust parsers.
  uint32_t max_evidence_json_depth = 64;
  // Elements of one array or members of one object: the longest real arrays are bounded upstream
  // (sensitive calls by max_reported_call_sites, diagnostics by max_diagnostics); 1M is five times
  // the largest of them.
  uint32_t max_evidence_json_elements = 1'000'000;
  // JSON values in one record: a large real app's record has ~10^5, so 4M is a wide margin. It
  // bounds the parsed tree whatever the text size: up to ~170 bytes a value (measured: objects of
  // many distinct keys with empty values), so at most ~0.7 GB.
  uint64_t max_evidence_json_values = 4'000'000;
  // A baseline file (piaudit.baseline/1) read by `scan/judge --baseline`: one entry is ~250 bytes
  // and a release accepts at most a few hundred findings (31 items, one per subject), so 4 MiB is
  // a wide margin; the YAML tree of a hostile file is refused before it is built.
  uint64_t max_baseline_bytes = 4u << 20;
  uint32_t max_jargon_terms = 64;  // distinct jargon terms listed in readability
  uint32_t max_personalization_statements = 200;

  // --- diagnostics ---
  uint32_t max_diagnostics = 10'000;  // anomalies kept per scan; the count beyond is still reported
};

}  // namespace piaudit

#endif  // PIAUDIT_BASE_LIMITS_H_
