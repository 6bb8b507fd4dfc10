build-fuzz/obj/fs.o: src/fs.c include/opsbook/fs.h \
  include/opsbook/arena.h include/opsbook/buf.h include/opsbook/diag.h \
  include/opsbook/mem.h

include/opsbook/fs.h:

include/opsbook/arena.h:

include/opsbook/buf.h:

include/opsbook/diag.h:

include/opsbook/mem.h:
