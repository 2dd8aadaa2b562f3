#ifndef POLLEN_CNCURSES_SHIM_H
#define POLLEN_CNCURSES_SHIM_H

/* Wide-character ncurses: these must come before curses.h. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <curses.h>

/* ncurses exposes these as macros or global variables; Swift sees them through functions. */
static inline int pollen_color_pair(short pair) { return (int)COLOR_PAIR(pair); }
static inline int pollen_lines(void) { return LINES; }
static inline int pollen_cols(void) { return COLS; }
static inline int pollen_colors(void) { return COLORS; }
static inline int pollen_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *pollen_stdscr(void) { return stdscr; }
static inline attr_t pollen_a_bold(void) { return A_BOLD; }
static inline attr_t pollen_a_reverse(void) { return A_REVERSE; }
static inline attr_t pollen_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pollen_a_dim(void) { return A_DIM; }
static inline attr_t pollen_a_normal(void) { return A_NORMAL; }
static inline int pollen_key_resize(void) { return KEY_RESIZE; }

/* A screen on the process's standard output and input: stdout and stdin are C globals Swift 6
   cannot read safely. NULL when the terminal cannot be used. */
static inline SCREEN *pollen_newterm(void) { return newterm(NULL, stdout, stdin); }

/* Draws one cell: a wide-character string (one spacing character plus combining marks) with
   attributes and a color pair, at (y, x) of the standard screen. */
static inline int pollen_put_cell(int y, int x, const wchar_t *text, attr_t attributes, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

#endif
