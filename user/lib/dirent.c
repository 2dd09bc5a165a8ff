/*
 * opendir/readdir/closedir: a DIR holds the open descriptor and a buffer of
 * fixed-size struct cb_dirent records filled by getdents().
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DIR_RECS 8

struct DIR {
	int fd;
	int n;	  /* records in buf */
	int next; /* next record to hand out */
	struct cb_dirent buf[DIR_RECS];
};

DIR *opendir(const char *path)
{
	DIR *d;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->n = d->next = 0;
	return d;
}

struct cb_dirent *readdir(DIR *d)
{
	int got;

	if (d->next >= d->n) {
		got = getdents(d->fd, d->buf, sizeof(d->buf));
		if (got <= 0)
			return NULL;
		d->n = got / (int)sizeof(struct cb_dirent);
		d->next = 0;
		if (d->n == 0)
			return NULL;
	}
	return &d->buf[d->next++];
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}
