; swtch(struct context **old, struct context *new)
; Saves the callee-saved registers on the current stack, stores the stack
; pointer (which is then a struct context *) in *old, loads new's stack and
; pops its registers.  The return address is the context's eip.
global swtch
swtch:
	mov eax, [esp + 4]
	mov edx, [esp + 8]
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret
