/* systest: descriptors, files, directories. */
#include "systest.h"

/* ---- descriptors and files ------------------------------------------ */

void test_ebadf(void)
{
	static const int fds[] = {-1, 32, 1000};
	struct cb_stat st;
	struct cb_dirent de;
	char buf[8];
	int i, fd;

	for (i = 0; i < 3; i++) {
		fd = fds[i];
		T_ERR(sys_read(fd, P(buf), 8), EBADF);
		T_ERR(sys_write(fd, P("x"), 1), EBADF);
		T_ERR(sys_close(fd), EBADF);
		T_ERR(sys_lseek(fd, 0, SEEK_SET), EBADF);
		T_ERR(sys_dup(fd), EBADF);
		T_ERR(sys_dup2(fd, 5), EBADF);
		T_ERR(sys_dup2(0, fd), EBADF);
		T_ERR(sys_fstat(fd, P(&st)), EBADF);
		T_ERR(sys_getdents(fd, P(&de), sizeof(de)), EBADF);
	}
	fd = open("/bin/sh", O_RDONLY);
	close(fd);
	T_ERR(sys_read(fd, P(buf), 8), EBADF); /* closed */
	T_ERR(sys_close(fd), EBADF);
}

void test_enoent(void)
{
	struct cb_stat st;

	T_ERR(sys_open(P("/no/such/file"), O_RDONLY), ENOENT);
	T_ERR(sys_open(P("/tmp/nosuchdir/x"), O_CREAT | O_WRONLY), ENOENT);
	T_ERR(sys_open(P(""), O_RDONLY), ENOENT);
	T_ERR(sys_stat(P("/nonexistent"), P(&st)), ENOENT);
	T_ERR(sys_unlink(P("/tmp/nonexistent")), ENOENT);
	T_ERR(sys_chdir(P("/nonexistent")), ENOENT);
}

void test_mkdir(void)
{
	const char *dir = t_tmpname("st_dir");
	char file[64];
	struct cb_stat st;

	snprintf(file, sizeof(file), "%s/f", dir);
	T_OK(sys_mkdir(P(dir)));
	T_ERR(sys_mkdir(P(dir)), EEXIST);
	T_ERR(sys_mkdir(P("/bin")), EEXIST);
	T_ERR(sys_mkdir(P("/tmp/nosuchdir/sub")), ENOENT);
	T_OK(sys_stat(P(dir), P(&st)));
	T_EQ(st.st_type, S_IFDIR);
	T_OK(sys_open(P(file), O_CREAT | O_WRONLY));
	T_OK(sys_stat(P(file), P(&st)));
	T_EQ(st.st_type, S_IFREG);
	T_OK(sys_unlink(P(file)));
	T_ERR(sys_unlink(P(file)), ENOENT);
}

void test_file_rw(void)
{
	static char buf[20000], back[20000];
	const char *path = t_tmpname("st_file");
	struct cb_stat st;
	int i, fd;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 31 + 7);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC);
	T_OK(fd);
	for (i = 0; i < (int)sizeof(buf); i += 3000)
		T_EQ(write_all(fd, buf + i,
			       sizeof(buf) - i < 3000 ? sizeof(buf) - i
						      : 3000) > 0,
		     1);
	T_OK(sys_fstat(fd, P(&st)));
	T_EQ(st.st_size, sizeof(buf));
	close(fd);
	fd = open(path, O_RDONLY);
	T_EQ(read(fd, back, sizeof(back)) > 0, 1);
	T_EQ(memcmp(buf, back, sizeof(buf)), 0);
	T_EQ(read(fd, back, 1), 0); /* end of file */
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND);
	T_EQ(write(fd, "tail", 4), 4);
	close(fd);
	T_OK(sys_stat(P(path), P(&st)));
	T_EQ(st.st_size, sizeof(buf) + 4);
	fd = open(path, O_WRONLY | O_TRUNC);
	T_OK(sys_fstat(fd, P(&st)));
	T_EQ(st.st_size, 0);
	close(fd);
	T_OK(sys_unlink(P(path)));
	T_ERR(sys_open(P(path), O_RDONLY), ENOENT);
}

