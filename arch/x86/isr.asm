; Interrupt entry stubs.  Every vector pushes an error code (a dummy 0 where
; the CPU pushes none) and its number, then joins trap_common, which saves the
; registers as a struct trapframe (machine/arch.h) and calls trap_dispatch(tf).
; trap_return pops the frame and irets: to user mode or back into the kernel.

extern trap_dispatch
extern trap_double_fault
extern x86_smap_on
global trap_return
global double_fault_entry
global task_first_entry
extern proc_return_to_user
global isr_table

%macro ISR_NOERR 1
isr%1:
	push dword 0
	push dword %1
	jmp trap_common
%endmacro

%macro ISR_ERR 1
isr%1:
	push dword %1
	jmp trap_common
%endmacro

section .text
; Vectors 8, 10-14, 17, 21 push an error code.
%assign v 0
%rep 48
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v+1
%endrep
	ISR_NOERR 128

trap_common:
	push ds
	push es
	push fs
	push gs
	pushad                          ; now esp points at a struct trapframe
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld
	cmp byte [x86_smap_on], 0
	je .ac_clear
	clac                            ; user code may have set EFLAGS.AC, which
.ac_clear:                              ; would switch SMAP off in the kernel
	push esp
	call trap_dispatch
	add esp, 4
trap_return:
	popad
	pop gs
	pop fs
	pop es
	pop ds
	add esp, 8                      ; vector and error code
	iretd

; A new task's first switch lands here, with esp at its trap frame.  It
; goes through the same last check as every other return to user mode (a
; kill that arrived before it ever ran must end it here), then irets.
task_first_entry:
	push esp
	call proc_return_to_user
	add esp, 4
	jmp trap_return

; The double-fault task (vector 8 is a task gate, see arch/x86/gdt.c)
; starts here on its own stack, with the error code on it.
double_fault_entry:
	xor ebp, ebp                    ; terminates backtraces
	call trap_double_fault          ; reports and powers off
.hang:
	cli
	hlt
	jmp .hang

section .rodata
isr_table:
%assign v 0
%rep 48
	dd isr %+ v
%assign v v+1
%endrep
	dd isr128
