/// One terminal cell of a frame.
///
/// A wide character (CJK, emoji) fills two cells: the first holds it with `width` 2, the
/// second is a continuation (`width` 0) that backends skip.
public struct Cell: Equatable, Sendable {
    /// The character, with any combining marks attached.
    public var character: Character
    /// Columns the character takes from this cell: 1, 2, or 0 for a continuation.
    public var width: UInt8
    public var style: CellStyle

    public init(character: Character, width: UInt8 = 1, style: CellStyle) {
        self.character = character
        self.width = width
        self.style = style
    }

    public var isContinuation: Bool { width == 0 }

    /// An empty cell on the background.
    public static let blank = Cell(character: " ", style: CellStyle(.background))
}
