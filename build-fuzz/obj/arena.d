build-fuzz/obj/arena.o: src/arena.c include/opsbook/arena.h \
  include/opsbook/mem.h

include/opsbook/arena.h:

include/opsbook/mem.h:
