/*
 * libc wrappers over the raw system calls (syscalls.c): each one turns a
 * -errno result into errno and -1, as a Unix libc does.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

long __syscall_ret(long r)
{
	if (SYS_IS_ERR(r)) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define RET(call) ((int)__syscall_ret(call))

void _exit(int code)
{
	for (;;)
		sys_exit(code);
}

pid_t fork(void)
{
	fflush(NULL); /* otherwise buffered output would print in both */
	return RET(sys_fork());
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return RET(sys_execve((long)path, (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, NULL);
}

/* Runs file from /bin when its name has no '/'. */
int execvp(const char *file, char *const argv[])
{
	char path[PATH_MAX];

	if (strchr(file, '/'))
		return execv(file, argv);
	if (strlen(file) + 6 > sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(path, "/bin/");
	strcat(path, file);
	return execv(path, argv);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return RET(sys_waitpid(pid, (long)status, options));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}
pid_t getpid(void)
{
	return RET(sys_getpid());
}
pid_t getppid(void)
{
	return RET(sys_getppid());
}
int kill(pid_t pid, int sig)
{
	return RET(sys_kill(pid, sig));
}
int yield(void)
{
	return RET(sys_yield());
}
int msleep(unsigned ms)
{
	return RET(sys_sleep((long)ms));
}

unsigned sleep(unsigned seconds)
{
	msleep(seconds * 1000);
	return 0;
}

void *sbrk(intptr_t incr)
{
	return (void *)__syscall_ret(sys_sbrk(incr));
}

int open(const char *path, int flags)
{
	return RET(sys_open((long)path, flags));
}
int close(int fd)
{
	return RET(sys_close(fd));
}

ssize_t read(int fd, void *buf, size_t n)
{
	return RET(sys_read(fd, (long)buf, (long)n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return RET(sys_write(fd, (long)buf, (long)n));
}

/* Writes all n bytes, looping over short writes; n, or -1 on error. */
ssize_t write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO; /* would loop forever */
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

off_t lseek(int fd, off_t off, int whence)
{
	return RET(sys_lseek(fd, off, whence));
}
int dup(int fd)
{
	return RET(sys_dup(fd));
}
int dup2(int oldfd, int newfd)
{
	return RET(sys_dup2(oldfd, newfd));
}
int pipe(int fds[2])
{
	return RET(sys_pipe((long)fds));
}
int pipe2(int fds[2], int flags)
{
	return RET(sys_pipe2((long)fds, flags));
}
int fcntl(int fd, int cmd, int arg)
{
	return RET(sys_fcntl(fd, cmd, arg));
}
int chdir(const char *path)
{
	return RET(sys_chdir((long)path));
}

char *getcwd(char *buf, size_t size)
{
	if (RET(sys_getcwd((long)buf, (long)size)) < 0)
		return NULL;
	return buf;
}

int mkdir(const char *path)
{
	return RET(sys_mkdir((long)path));
}
int unlink(const char *path)
{
	return RET(sys_unlink((long)path));
}
int stat(const char *path, struct cb_stat *st)
{
	return RET(sys_stat((long)path, (long)st));
}
int fstat(int fd, struct cb_stat *st)
{
	return RET(sys_fstat(fd, (long)st));
}
uint32_t uptime(void)
{
	return (uint32_t)sys_uptime();
}
int poweroff(int code)
{
	return RET(sys_poweroff(code));
}
int setfg(pid_t pid)
{
	return RET(sys_setfg(pid));
}

int checkpoint(const char *name, void *buf, size_t len, int flags)
{
	return RET(sys_checkpoint((long)name, (long)buf, (long)len, flags));
}

int restore(const void *buf, size_t len, const char *newname, int flags)
{
	return RET(sys_restore((long)buf, (long)len, (long)newname, flags));
}

int getdents(int fd, struct cb_dirent *buf, size_t bytes)
{
	return RET(sys_getdents(fd, (long)buf, (long)bytes));
}
