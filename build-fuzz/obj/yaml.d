build-fuzz/obj/yaml.o: src/yaml.c include/opsbook/yaml.h \
  include/opsbook/arena.h include/opsbook/diag.h include/opsbook/date.h \
  include/opsbook/mem.h include/opsbook/text.h

include/opsbook/yaml.h:

include/opsbook/arena.h:

include/opsbook/diag.h:

include/opsbook/date.h:

include/opsbook/mem.h:

include/opsbook/text.h:
