build-fuzz/obj/date.o: src/date.c include/opsbook/date.h

include/opsbook/date.h:
