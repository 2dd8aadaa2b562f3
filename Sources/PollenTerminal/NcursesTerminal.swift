import CNcurses
import Glibc
import PollenConsole

/// The console's terminal: ncursesw in cbreak mode (so Ctrl-C still raises SIGINT for the
/// host), wide characters, colors brought down to what the terminal has, and frames drawn by
/// touching only the cells that changed.
///
/// The terminal is restored by ``restore()`` (idempotent), and on SIGTERM, SIGHUP, SIGSEGV and
/// SIGABRT before the signal takes its course. One instance at a time.
public final class NcursesTerminal: TerminalBackend {
    private let color: Bool
    private let signals: TerminalSignals
    private let screen: OpaquePointer
    private var colorCount = 0
    private var defaultColors = false
    private var pairs: ColorPairs?
    private var theme: Theme?
    /// The frame on screen, to diff the next one against; `nil` repaints everything.
    private var previous: CellBuffer?
    /// Set by ``restore()``: the screen is gone, so drawing and reading do nothing.
    private var restored = false
    /// One cell's text for `setcchar`: a spacing character, combining marks, a terminating 0.
    private let cellText = UnsafeMutablePointer<wchar_t>.allocate(capacity: 8)

    /// Whether the console can run here: a terminal that is not `dumb`. Otherwise the host
    /// falls back to plain output.
    public static func isUsable(environment: [String: String], isTerminal: Bool) -> Bool {
        guard isTerminal, let term = environment["TERM"], !term.isEmpty else { return false }
        return term != "dumb"
    }

    /// Takes over the terminal. Throws ``TerminalError`` when ncurses cannot use it.
    public init(options: ConsoleOptions) throws {
        setlocale(LC_ALL, "")
        signals = TerminalSignals()
        guard let screen = pollen_newterm() else {
            throw TerminalError.cannotStart(term: options.environment["TERM"] ?? "")
        }
        self.screen = screen
        signals.install()
        color = options.color && has_colors()
        cbreak()
        noecho()
        nonl()
        keypad(pollen_stdscr(), true)
        leaveok(pollen_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if color {
            start_color()
            defaultColors = use_default_colors() == OK
            colorCount = Int(pollen_colors())
        }
    }

    deinit {
        restore()
        cellText.deallocate()
    }

    public var size: (width: Int, height: Int) {
        (Int(pollen_cols()), Int(pollen_lines()))
    }

    public func draw(_ buffer: CellBuffer, theme: Theme) {
        guard !restored else { return }
        if theme != self.theme || pairs == nil {
            self.theme = theme
            pairs = ColorPairs(theme: theme, color: color, colorCount: colorCount, defaultColors: defaultColors)
            previous = nil
        }
        guard let pairs else { return }
        if let previous, previous.width != buffer.width || previous.height != buffer.height { self.previous = nil }
        if previous == nil {
            let background = pairs.look(of: CellStyle(.background))
            wbkgdset(pollen_stdscr(), chtype(background.attributes) | chtype(pollen_color_pair(background.pair)))
            werase(pollen_stdscr())
        }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if let previous, previous[x, y] == cell { continue }
                guard !cell.isContinuation else { continue }  // drawn with the wide character before it
                put(cell, x: x, y: y, pairs: pairs)
            }
        }
        wnoutrefresh(pollen_stdscr())
        doupdate()
        previous = buffer
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard !restored else { return nil }
        wtimeout(pollen_stdscr(), Int32(clamping: max(0, timeoutMilliseconds)))
        var code: wint_t = 0
        let status = wget_wch(pollen_stdscr(), &code)
        let key = KeyDecoder.key(status: status, code: UInt32(code))
        if key == .resize { previous = nil }
        return key
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        TerminalSignals.endCurses()
        signals.uninstall()
        delscreen(screen)
    }

    private func put(_ cell: Cell, x: Int, y: Int, pairs: ColorPairs) {
        var count = 0
        for scalar in cell.character.unicodeScalars where count < 5 {  // CCHARW_MAX
            cellText[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        cellText[count] = 0
        let look = pairs.look(of: cell.style)
        pollen_put_cell(Int32(y), Int32(x), cellText, look.attributes, look.pair)
    }
}
