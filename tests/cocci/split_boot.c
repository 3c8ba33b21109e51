/* Test input for semantic-patches/split_boot.cocci: boot code before the
 * capabilities are finalized, and code after. */
struct page;
int set_memory_decrypted(unsigned long addr, int numpages);
int share_buffer(unsigned long addr);
#define __init __attribute__((__section__(".init.text")))
#define early_initcall(fn) static void *__ea_##fn = (void *)&fn
#define device_initcall(fn) static void *__dv_##fn = (void *)&fn
#define early_param(s, fn) static void *__ep_##fn = (void *)&fn

static int __init early_setup(void)
{
	return set_memory_decrypted(0x1000, 1);
}
early_initcall(early_setup);

static int __init late_setup(void)
{
	return set_memory_decrypted(0x2000, 1);
}
device_initcall(late_setup);

static int __init param_setup(char *s)
{
	return share_buffer(0x3000);
}
early_param("share", param_setup);

static void __init early_helper(void)
{
	set_memory_decrypted(0x4000, 1);
}

void __init setup_arch(void)
{
	early_helper();
	set_memory_decrypted(0x5000, 1);
}
