# Find the libclang to build against, through llvm-config.
#
#   -DLLVM_CONFIG=NAME|PATH   an llvm-config on PATH, or its path
#   -DLLVM_VERSION=N          llvm-config-N
#   neither                   the newest of llvm-config-14..19 and llvm-config
#
# Sets LIBCLANG (the library), LIBCLANG_INCLUDE, LIBCLANG_LIBDIR and
# LIBCLANG_VERSION.  A choice that does not work stops with one line saying
# what was tried.
set(LIBCLANG_MIN_MAJOR 14)
set(LIBCLANG_MAX_MAJOR 19)

# llvm-config at path: its version in out_var, or "" if it does not run.
function(_libclang_version path out_var)
  execute_process(COMMAND ${path} --version OUTPUT_VARIABLE v
                  RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    set(v "")
  endif()
  set(${out_var} "${v}" PARENT_SCOPE)
endfunction()

# A name on PATH or a path, resolved to a path ("" if neither).
function(_libclang_resolve name out_var)
  if(IS_ABSOLUTE "${name}" OR name MATCHES "/")
    get_filename_component(p "${name}" ABSOLUTE)
    if(NOT EXISTS "${p}")
      set(p "")
    endif()
  else()
    unset(_lc_found)
    unset(_lc_found CACHE)
    find_program(_lc_found NAMES ${name} NO_CACHE)
    set(p "${_lc_found}")
    if(NOT p)
      set(p "")
    endif()
  endif()
  set(${out_var} "${p}" PARENT_SCOPE)
endfunction()

if(LLVM_CONFIG)
  set(_lc_candidates "${LLVM_CONFIG}")
elseif(LLVM_VERSION)
  set(_lc_candidates "llvm-config-${LLVM_VERSION}")
else()
  set(_lc_candidates llvm-config)
  foreach(m RANGE ${LIBCLANG_MAX_MAJOR} ${LIBCLANG_MIN_MAJOR} -1)
    list(APPEND _lc_candidates llvm-config-${m})
  endforeach()
endif()

# Of the candidates that run and have libclang and its headers, the newest.
set(_lc_best "")
set(_lc_best_version "0")
set(_lc_tried "")
foreach(c ${_lc_candidates})
  _libclang_resolve("${c}" p)
  if(NOT p)
    list(APPEND _lc_tried "${c} (not found)")
    continue()
  endif()
  _libclang_version("${p}" v)
  if(NOT v)
    list(APPEND _lc_tried "${p} (does not run)")
    continue()
  endif()
  execute_process(COMMAND ${p} --includedir OUTPUT_VARIABLE inc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${p} --libdir OUTPUT_VARIABLE lib
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  string(REGEX MATCH "^[0-9]+" major "${v}")
  unset(_lc_lib)
  unset(_lc_lib CACHE)
  find_library(_lc_lib NAMES clang libclang HINTS ${lib} NO_DEFAULT_PATH NO_CACHE)
  if(major LESS LIBCLANG_MIN_MAJOR)
    list(APPEND _lc_tried "${p} (LLVM ${v}: older than ${LIBCLANG_MIN_MAJOR})")
  elseif(NOT _lc_lib OR NOT EXISTS "${inc}/clang-c/Index.h")
    list(APPEND _lc_tried "${p} (LLVM ${v}: no libclang-${major}-dev)")
  elseif(v VERSION_GREATER _lc_best_version)
    set(_lc_best "${p}")
    set(_lc_best_version "${v}")
    set(LIBCLANG "${_lc_lib}")
    set(LIBCLANG_INCLUDE "${inc}")
    set(LIBCLANG_LIBDIR "${lib}")
  endif()
endforeach()

if(NOT _lc_best)
  string(REPLACE ";" ", " _lc_tried "${_lc_tried}")
  message(FATAL_ERROR "libclang not found: tried ${_lc_tried}; "
          "install libclang-19-dev or pass -DLLVM_CONFIG=llvm-config-N")
endif()
set(LIBCLANG_VERSION "${_lc_best_version}")
string(REGEX MATCH "^[0-9]+" _lc_major "${LIBCLANG_VERSION}")
if(_lc_major GREATER LIBCLANG_MAX_MAJOR)
  message(WARNING "libclang ${LIBCLANG_VERSION} is newer than splitsafe was "
          "tested with (${LIBCLANG_MIN_MAJOR} to ${LIBCLANG_MAX_MAJOR})")
endif()
message(STATUS "libclang: ${LIBCLANG} (LLVM ${LIBCLANG_VERSION}, from ${_lc_best})")
