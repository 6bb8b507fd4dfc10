build-fuzz/obj/scaffold_data.o: build-fuzz/scaffold_data.c \
  include/opsbook/scaffold.h include/opsbook/diag.h

include/opsbook/scaffold.h:

include/opsbook/diag.h:
