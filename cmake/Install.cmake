# Install rules: `cmake --install build/release --prefix P` puts under P
#   bin/wedge                              the program
#   lib/libwedge.a                         the library (static: one binary with no private .so to find)
#   include/wedge/...                      its public headers (and the generated version.hpp)
#   lib/cmake/wedge/                       the CMake package: find_package(wedge) -> wedge::wedge
#   share/wedge/configs/                   the configurations, as examples
#   share/doc/wedge/                       README and docs/
#   share/man/man1/wedge.1                 the man page (docs/wedge.1)
#   share/modulefiles/wedge/<version>.lua  an Lmod module for this tree (docs/slurm.md)
# cmake/Package.cmake makes the Debian package from the same rules.
include(CMakePackageConfigHelpers)

set(WEDGE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/wedge")

install(TARGETS wedge_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(TARGETS wedge EXPORT wedgeTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY include/wedge DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/generated/wedge/version.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/wedge")

install(EXPORT wedgeTargets NAMESPACE wedge:: DESTINATION "${WEDGE_CMAKE_DIR}")
configure_package_config_file(cmake/wedgeConfig.cmake.in
  "${PROJECT_BINARY_DIR}/cmake/wedgeConfig.cmake" INSTALL_DESTINATION "${WEDGE_CMAKE_DIR}")
# 0.x: a minor version may change the API.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cmake/wedgeConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cmake/wedgeConfig.cmake"
              "${PROJECT_BINARY_DIR}/cmake/wedgeConfigVersion.cmake"
              cmake/FindRandom123.cmake
        DESTINATION "${WEDGE_CMAKE_DIR}")

install(DIRECTORY configs/ DESTINATION "${CMAKE_INSTALL_DATADIR}/wedge/configs"
        FILES_MATCHING PATTERN "*.toml")
install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}" FILES_MATCHING PATTERN "*.md")
install(FILES docs/wedge.1 DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

# The module file names the prefix the tree is installed to, which is known only at install time
# (`cmake --install --prefix P` overrides CMAKE_INSTALL_PREFIX then): written there, straight to
# its place, so that two installs from one build folder (a test and cpack) never share a file.
set(WEDGE_MODULEFILE_TEMPLATE "${PROJECT_SOURCE_DIR}/share/modulefiles/wedge.lua.in")
install(CODE "
  set(WEDGE_VERSION \"${PROJECT_VERSION}\")
  set(WEDGE_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(WEDGE_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(WEDGE_MANDIR \"${CMAKE_INSTALL_MANDIR}\")
  set(WEDGE_DATADIR \"${CMAKE_INSTALL_DATADIR}\")
  set(WEDGE_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(dest \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/modulefiles/wedge/${PROJECT_VERSION}.lua\")
  file(READ \"${WEDGE_MODULEFILE_TEMPLATE}\" text)
  string(CONFIGURE \"\${text}\" text @ONLY)
  message(STATUS \"Installing: \${dest}\")
  file(WRITE \"\${dest}\" \"\${text}\")
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${dest}\")
")

include(cmake/Package.cmake)
