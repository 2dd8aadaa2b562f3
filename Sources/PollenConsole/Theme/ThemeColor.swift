/// A color as a theme file writes it: the terminal's default, one of the 16 ANSI colors by
/// name, an index of the 256-color palette, or `#RRGGBB`.
///
/// Terminals differ in how many colors they have; ``index(colorCount:)`` maps any theme color
/// down to the nearest one the terminal can show, so every theme works on 8, 16 and 256
/// colors.
public enum ThemeColor: Hashable, Sendable {
    case terminalDefault
    /// An index of the xterm 256-color palette (0–15 are the ANSI colors).
    case indexed(Int)
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The ANSI names, in palette order (index 0–15).
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "brightBlack", "brightRed", "brightGreen", "brightYellow", "brightBlue", "brightMagenta", "brightCyan",
        "brightWhite",
    ]

    /// Parses `default`, an ANSI name, `0`–`255` or `#RRGGBB`; `nil` if it is none of them.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "default" {
            self = .terminalDefault
        } else if let index = Self.ansiNames.firstIndex(where: { $0.lowercased() == trimmed.lowercased() }) {
            self = .indexed(index)
        } else if let index = Int(trimmed), (0...255).contains(index) {
            self = .indexed(index)
        } else if trimmed.hasPrefix("#"), trimmed.count == 7,
                  let value = UInt32(trimmed.dropFirst(), radix: 16), trimmed.dropFirst().allSatisfy(\.isHexDigit) {
            self = .rgb(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
        } else {
            return nil
        }
    }

    /// The terminal color to use on a terminal with `colorCount` colors (8, 16, 256 or more);
    /// -1 is the terminal's default color.
    public func index(colorCount: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if index < 16 { return colorCount >= 16 ? index : index % 8 }
            if colorCount >= 256 { return index }
            let (red, green, blue) = XtermPalette.rgb(ofIndex: index)
            return XtermPalette.nearestANSI(red: red, green: green, blue: blue, colorCount: colorCount)
        case .rgb(let red, let green, let blue):
            if colorCount >= 256 { return XtermPalette.nearest256(red: red, green: green, blue: blue) }
            return XtermPalette.nearestANSI(red: red, green: green, blue: blue, colorCount: colorCount)
        }
    }
}
