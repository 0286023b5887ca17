# `cmake --install`: headers under include/tweedie/<folder>/, the libraries, the `tweedie` program,
# the bundled models under share/tweedie/models, and a CMake package (TweedieConfig.cmake) exporting
# Tweedie::core, ::operators, ::priors, ::solvers, ::pipelines, ::itk and the umbrella
# Tweedie::tweedie. `cpack -G DEB` makes a Debian package of the same install (docs/install.md).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(tweedie_layers core operators priors solvers pipelines)
foreach(layer IN LISTS tweedie_layers)
  set_target_properties(tweedie_${layer} PROPERTIES EXPORT_NAME ${layer})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tweedie/${layer}
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/itk/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tweedie/itk
        FILES_MATCHING PATTERN "*.h")

# Everything a consumer links, in one target.
add_library(tweedie_umbrella INTERFACE)
target_link_libraries(tweedie_umbrella INTERFACE tweedie_pipelines)
set_target_properties(tweedie_umbrella PROPERTIES EXPORT_NAME tweedie)
add_library(Tweedie::tweedie ALIAS tweedie_umbrella)
set_target_properties(tweedie_itk_filters PROPERTIES EXPORT_NAME itk)
# The static libraries' private link dependencies travel with them.
set_target_properties(tweedie_options PROPERTIES EXPORT_NAME detail_options)
set_target_properties(tweedie_itk PROPERTIES EXPORT_NAME detail_itk_libraries)

install(TARGETS tweedie_core tweedie_operators tweedie_priors tweedie_solvers tweedie_pipelines tweedie_itk_filters
                tweedie_umbrella tweedie_options tweedie_itk
        EXPORT TweedieTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tweedie)
install(TARGETS tweedie RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/models/ct.tdm ${PROJECT_SOURCE_DIR}/models/natural-gray.tdm
              ${PROJECT_SOURCE_DIR}/models/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tweedie/models)

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Tweedie)
install(EXPORT TweedieTargets NAMESPACE Tweedie:: DESTINATION ${package_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TweedieConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/TweedieConfig.cmake INSTALL_DESTINATION ${package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TweedieConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TweedieConfig.cmake ${PROJECT_BINARY_DIR}/TweedieConfigVersion.cmake
        DESTINATION ${package_dir})

set(CPACK_PACKAGE_NAME tweedie)
set(CPACK_PACKAGE_CONTACT "Tweedie developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libeigen3-dev, libfftw3-dev, libtbb-dev, libinsighttoolkit5-dev, nlohmann-json3-dev, zlib1g-dev, pkg-config")
if(MPI_C_FOUND)  # the program runs studies and volumes over MPI ranks
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libopenmpi3, openmpi-bin")
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
