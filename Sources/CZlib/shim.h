#ifndef POLLEN_CZLIB_SHIM_H
#define POLLEN_CZLIB_SHIM_H
/* zlib, for the CRC-32 that DynamoDB sends in x-amz-crc32. */
#include <zlib.h>
#endif
