build-fuzz/obj/buf.o: src/buf.c include/opsbook/buf.h \
  include/opsbook/mem.h

include/opsbook/buf.h:

include/opsbook/mem.h:
