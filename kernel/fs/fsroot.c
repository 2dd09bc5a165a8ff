/*
 * The boot-time file tree: the root ramfs, its standard directories, /proc
 * (procfs) linked into it and the device nodes in /dev (devfs).  This is
 * the one place that knows which file system sits where; the vfs and the
 * open-file layer reach each one only through its inode operations.
 */
#include <kern/vfs.h>
#include <kern/ramfs.h>
#include <kern/devfs.h>
#include <kern/procfs.h>
#include <kern/panic.h>

/* Boot: the root ramfs, its standard directories, devices and /proc.  A
 * failure here leaves no usable system, so it panics. */
void vfs_init(void)
{
	static const char *const dirs[] = {"/bin", "/tmp", "/dev", "/etc"};
	struct inode *dev, *proc;
	size_t i;

	vfs_root = ramfs_new_root();
	if (!vfs_root)
		panic("vfs_init: no memory for the root");
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		if (vfs_mkdir(vfs_root, dirs[i]) < 0)
			panic("vfs_init: cannot make %s", dirs[i]);
	proc = procfs_init(vfs_root);
	if (!proc || ramfs_link(vfs_root, proc) < 0)
		panic("vfs_init: cannot make /proc");
	if (vfs_lookup(vfs_root, "/dev", &dev) < 0 || devfs_init(dev) < 0)
		panic("vfs_init: cannot make the devices");
	inode_put(dev);
}
