build-fuzz/obj/site.o: src/site.c include/opsbook/site.h \
  include/opsbook/buf.h include/opsbook/build.h include/opsbook/arena.h \
  include/opsbook/config.h include/opsbook/diag.h include/opsbook/fs.h \
  include/opsbook/yaml.h include/opsbook/content.h \
  include/opsbook/table.h include/opsbook/value.h include/opsbook/tz.h \
  include/opsbook/output.h include/opsbook/date.h \
  include/opsbook/markdown.h include/opsbook/mem.h

include/opsbook/site.h:

include/opsbook/buf.h:

include/opsbook/build.h:

include/opsbook/arena.h:

include/opsbook/config.h:

include/opsbook/diag.h:

include/opsbook/fs.h:

include/opsbook/yaml.h:

include/opsbook/content.h:

include/opsbook/table.h:

include/opsbook/value.h:

include/opsbook/tz.h:

include/opsbook/output.h:

include/opsbook/date.h:

include/opsbook/markdown.h:

include/opsbook/mem.h:
