/* Test input for semantic-patches/split_callback.cocci: callbacks this
 * file registers, and functions it does not. */
struct page;
struct timer_list { void (*function)(struct timer_list *t); };
struct hrtimer { int (*function)(struct hrtimer *t); };
struct rcu_head { struct rcu_head *next; };
int set_direct_map_invalid_noflush(struct page *page);
int request_threaded_irq(unsigned int irq, int (*h)(int, void *),
			 int (*t)(int, void *), unsigned long f, const char *n,
			 void *d);
void timer_setup(struct timer_list *t, void (*cb)(struct timer_list *t), int f);
void call_rcu(struct rcu_head *h, void (*cb)(struct rcu_head *h));
static struct page *pg;

static int irq_handler(int irq, void *dev)
{
	set_direct_map_invalid_noflush(pg);
	return 0;
}

/* threaded: a kthread, may sleep */
static int irq_thread(int irq, void *dev)
{
	set_direct_map_invalid_noflush(pg);
	return 0;
}

static void timer_cb(struct timer_list *t)
{
	set_direct_map_invalid_noflush(pg);
}

static int hrtimer_cb(struct hrtimer *t)
{
	set_direct_map_invalid_noflush(pg);
	return 0;
}

static void rcu_cb(struct rcu_head *h)
{
	set_direct_map_invalid_noflush(pg);
}

/* never registered */
void plain(void)
{
	set_direct_map_invalid_noflush(pg);
}

static struct timer_list tl;
static struct hrtimer ht;
static struct rcu_head rh;

void setup(void)
{
	request_threaded_irq(1, irq_handler, irq_thread, 0, "x", 0);
	timer_setup(&tl, timer_cb, 0);
	ht.function = hrtimer_cb;
	call_rcu(&rh, rcu_cb);
}
