/*
 * ckpt_seeds DIR: writes valid checkpoint images into DIR as the seed
 * corpus of the fuzz target tests/fuzz/fuzz_ckpt.c.  They are the unit
 * tests' model image (tests/unit/ckpt_model.h), made with the kernel's own
 * encoder (kernel/lib/ckpt_codec.c) and checked with the target's
 * validator run, so a seed that stops being valid when the format changes
 * is an error here rather than a silently useless corpus.
 *
 *   minimal   one container, its init, no files or pages
 *   family    the model's web > db > cache: a sleeper, a zombie, a killed
 *             task, the console, a pipe holding bytes, an in-memory and a
 *             /proc file, and pages for the live tasks
 */
#include "ckpt_model.h"
#include "fuzz_ckpt.c" /* the target's validator run and oracle */

/* The model cut down to its top container and that container's init. */
static void make_minimal(struct model *m)
{
	memset(m, 0, sizeof(*m));
	strcpy(m->ctr[0].c_name, "seed");
	m->ctr[0].c_parent = CKPT_NONE;
	m->ctr[0].c_last_nr = 1;
	m->n[CKPT_SEC_CONTAINERS] = 1;
	set_task(&m->task[0], 0, CKPT_NONE, -1, 1, (uint32_t[]){1}, "seed");
	m->n[CKPT_SEC_TASKS] = 1;
}

/* Encodes m into DIR/name and checks that the target accepts it. */
static void emit(const char *dir, const char *name, const struct model *m)
{
	char path[512];
	uint32_t len;
	uint8_t *img = encode(m, &len);
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	CHECK(out != NULL);
	if (out) {
		CHECK(fwrite(img, 1, len, out) == len);
		CHECK(fclose(out) == 0);
	}
	CHECK(fuzz_ckpt_one(img, len) == 0);
	free(img);
}

int main(int argc, char **argv)
{
	struct model m;

	if (argc != 2) {
		fprintf(stderr, "usage: ckpt_seeds DIR\n");
		return 2;
	}
	make_minimal(&m);
	emit(argv[1], "minimal", &m);
	make_model(&m);
	emit(argv[1], "family", &m);
	return failures != 0;
}
