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
