#include "numberparse.h"
