# The git SHA is stamped into every result file; a tree without git reports "unknown".
find_package(Git QUIET)
set(WEDGE_GIT_SHA "unknown")
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
                  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
                  OUTPUT_VARIABLE _sha OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                  RESULT_VARIABLE _rc)
  if(_rc EQUAL 0)
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no
                    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
                    OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    set(WEDGE_GIT_SHA "${_sha}")
    if(_dirty)
      string(APPEND WEDGE_GIT_SHA "-dirty")
    endif()
  endif()
endif()
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/include/wedge/version.hpp.in"
               "${CMAKE_CURRENT_BINARY_DIR}/generated/wedge/version.hpp" @ONLY)
