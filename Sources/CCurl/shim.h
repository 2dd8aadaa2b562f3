#ifndef POLLEN_CCURL_SHIM_H
#define POLLEN_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are variadic, which Swift cannot
   call; these typed wrappers are the only way Swift reaches them. */

typedef size_t (*pollen_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode pollen_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pollen_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pollen_curl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pollen_curl_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                             pollen_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode pollen_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode pollen_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode pollen_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
