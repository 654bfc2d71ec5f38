# scenarios/schema.json is what `bqsim schema` prints from the declarations.
#   cmake -DBQSIM=<bqsim> -DSCHEMA=<scenarios/schema.json> -DOUT=<scratch file> -P ...
cmake_minimum_required(VERSION 3.24)
execute_process(COMMAND "${BQSIM}" schema OUTPUT_FILE "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bqsim schema failed (status ${rc})")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUT}" "${SCHEMA}"
                RESULT_VARIABLE differs)
if(differs)
  message(FATAL_ERROR "${SCHEMA} is stale: regenerate it with `build/bqsim schema > "
                      "scenarios/schema.json` and commit it")
endif()
