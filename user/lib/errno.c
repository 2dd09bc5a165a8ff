/*
 * errno, and the names and messages of every error number in
 * include/uapi/errno.h and of the signals a shell reports.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int errno;

struct errinfo {
	const char *name;
	const char *msg;
};

static const struct errinfo errs[] = {
    [EPERM] = {"EPERM", "Operation not permitted"},
    [ENOENT] = {"ENOENT", "No such file or directory"},
    [ESRCH] = {"ESRCH", "No such process"},
    [EINTR] = {"EINTR", "Interrupted system call"},
    [EIO] = {"EIO", "Input/output error"},
    [ENXIO] = {"ENXIO", "No such device or address"},
    [E2BIG] = {"E2BIG", "Argument list too long"},
    [ENOEXEC] = {"ENOEXEC", "Exec format error"},
    [EBADF] = {"EBADF", "Bad file descriptor"},
    [ECHILD] = {"ECHILD", "No child processes"},
    [EAGAIN] = {"EAGAIN", "Resource temporarily unavailable"},
    [ENOMEM] = {"ENOMEM", "Cannot allocate memory"},
    [EACCES] = {"EACCES", "Permission denied"},
    [EFAULT] = {"EFAULT", "Bad address"},
    [EBUSY] = {"EBUSY", "Device or resource busy"},
    [EEXIST] = {"EEXIST", "File exists"},
    [ENOTDIR] = {"ENOTDIR", "Not a directory"},
    [EISDIR] = {"EISDIR", "Is a directory"},
    [EINVAL] = {"EINVAL", "Invalid argument"},
    [ENFILE] = {"ENFILE", "Too many open files in system"},
    [EMFILE] = {"EMFILE", "Too many open files"},
    [ENOTTY] = {"ENOTTY", "Inappropriate ioctl for device"},
    [EFBIG] = {"EFBIG", "File too large"},
    [ENOSPC] = {"ENOSPC", "No space left on device"},
    [ESPIPE] = {"ESPIPE", "Illegal seek"},
    [EPIPE] = {"EPIPE", "Broken pipe"},
    [ERANGE] = {"ERANGE", "Numerical result out of range"},
    [ENAMETOOLONG] = {"ENAMETOOLONG", "File name too long"},
    [ENOSYS] = {"ENOSYS", "Function not implemented"},
    [ENOTEMPTY] = {"ENOTEMPTY", "Directory not empty"},
};

#define NERRS ((int)(sizeof(errs) / sizeof(errs[0])))

char *strerror(int err)
{
	static char unknown[32];

	if (err > 0 && err < NERRS && errs[err].msg)
		return (char *)errs[err].msg;
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

const char *strerrorname(int err)
{
	if (err > 0 && err < NERRS)
		return errs[err].name;
	return NULL;
}

void perror(const char *msg)
{
	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, strerror(errno));
	else
		fprintf(stderr, "%s\n", strerror(errno));
}

const char *strsignal(int sig)
{
	switch (sig) {
	case SIGINT:
		return "Interrupt";
	case SIGILL:
		return "Illegal instruction";
	case SIGFPE:
		return "Floating point exception";
	case SIGKILL:
		return "Killed";
	case SIGSEGV:
		return "Segmentation fault";
	case SIGTERM:
		return "Terminated";
	default:
		return "Unknown signal";
	}
}
