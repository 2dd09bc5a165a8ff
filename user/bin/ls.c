/* ls [-l] [PATH...]: lists directories (sorted) and names files; -l adds
 * the type and size of each entry. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int long_format;

/* Prints one entry; dir is where it lives (for stat under -l). */
static void show(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct cb_stat st;
	static const char types[] = "?-dcp";

	if (!long_format) {
		printf("%s\n", name);
		return;
	}
	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		strlcpy(path, name, sizeof(path));
	if (stat(path, &st) < 0) {
		printf("?          ? %s\n", name);
		return;
	}
	printf("%c %10u %s\n", st.st_type < 5 ? types[st.st_type] : '?',
	       (unsigned)st.st_size, name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Insertion sort: directories here are small. */
static void sort(char **v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && by_name(&v[j - 1], &v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Lists one directory; returns 0 or 1. */
static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct cb_dirent *e;
	char **names = NULL;
	int n = 0, cap = 0, i;

	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
		}
		if (!names || !(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	sort(names, n);
	for (i = 0; i < n; i++) {
		show(path, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* Lists path: a directory's entries (under a "path:" heading when there
 * are several), or the file's own name. */
static int list(const char *path, int heading, int *first)
{
	struct cb_stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (st.st_type != S_IFDIR) {
		show(NULL, path);
		*first = 0;
		return 0;
	}
	if (heading)
		printf("%s%s:\n", *first ? "" : "\n", path);
	*first = 0;
	return list_dir(path);
}

int main(int argc, char **argv)
{
	int i = 1, status = 0, first = 1;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		long_format = 1;
		i++;
	}
	if (i == argc)
		return list(".", 0, &first);
	for (int k = i; k < argc; k++)
		status |= list(argv[k], argc - i > 1, &first);
	return status;
}
