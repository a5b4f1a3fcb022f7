# vp_all: every library of the project, for the executable, tests and tools.
get_property(vp_libs GLOBAL PROPERTY VP_ALL_LIBS)
add_library(vp_all INTERFACE)
target_link_libraries(vp_all INTERFACE ${vp_libs})

# The simulator executable (platform/main.cpp), once the platform exists.
if(EXISTS ${PROJECT_SOURCE_DIR}/platform/main.cpp)
  add_executable(am335x-vp ${PROJECT_SOURCE_DIR}/platform/main.cpp)
  target_link_libraries(am335x-vp PRIVATE vp_all CLI11::CLI11)
  target_compile_definitions(am335x-vp PRIVATE VP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
