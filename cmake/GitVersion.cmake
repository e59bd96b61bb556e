# The git SHA is stamped into every result file; a tree without git reports "unknown".
# Runs at configure time (included) and again at every build (`cmake -P`, target
# wedge_version), so a binary never carries the SHA of an older commit. configure_file
# rewrites version.hpp only when the SHA changes, so an unchanged tree rebuilds nothing.
if(CMAKE_SCRIPT_MODE_FILE)
  set(_src "${WEDGE_SOURCE_DIR}")
  set(_out "${WEDGE_VERSION_HEADER}")
else()
  set(_src "${CMAKE_CURRENT_SOURCE_DIR}")
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/generated/wedge/version.hpp")
endif()
find_package(Git QUIET)
set(WEDGE_GIT_SHA "unknown")
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
                  WORKING_DIRECTORY "${_src}"
                  OUTPUT_VARIABLE _sha OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                  RESULT_VARIABLE _rc)
  if(_rc EQUAL 0)
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no
                    WORKING_DIRECTORY "${_src}"
                    OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    set(WEDGE_GIT_SHA "${_sha}")
    if(_dirty)
      string(APPEND WEDGE_GIT_SHA "-dirty")
    endif()
  endif()
endif()
configure_file("${_src}/include/wedge/version.hpp.in" "${_out}" @ONLY)
if(NOT CMAKE_SCRIPT_MODE_FILE)
  add_custom_target(wedge_version
                    COMMAND "${CMAKE_COMMAND}" -DWEDGE_SOURCE_DIR=${_src} -DWEDGE_VERSION_HEADER=${_out}
                            -DPROJECT_VERSION=${PROJECT_VERSION} -P "${_src}/cmake/GitVersion.cmake"
                    BYPRODUCTS "${_out}"
                    COMMENT "git SHA for the result files")
endif()
