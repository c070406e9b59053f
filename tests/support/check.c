#include "check.h"
int hf_check_pass, hf_check_fail;
