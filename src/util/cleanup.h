/* Scope-bound release of fds and heap memory (bubblewrap-style). */
#ifndef NNS_UTIL_CLEANUP_H
#define NNS_UTIL_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
static inline void cleanup_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define autofree __attribute__((cleanup(cleanup_freep)))
#define autoclose __attribute__((cleanup(cleanup_closep)))
#define autoclosedir __attribute__((cleanup(cleanup_closedirp)))

/* Hand ownership out of an auto-released variable. */
#define steal_pointer(pp)                                                                          \
	({                                                                                         \
		__typeof__(*(pp)) steal_tmp_ = *(pp);                                              \
		*(pp) = NULL;                                                                      \
		steal_tmp_;                                                                        \
	})
#define steal_fd(fdp)                                                                              \
	({                                                                                         \
		int steal_fd_ = *(fdp);                                                            \
		*(fdp) = -1;                                                                       \
		steal_fd_;                                                                         \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
