/* Test input for semantic-patches/split_atomic.cocci: calls of splitter
 * callers in atomic regions of the same function, and calls that are not. */
struct page;
typedef struct { int l; } spinlock_t;
static spinlock_t lock;
int set_direct_map_invalid_noflush(struct page *page);
int set_memory_valid(unsigned long addr, int numpages, int enable);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
void local_irq_disable(void);
void local_irq_enable(void);
void rcu_read_lock(void);
void rcu_read_unlock(void);
void helper(struct page *page);

void under_lock(struct page *page)
{
	spin_lock(&lock);
	set_direct_map_invalid_noflush(page);
	spin_unlock(&lock);
}

void after_unlock(struct page *page)
{
	spin_lock(&lock);
	spin_unlock(&lock);
	set_direct_map_invalid_noflush(page);
}

void one_path(struct page *page, int x)
{
	local_irq_disable();
	if (x)
		local_irq_enable();
	set_memory_valid(0, 1, 1);
	if (!x)
		local_irq_enable();
}

/* helper() reaches the splitter in another file: only the list splitsafe
 * writes from its whole-program graph tells */
void through_helper(struct page *page)
{
	rcu_read_lock();
	helper(page);
	rcu_read_unlock();
}

void not_atomic(struct page *page)
{
	set_direct_map_invalid_noflush(page);
	helper(page);
}

/* cleanup.h guards: guard(CLASS)(...) holds to the end of its block,
 * scoped_guard(CLASS, ...) for the statement that follows */
int set_memory_ro(unsigned long addr, int numpages);
struct mutex { int m; };
static struct mutex mtx;

/* reported: the spinlock is held to the end of the function */
void guard_lock(unsigned long addr)
{
	guard(spinlock)(&lock);
	set_memory_ro(addr, 1);
}

/* the first call is reported, the one after the block is not */
void scoped_lock(unsigned long addr)
{
	scoped_guard(spinlock_irqsave, &lock) {
		set_memory_ro(addr, 1);
	}
	set_memory_ro(addr, 1);
}

/* not reported: a mutex may sleep */
void guard_mutex(unsigned long addr)
{
	guard(mutex)(&mtx);
	set_memory_ro(addr, 1);
}

/* not reported: the guard ends with the inner block */
void guard_inner(unsigned long addr, int x)
{
	if (x) {
		guard(spinlock)(&lock);
		x++;
	}
	set_memory_ro(addr, 1);
}

/* reported: an RCU read-side section, also around the if */
void guard_rcu(unsigned long addr, int x)
{
	guard(rcu)();
	if (x)
		set_memory_ro(addr, 1);
}

/* not reported: each round's guard ends before the next round's call */
void guard_loop(unsigned long addr, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		set_memory_ro(addr + i, 1);
		guard(spinlock)(&lock);
		n--;
	}
}

/* reported: scoped_guard without braces, a class without arguments */
void scoped_irqs(unsigned long addr)
{
	scoped_guard(irqsave)
		set_memory_ro(addr, 1);
	set_memory_ro(addr, 1);
}
