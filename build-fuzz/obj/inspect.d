build-fuzz/obj/inspect.o: src/inspect.c include/opsbook/inspect.h \
  include/opsbook/build.h include/opsbook/arena.h \
  include/opsbook/config.h include/opsbook/diag.h include/opsbook/fs.h \
  include/opsbook/buf.h include/opsbook/yaml.h include/opsbook/content.h \
  include/opsbook/table.h include/opsbook/value.h include/opsbook/tz.h \
  include/opsbook/date.h include/opsbook/mem.h include/opsbook/text.h

include/opsbook/inspect.h:

include/opsbook/build.h:

include/opsbook/arena.h:

include/opsbook/config.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/buf.h:

include/opsbook/yaml.h:

include/opsbook/content.h:

include/opsbook/table.h:

include/opsbook/value.h:

include/opsbook/tz.h:

include/opsbook/date.h:

include/opsbook/mem.h:

include/opsbook/text.h:
