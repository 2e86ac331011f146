#include <criterion/criterion.h>
Test(placeholder, ok) { cr_assert(1); }
