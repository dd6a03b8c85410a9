#include "chunkparser.h"
