build-fuzz/obj/text.o: src/text.c include/opsbook/text.h \
  include/opsbook/mem.h

include/opsbook/text.h:

include/opsbook/mem.h:
