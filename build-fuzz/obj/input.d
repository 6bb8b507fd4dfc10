build-fuzz/obj/input.o: src/input.c include/opsbook/input.h \
  include/opsbook/config.h include/opsbook/arena.h \
  include/opsbook/diag.h include/opsbook/fs.h include/opsbook/buf.h \
  include/opsbook/yaml.h include/opsbook/mem.h include/opsbook/text.h

include/opsbook/input.h:

include/opsbook/config.h:

include/opsbook/arena.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/buf.h:

include/opsbook/yaml.h:

include/opsbook/mem.h:

include/opsbook/text.h:
