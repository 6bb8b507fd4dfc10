build-fuzz/obj/output.o: src/output.c include/opsbook/output.h \
  include/opsbook/diag.h include/opsbook/buf.h include/opsbook/fs.h \
  include/opsbook/arena.h include/opsbook/mem.h

include/opsbook/output.h:

include/opsbook/diag.h:

include/opsbook/buf.h:

include/opsbook/fs.h:

include/opsbook/arena.h:

include/opsbook/mem.h:
