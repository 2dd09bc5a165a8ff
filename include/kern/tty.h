/*
 * Terminals (kernel/tty.c).
 *
 * /dev/console is COM1 with a line discipline: typed characters are echoed
 * and collected into a line; backspace or DEL erases one, ^U the whole line;
 * Enter (CR or LF) ends the line and makes it readable; ^D at the start of a
 * line is end of file (read returns 0), elsewhere it hands over the partial
 * line without a newline; ^C discards the line and sends SIGINT to the
 * foreground task (setfg).  A read returns at most one line.  Output turns
 * "\n" into "\r\n" and goes to every console sink (COM1 and VGA).
 *
 * /dev/ttyS1 is COM2 raw: no echo, no editing, no translation, for moving
 * checkpoint images as binary.
 *
 * Input arrives from the UART interrupt through tty_rx (kern/uart.h).  When a
 * buffer is full tty_rx refuses the byte; the driver then stops reception
 * until the tty calls uart_rx_resume(), so pasted input is never lost.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/compiler.h>

struct task;
struct file;

#define TTY_CONSOLE 0 /* COM1 */
#define TTY_SERIAL1 1 /* COM2 */

/* Files for the two terminals (devfs calls these on open). */
struct file *tty_open_console(int flags) __must_check;
struct file *tty_open_serial1(int flags) __must_check;

/* Makes t the foreground task that ^C interrupts (NULL: none). */
void tty_set_foreground(struct task *t);
/* Forgets t if it is the foreground task (fs_task_exit calls this). */
void tty_forget_task(struct task *t);

#endif
