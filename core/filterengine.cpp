#include "filterengine.h"
