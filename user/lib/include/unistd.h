/*
 * libc wrappers over the system calls.  Each returns -1 and sets errno on
 * failure, like any Unix libc.  For the raw -errno results see
 * <sys/syscall.h>.
 */
#ifndef USER_UNISTD_H
#define USER_UNISTD_H

#include <sys/types.h>
#include <uapi/cellblock.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Sets errno from a raw result: returns r, or -1 when r is -errno. */
long __syscall_ret(long r);

void _exit(int code) __attribute__((noreturn));
pid_t fork(void); /* flushes stdio buffers first, so output is not doubled */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]); /* searches /bin */
pid_t getpid(void);
pid_t getppid(void);
int yield(void);
int msleep(unsigned ms);	  /* the sleep system call: milliseconds */
unsigned sleep(unsigned seconds); /* POSIX-style, in seconds */
void *sbrk(intptr_t incr);	  /* (void *)-1 on failure */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t write_all(int fd, const void *buf,
		  size_t n); /* loops on short writes */
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags); /* flags: 0 or O_CLOEXEC */
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int unlink(const char *path);
uint32_t uptime(void); /* milliseconds since boot */
int poweroff(int code);
int setfg(pid_t pid); /* who gets ^C in this container; -1 = nobody, 0 = unset
			 (kern/tty.h) */
int checkpoint(const char *name, void *buf, size_t len, int flags);
int restore(const void *buf, size_t len, const char *newname, int flags);
int getdents(int fd, struct cb_dirent *buf, size_t bytes);

#endif
