/* VGA text-mode mirror of the console (arch/x86/vga.c). */
#ifndef KERN_VGA_H
#define KERN_VGA_H

void vga_init(void);
void vga_putc(char c);

#endif
