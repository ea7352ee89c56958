# Warnings and sanitizers as an INTERFACE target that every dcsim target links privately.
add_library(dcsim_options INTERFACE)
add_library(dcsim::options ALIAS dcsim_options)
target_compile_features(dcsim_options INTERFACE cxx_std_20)
target_compile_options(dcsim_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
# GCC 12 reports -Wrestrict inside libstdc++ for `"literal" + std::string` at -O2 (GCC bug 105329, a false
# positive fixed in GCC 13); silence only that warning, only there.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(dcsim_options INTERFACE -Wno-restrict)
endif()
if(DCSIM_WERROR)
  target_compile_options(dcsim_options INTERFACE -Werror)
endif()
if(DCSIM_SANITIZE)
  target_compile_options(dcsim_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
  target_link_options(dcsim_options INTERFACE -fsanitize=address,undefined)
  # ASan's instrumentation makes GCC report -Wmaybe-uninitialized inside libstdc++'s <regex> (pulled in by
  # Catch2); a known false positive that the Release build does not show.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(dcsim_options INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
if(DCSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DCSIM_FUZZ needs clang (libFuzzer): use the preset `fuzz`.")
  endif()
  # Coverage instrumentation for libFuzzer in every library, with ASan + UBSan halting on the first report;
  # the fuzz targets themselves link -fsanitize=fuzzer (fuzz/CMakeLists.txt).
  target_compile_options(dcsim_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                 -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(dcsim_options INTERFACE -fsanitize=address,undefined)
endif()
if(DCSIM_TSAN)
  # ThreadSanitizer for the tests that run simulations on several threads (preset `tsan`).
  target_compile_options(dcsim_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(dcsim_options INTERFACE -fsanitize=thread)
endif()
