build-fuzz/obj/csv.o: src/csv.c include/opsbook/csv.h \
  include/opsbook/buf.h include/opsbook/diag.h include/opsbook/mem.h \
  include/opsbook/text.h

include/opsbook/csv.h:

include/opsbook/buf.h:

include/opsbook/diag.h:

include/opsbook/mem.h:

include/opsbook/text.h:
