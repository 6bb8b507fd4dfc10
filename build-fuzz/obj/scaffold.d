build-fuzz/obj/scaffold.o: src/scaffold.c include/opsbook/scaffold.h \
  include/opsbook/diag.h include/opsbook/buf.h include/opsbook/fs.h \
  include/opsbook/arena.h include/opsbook/mem.h

include/opsbook/scaffold.h:

include/opsbook/diag.h:

include/opsbook/buf.h:

include/opsbook/fs.h:

include/opsbook/arena.h:

include/opsbook/mem.h:
