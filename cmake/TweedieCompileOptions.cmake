# Warnings, CPU tuning and sanitizers shared by every Tweedie target (linked as tweedie_options).
add_library(tweedie_options INTERFACE)
target_compile_options(tweedie_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                       -Wno-sign-conversion)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 false positives: inside Eigen's AVX-512 kernels, and on std::string concatenation (GCC
  # bug 105329).
  target_compile_options(tweedie_options INTERFACE -Wno-maybe-uninitialized -Wno-restrict)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # ITK's compiler detection as Debian ships it knows GCC only (see the header).
  target_compile_options(tweedie_options INTERFACE
                         -include ${PROJECT_SOURCE_DIR}/cmake/clang-itk/itk_compiler_detection.h)
endif()
if(TWEEDIE_NATIVE)
  target_compile_options(tweedie_options INTERFACE -march=native)
endif()
# Eigen threads only through OpenMP, which Tweedie never enables: oneTBB owns the cores.
target_compile_definitions(tweedie_options INTERFACE EIGEN_DONT_PARALLELIZE)

set(sanitizers "")
if(TWEEDIE_SANITIZE_ADDRESS)
  list(APPEND sanitizers address)
endif()
if(TWEEDIE_SANITIZE_UNDEFINED)
  list(APPEND sanitizers undefined)
endif()
if(TWEEDIE_SANITIZE_THREAD)
  list(APPEND sanitizers thread)
endif()
if(TWEEDIE_FUZZ)
  # Coverage for libFuzzer in every library; the fuzz targets themselves link the fuzzer's main.
  list(APPEND sanitizers fuzzer-no-link)
endif()
if(sanitizers)
  list(JOIN sanitizers "," sanitizer_list)
  target_compile_options(tweedie_options INTERFACE -fsanitize=${sanitizer_list} -fno-omit-frame-pointer)
  target_link_options(tweedie_options INTERFACE -fsanitize=${sanitizer_list})
endif()