void test_lseek(void)
{
	const char *path = t_tmpname("st_seek");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC), fds[2];
	char buf[4] = {0};

	T_OK(fd);
	T_EQ(write(fd, "0123456789", 10), 10);
	T_EQ(sys_lseek(fd, 3, SEEK_SET), 3);
	T_EQ(read(fd, buf, 2), 2);
	T_EQ(memcmp(buf, "34", 2), 0);
	T_EQ(sys_lseek(fd, 0, SEEK_CUR), 5);
	T_EQ(sys_lseek(fd, -1, SEEK_END), 9);
	T_EQ(read(fd, buf, 4), 1);
	T_EQ(buf[0], '9');
	T_ERR(sys_lseek(fd, -100, SEEK_SET), EINVAL);
	T_ERR(sys_lseek(fd, 0, 99), EINVAL);
	T_OK(pipe(fds));
	T_ERR(sys_lseek(fds[0], 0, SEEK_SET), ESPIPE);
	unlink(path);
}

void test_dup(void)
{
	const char *path = t_tmpname("st_dup");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC), d;
	char buf[8] = {0};

	T_OK(fd);
	d = dup(fd);
	T_EQ(d, fd + 1); /* the lowest free descriptor */
	T_EQ(sys_dup2(fd, 10), 10);
	T_EQ(sys_dup2(fd, fd), fd);
	T_EQ(write(10, "abc", 3), 3);
	T_EQ(sys_lseek(fd, 0, SEEK_CUR), 3); /* the offset is shared */
	T_EQ(write(d, "de", 2), 2);
	T_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	T_EQ(read(fd, buf, 8), 5);
	T_EQ(memcmp(buf, "abcde", 5), 0);
	T_OK(sys_close(10));
	T_ERR(sys_close(10), EBADF);
	unlink(path);
}

void test_emfile(void)
{
	int n = 0, fd;

	while ((fd = open("/bin/sh", O_RDONLY)) >= 0)
		n++;
	T_EQ(errno, EMFILE);
	T_EQ(n + 3, CB_NOFILE); /* three were already open */
}

void test_getdents(void)
{
	struct cb_dirent de[4];
	int fd = open("/bin", O_RDONLY), n, i, have_sh = 0, have_true = 0;

	T_OK(fd);
	while ((n = sys_getdents(fd, P(de), sizeof(de))) > 0) {
		T_EQ(n % sizeof(struct cb_dirent), 0);
		for (i = 0; i < n / (int)sizeof(struct cb_dirent); i++) {
			if (strcmp(de[i].d_name, "sh") == 0)
				have_sh = de[i].d_type == DT_FILE;
			have_true |= strcmp(de[i].d_name, "true") == 0;
		}
	}
	T_EQ(n, 0);
	T_EQ(have_sh, 1);
	T_EQ(have_true, 1); /* the last name: every batch was read */
	close(fd);
	fd = open("/bin/sh", O_RDONLY);
	T_ERR(sys_getdents(fd, P(de), sizeof(de)), ENOTDIR);
	fd = open("/bin", O_RDONLY);
	T_ERR(sys_getdents(fd, P(de), sizeof(de[0]) - 1), EINVAL);
}

void test_cwd(void)
{
	char buf[PATH_MAX];
	struct cb_stat st;

	T_OK(sys_chdir(P("/tmp")));
	T_OK(sys_getcwd(P(buf), sizeof(buf)));
	T_STREQ(buf, "/tmp");
	T_OK(sys_open(P("st_rel"), O_CREAT | O_WRONLY));
	T_OK(sys_stat(P("/tmp/st_rel"), P(&st)));
	unlink("/tmp/st_rel");
	T_OK(sys_chdir(P("..")));
	T_OK(sys_getcwd(P(buf), sizeof(buf)));
	T_STREQ(buf, "/");
	T_OK(sys_chdir(P("/tmp")));
	T_ERR(sys_getcwd(P(buf), 2), ERANGE);
	T_ERR(sys_chdir(P("/bin/sh")), ENOTDIR);
}
