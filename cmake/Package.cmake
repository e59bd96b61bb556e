# The Debian package: `cpack -G DEB` in the build folder (or `cmake --build --preset release
# --target package`) writes wedge_<version>_<arch>.deb with the files of cmake/Install.cmake
# under /usr. dpkg-shlibdeps (dpkg-dev) adds the run-time libraries (libopenmpi3,
# libhdf5-openmpi-103-1, ...) to Depends; mpirun comes from openmpi-bin.
# A build with WEDGE_NATIVE=ON (the default) runs only on CPUs like the build machine's:
# configure with -DWEDGE_NATIVE=OFF to make a package for other machines.
# cpack and `make install` do not build first (like `cmake --install`): build, then package. So a
# test that packages never rebuilds the binary while other tests run it.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wedge)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "wedge samples the uncertain parameters of a model of the US-Russia-China-Europe strategic\n"
    "triangle over millions of runs (MPI + OpenMP), simulates every run under every strategy\n"
    "and writes the outcome distributions to one parallel HDF5 file per study.\n"
    "This package has the program, its man page, example configurations, the documentation,\n"
    "an Lmod module file, and libwedge with its headers and CMake package (building against it\n"
    "needs the -dev packages named in Suggests).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "wedge developers <wedge@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "openmpi-bin")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "hdf5-tools")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "lmod, slurm-client, python3-h5py, libopenmpi-dev, libhdf5-openmpi-dev, libboost-dev, \
librandom123-dev, libtomlplusplus-dev, libcli11-dev")
# Only what cmake/Install.cmake installs; no tests, no benchmarks.
set(CPACK_STRIP_FILES TRUE)
include(CPack)
