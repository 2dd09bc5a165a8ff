; Multiboot v1 header and kernel entry.  GRUB (or QEMU -kernel) loads the ELF
; at 1 MiB, leaves eax = multiboot magic and ebx = info pointer, and jumps to
; _start in 32-bit protected mode with paging off.  We set up a boot stack and
; call kmain(magic, info); kmain never returns.

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ 0x00000003          ; page-align modules, want memory map
MB_CHECKSUM equ -(MB_MAGIC + MB_FLAGS)

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd MB_CHECKSUM

section .bss
align 16
global boot_stack_top
boot_stack:
	resb 16384
boot_stack_top:

section .text
global _start
extern kmain
_start:
	cli
	mov esp, boot_stack_top
	xor ebp, ebp                    ; terminates backtraces
	push ebx
	push eax
	call kmain
.hang:
	cli
	hlt
	jmp .hang
