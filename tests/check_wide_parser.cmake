# CTest script: the AVX2 copy of the parser (core/chunkparser_wide.cpp) may only
# hold AVX2 code in functions of its own (internal linkage). A weak symbol there
# (an inline function or template from a header) is shared with the baseline
# code at link time, so it must not use AVX or BMI instructions, or CPUs without
# them would crash in code that runs everywhere.
#   cmake -DOBJECTS=<es_parser objects> -DNM=nm -DOBJDUMP=objdump -P check_wide_parser.cmake
foreach(obj IN LISTS OBJECTS)
  if(obj MATCHES "chunkparser_wide")
    set(wide ${obj})
  endif()
endforeach()
if(NOT wide)
  message(FATAL_ERROR "no chunkparser_wide object among: ${OBJECTS}")
endif()
execute_process(COMMAND ${NM} ${wide} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${wide}")
endif()
string(REGEX MATCHALL "[^\n]+ W [^\n]+" weak "${symbols}")
set(bad "")
set(checked 0)
foreach(line IN LISTS weak)
  string(REGEX REPLACE ".* W " "" sym "${line}")
  execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn --disassemble=${sym} ${wide}
                  OUTPUT_VARIABLE code RESULT_VARIABLE rc)
  math(EXPR checked "${checked} + 1")
  if(code MATCHES "\t(v[a-z0-9]+|shlx|shrx|sarx|blsr|blsi|blsmsk|tzcnt|lzcnt|pdep|pext|andn|bzhi) ")
    list(APPEND bad ${sym})
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "weak symbols compiled with AVX2/BMI in ${wide}: ${bad}\n"
                      "Include every header before the target region in chunkparser_wide.cpp.")
endif()
message(STATUS "${checked} weak symbols in ${wide}: none uses AVX2 or BMI")
