build-fuzz/obj/config.o: src/config.c include/opsbook/config.h \
  include/opsbook/arena.h include/opsbook/diag.h include/opsbook/fs.h \
  include/opsbook/buf.h include/opsbook/yaml.h include/opsbook/date.h \
  include/opsbook/mem.h include/opsbook/text.h

include/opsbook/config.h:

include/opsbook/arena.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/buf.h:

include/opsbook/yaml.h:

include/opsbook/date.h:

include/opsbook/mem.h:

include/opsbook/text.h:
