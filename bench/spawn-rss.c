/*
 * spawn-rss: run a command, print "EXIT MAXRSS_KIB" on stdout.
 * A small C parent, so the peak RSS reported by wait4() is the command's
 * own and not that of a forked copy of a large interpreter.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

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
	printf("%d %ld\n", code, ru.ru_maxrss);
	return 0;
}
