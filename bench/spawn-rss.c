/*
 * spawn-rss: run a command, print "EXIT MAXRSS_KIB USER_S SYS_S" on stdout.
 * A small C parent, so the peak RSS and CPU times reported by wait4() are
 * the command's own (and its children's, if it waited for them) and not those
 * of a forked copy of a large interpreter. The command's stdout goes to
 * /dev/null; its stderr is kept.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: spawn-rss CMD [ARGS...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("spawn-rss");
		return 2;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%d %ld %.3f %.3f\n", code, ru.ru_maxrss, seconds(ru.ru_utime),
	       seconds(ru.ru_stime));
	return 0;
}
