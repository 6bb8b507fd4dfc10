build-fuzz/obj/mem.o: src/mem.c include/opsbook/mem.h \
  include/opsbook/diag.h

include/opsbook/mem.h:

include/opsbook/diag.h:
