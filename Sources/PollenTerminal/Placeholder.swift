import CNcurses
import PollenConsole

/// Placeholder until the terminal backend lands.
enum PollenTerminalPlaceholder {}
