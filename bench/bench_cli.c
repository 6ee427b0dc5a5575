/* bench_cli.c - figures beyond the page allocator; filled in as the
 * command language and later subsystems land.
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later. */
#include "bench.h"

void bench_more(void)
{
}
