build-fuzz/obj/tz.o: src/tz.c include/opsbook/tz.h include/opsbook/diag.h \
  include/opsbook/date.h include/opsbook/mem.h

include/opsbook/tz.h:

include/opsbook/diag.h:

include/opsbook/date.h:

include/opsbook/mem.h:
