#include "streamengine.h"
