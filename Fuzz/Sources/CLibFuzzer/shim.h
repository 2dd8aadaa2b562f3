// libFuzzer's C entry points (compiler-rt, linked by `-sanitize=fuzzer`).
#include <stddef.h>
#include <stdint.h>

// Each fuzz target defines this in Swift with @_cdecl("LLVMFuzzerTestOneInput").
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// Runs libFuzzer's driver (argument parsing, corpus, mutation loop) on a callback. SwiftPM
// links an executable target's entry point as `<Target>_main`, not `main`, so each target
// defines that symbol and hands over to libFuzzer here.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
