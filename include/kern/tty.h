/*
 * Terminals (kernel/dev/tty.c).
 *
 * /dev/console is COM1 with a line discipline: typed characters are echoed
 * and collected into a line; backspace or DEL erases one, ^U the whole line;
 * Enter (CR or LF) ends the line and makes it readable; ^D at the start of a
 * line is end of file (read returns 0), elsewhere it hands over the partial
 * line without a newline; ^C discards the line and sends SIGINT to the
 * foreground task (below).  A read returns at most one line.  Output turns
 * "\n" into "\r\n" and goes to every console sink (COM1 and VGA).
 *
 * /dev/ttyS1 is COM2 raw: no echo, no editing, no translation, for moving
 * checkpoint images as binary.
 *
 * Input arrives from the UART interrupt through tty_rx (kern/uart.h).  When a
 * buffer is full tty_rx refuses the byte; the driver then stops reception
 * until the tty calls uart_rx_resume(), so pasted input is never lost.
 *
 * The foreground (kernel/dev/tty_fg.c) is one slot per container, holding a
 * real PID, never a pointer.  setfg fills the caller's container's slot
 * with a live task the caller can see, or with nobody (-1), or empties it
 * (0); a zombie or a PID the caller cannot see is -ESRCH.  ^C starts at
 * the system container's slot and, while the task found lives in a nested
 * container whose own slot is not empty, goes on into that slot; the
 * innermost live task found gets SIGINT (nobody, if that slot holds
 * nobody).  A container therefore steers only ^C that was handed to it
 * (its founder, or one of its tasks, is the foreground one level up).  A
 * task that exits leaves "nobody" in every slot that named it.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/compiler.h>

struct task;
struct file;
struct container;

#define TTY_CONSOLE 0 /* COM1 */
#define TTY_SERIAL1 1 /* COM2 */

/* Files for the two terminals (devfs calls these on open). */
struct file *tty_open_console(int flags) __must_check;
struct file *tty_open_serial1(int flags) __must_check;

/* setfg: fills ctx's foreground slot with the task ctx sees as vpid (0:
 * empty, (uint32_t)-1: nobody).  0, or -ESRCH (no such live task visible
 * from ctx) with nothing changed. */
int tty_set_foreground(struct container *ctx, uint32_t vpid) __must_check;
/* Sets every slot naming t to nobody (fs_task_exit calls this, before t
 * becomes a zombie). */
void tty_forget_task(struct task *t);
/* ^C: SIGINT to the innermost foreground task, if any (interrupts off). */
void tty_fg_interrupt(void);

#endif
