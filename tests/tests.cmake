# Unit tests: one executable per module, each a plain C program that exits
# non-zero on the first failed check.
file(GLOB UNIT_TESTS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src ${UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} splitsafe_core)
  add_test(NAME unit/${name} COMMAND ${name}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests/unit)
endforeach()
