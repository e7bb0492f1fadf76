# Every dependency is a Debian package (scripts/install-deps.sh lists them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
# libcrypto as the project's libraries use it: shared, but static in an executable that sets the
# target property PIAUDIT_STATIC_CRYPTO (the `piaudit` launcher; tools/piaudit/CMakeLists.txt says
# why). The property is read on the executable being linked, through the static libraries.
find_library(PIAUDIT_LIBCRYPTO_STATIC NAMES libcrypto.a)
add_library(piaudit_crypto INTERFACE)
target_include_directories(piaudit_crypto INTERFACE ${OPENSSL_INCLUDE_DIR})
if(PIAUDIT_LIBCRYPTO_STATIC)
  set(_piaudit_static_crypto "$<BOOL:$<TARGET_PROPERTY:PIAUDIT_STATIC_CRYPTO>>")
  target_link_libraries(piaudit_crypto INTERFACE
    "$<${_piaudit_static_crypto}:${PIAUDIT_LIBCRYPTO_STATIC}>"
    "$<$<NOT:${_piaudit_static_crypto}>:OpenSSL::Crypto>" Threads::Threads ${CMAKE_DL_LIBS})
else()
  target_link_libraries(piaudit_crypto INTERFACE OpenSSL::Crypto)
endif()
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(CURL REQUIRED)
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(OPENCC IMPORTED_TARGET opencc)
# Recordings (src/trace): JSON Lines at 100+ MB/s, pcap/pcapng, uiautomator and xlsx XML.
find_package(simdjson REQUIRED)
pkg_check_modules(LIBPCAP REQUIRED IMPORTED_TARGET libpcap)
find_package(EXPAT REQUIRED)
# GTest always: the test support library also builds the sample app's code.
find_package(GTest REQUIRED)
if(PIAUDIT_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
# Store-scale batch (src/batch): the embedded job store and the shared one for many machines.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# The oversight service (src/service): HTTP server and Argon2id. Debian's cpp-httplib is compiled
# with CPPHTTPLIB_OPENSSL_SUPPORT/ZLIB/BROTLI, so its pkg-config Cflags must reach every includer
# (the class layouts depend on them); the server itself listens in plain HTTP (docs/service.md).
pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LIBSODIUM REQUIRED IMPORTED_TARGET libsodium)
