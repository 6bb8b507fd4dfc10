build-fuzz/obj/content.o: src/content.c include/opsbook/content.h \
  include/opsbook/arena.h include/opsbook/buf.h include/opsbook/diag.h \
  include/opsbook/fs.h include/opsbook/yaml.h include/opsbook/mem.h \
  include/opsbook/text.h

include/opsbook/content.h:

include/opsbook/arena.h:

include/opsbook/buf.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/yaml.h:

include/opsbook/mem.h:

include/opsbook/text.h:
