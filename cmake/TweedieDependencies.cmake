# Every dependency comes from a Debian 12 package (scripts/install-deps.sh installs them).
find_package(Eigen3 3.4 CONFIG REQUIRED)
find_package(TBB CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(ZLIB REQUIRED)
find_package(ITK 5.2 CONFIG REQUIRED
  COMPONENTS ITKCommon ITKIOImageBase ITKIOPNG ITKIOTIFF ITKIOMeta ITKIONIFTI ITKIOGDCM)

# FFTW ships pkg-config files only; float is the working precision, double serves reference paths.
find_package(PkgConfig REQUIRED)
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3f fftw3)

# ITK's targets carry no include directories, so wrap them in one target that does.
add_library(tweedie_itk INTERFACE)
target_include_directories(tweedie_itk SYSTEM INTERFACE ${ITK_INCLUDE_DIRS})
target_link_libraries(tweedie_itk INTERFACE ${ITK_LIBRARIES})
# GDCM's own headers (for its warning switch) sit beside ITK's.
find_path(TWEEDIE_GDCM_INCLUDE_DIR gdcmTrace.h PATH_SUFFIXES gdcm-3.0 REQUIRED)
find_library(TWEEDIE_GDCM_COMMON_LIBRARY gdcmCommon REQUIRED)

# OpenMPI (Debian libopenmpi-dev): `mpirun tweedie study run` spreads cases over ranks. Without
# it the program runs on one machine's threads.
if(TWEEDIE_MPI)
  find_package(MPI COMPONENTS C)
endif()

if(TWEEDIE_BUILD_TESTS)
  find_package(Boost 1.74 CONFIG REQUIRED COMPONENTS unit_test_framework)
endif()
if(TWEEDIE_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
  # oneDNN (Debian libdnnl-dev, threaded with OpenMP): only the benchmarks' GEMM-peak yardstick.
  find_package(dnnl CONFIG REQUIRED)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
endif()
