build-fuzz/obj/diag.o: src/diag.c include/opsbook/diag.h \
  include/opsbook/buf.h include/opsbook/mem.h

include/opsbook/diag.h:

include/opsbook/buf.h:

include/opsbook/mem.h:
