build-fuzz/fuzz_csv: tests/fuzz/fuzz_csv.c include/opsbook/buf.h \
  include/opsbook/csv.h include/opsbook/diag.h

include/opsbook/buf.h:

include/opsbook/csv.h:

include/opsbook/diag.h:
