# cmake --install: bin/splitsafe, its data under share/splitsafe (where the
# binary looks for it, plugin/core/datadir.h) and the man page splitsafe(1):
# doc/splitsafe.1.md with the README's option table as its OPTIONS
# (doc/man-page.py), made into roff by go-md2man.
install(TARGETS splitsafe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rules/
        DESTINATION ${SPLITSAFE_DATADIR}/rules
        FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/semantic-patches/
        DESTINATION ${SPLITSAFE_DATADIR}/semantic-patches
        FILES_MATCHING PATTERN "*.cocci" PATTERN "*.py"
        PATTERN "__pycache__" EXCLUDE)

find_program(GO_MD2MAN go-md2man)
if(GO_MD2MAN)
  set(SPLITSAFE_MAN ${CMAKE_BINARY_DIR}/splitsafe.1)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  add_custom_command(OUTPUT ${SPLITSAFE_MAN}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/doc/man-page.py
            --source ${CMAKE_SOURCE_DIR}/doc/splitsafe.1.md
            --readme ${CMAKE_SOURCE_DIR}/README.md
            --version ${PROJECT_VERSION} --out ${SPLITSAFE_MAN}.md
    COMMAND ${GO_MD2MAN} -in ${SPLITSAFE_MAN}.md -out ${SPLITSAFE_MAN}
    DEPENDS ${CMAKE_SOURCE_DIR}/doc/splitsafe.1.md
            ${CMAKE_SOURCE_DIR}/doc/man-page.py ${CMAKE_SOURCE_DIR}/README.md
    COMMENT "Writing the man page splitsafe(1)")
  add_custom_target(man ALL DEPENDS ${SPLITSAFE_MAN})
  install(FILES ${SPLITSAFE_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "go-md2man not found: no man page is made or installed "
          "(Debian: apt install go-md2man)")
endif()
