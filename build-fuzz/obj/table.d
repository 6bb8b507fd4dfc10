build-fuzz/obj/table.o: src/table.c include/opsbook/table.h \
  include/opsbook/arena.h include/opsbook/config.h \
  include/opsbook/diag.h include/opsbook/fs.h include/opsbook/buf.h \
  include/opsbook/yaml.h include/opsbook/value.h include/opsbook/tz.h \
  include/opsbook/csv.h include/opsbook/date.h include/opsbook/input.h \
  include/opsbook/mem.h include/opsbook/text.h

include/opsbook/table.h:

include/opsbook/arena.h:

include/opsbook/config.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/buf.h:

include/opsbook/yaml.h:

include/opsbook/value.h:

include/opsbook/tz.h:

include/opsbook/csv.h:

include/opsbook/date.h:

include/opsbook/input.h:

include/opsbook/mem.h:

include/opsbook/text.h:
