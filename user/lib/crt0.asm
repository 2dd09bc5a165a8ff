; crt0: where every user program starts.
;
; The kernel enters _start with esp pointing at the Linux-like i386 initial
; stack:  argc, argv[0..argc-1], NULL, envp[0..], NULL.
; We pass argc, argv and envp to __libc_start (user/lib/start.c), which
; calls main and then exit() with its result.  It never returns.

	section .text.entry
	global _start
	extern __libc_start

_start:
	xor ebp, ebp            ; end of the frame-pointer chain for backtraces
	mov eax, [esp]          ; argc
	lea ebx, [esp + 4]      ; argv
	lea ecx, [ebx + eax*4 + 4] ; envp: just past argv's NULL
	and esp, -16            ; the C ABI wants a 16-byte aligned stack
	sub esp, 4              ; keep alignment after three pushes
	push ecx
	push ebx
	push eax
	call __libc_start
	ud2                     ; not reached: __libc_start calls exit

	section .note.GNU-stack noalloc noexec nowrite progbits
