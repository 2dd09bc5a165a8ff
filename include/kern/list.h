/* Intrusive doubly linked lists, in the style of Linux's list.h. */
#ifndef KERN_LIST_H
#define KERN_LIST_H

#include <kern/compiler.h>

struct list_node {
	struct list_node *next, *prev;
};

#define LIST_INIT(name)                                                        \
	{                                                                      \
		&(name), &(name)                                               \
	}

static inline void list_init(struct list_node *l)
{
	l->next = l->prev = l;
}

static inline bool list_empty(const struct list_node *l)
{
	return l->next == l;
}

/* Is n on some list?  (Nodes are kept self-linked when off any list.) */
static inline bool list_linked(const struct list_node *n)
{
	return n->next != n && n->next != NULL;
}

static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define list_entry(n, type, member) container_of(n, type, member)
#define list_for_each_safe(pos, tmp, head)                                     \
	for (pos = (head)->next, tmp = pos->next; pos != (head);               \
	     pos = tmp, tmp = pos->next)

#endif
