build-fuzz/obj/value.o: src/value.c include/opsbook/value.h \
  include/opsbook/config.h include/opsbook/arena.h \
  include/opsbook/diag.h include/opsbook/fs.h include/opsbook/buf.h \
  include/opsbook/yaml.h include/opsbook/tz.h include/opsbook/date.h

include/opsbook/value.h:

include/opsbook/config.h:

include/opsbook/arena.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/buf.h:

include/opsbook/yaml.h:

include/opsbook/tz.h:

include/opsbook/date.h:
