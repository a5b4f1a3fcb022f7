# Common flags for every target of the project.
add_library(vp_flags INTERFACE)
target_compile_options(vp_flags INTERFACE -Wall -Wextra)
if(VP_WERROR)
  target_compile_options(vp_flags INTERFACE -Werror)
endif()
if(VP_SANITIZE)
  target_compile_options(vp_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                            -fno-sanitize-recover=undefined)
  target_link_options(vp_flags INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(vp_flags INTERFACE ${PROJECT_SOURCE_DIR})

# vp_library(NAME SOURCES ... [DEPS ...]): a static library of the project.
function(vp_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_link_libraries(${name} PUBLIC vp_flags ${A_DEPS})
  vp_register_library(${name})
endfunction()

# vp_test(FILE): one Boost.Test executable per *_test.cpp, registered with ctest.
# Every test links the whole project (vp_all) so a test file needs no CMake edit.
function(vp_test file)
  get_filename_component(name ${file} NAME_WE)
  add_executable(${name} ${file})
  target_link_libraries(${name} PRIVATE vp_all vp_test_support vp_guest_machine
                                        Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  if(VP_SANITIZE)
    # One test case per process: ASan cannot follow SystemC's coroutine stacks across cases
    # (tests/support/each_case.sh explains).
    add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/tests/support/each_case.sh
                                  $<TARGET_FILE:${name}>)
  else()
    add_test(NAME ${name} COMMAND ${name} --log_level=message --report_level=short)
  endif()
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=DISABLE;VP_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# Every vp_library is collected so that tests can link "the whole project".
function(vp_register_library name)
  set_property(GLOBAL APPEND PROPERTY VP_ALL_LIBS ${name})
endfunction()

# Adds every immediate sub-folder of the current folder that has a CMakeLists.txt,
# so a new area needs no edit of its parent.
function(vp_add_subfolders)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  file(RELATIVE_PATH here ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  foreach(child ${children})
    # VP_SKIP: folders (e.g. "models/cpu;platform/config") left out of this build tree,
    # for working while another folder is half-written.
    if("${here}/${child}" IN_LIST VP_SKIP)
      continue()
    endif()
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
       AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
