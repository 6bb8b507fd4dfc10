build-fuzz/obj/markdown.o: src/markdown.c include/opsbook/markdown.h \
  include/opsbook/buf.h include/opsbook/mem.h

include/opsbook/markdown.h:

include/opsbook/buf.h:

include/opsbook/mem.h:
