/// One frame of the console as a grid of cells, drawn in memory.
///
/// Widgets write text into it, the backend diffs it against the previous frame and touches
/// only the changed cells, and tests read it back as text. It counts display columns: wide
/// characters take two cells, combining marks stay with their base character, text is
/// clipped at the edges and cut short with an ellipsis when it does not fit.
public struct CellBuffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    private var cells: [Cell]
    /// What ``write(_:x:y:maxWidth:style:)`` ends cut-short text with.
    public var ellipsis: Character

    public init(width: Int, height: Int, ellipsis: Character = "…") {
        self.width = max(0, width)
        self.height = max(0, height)
        self.ellipsis = ellipsis
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// Blanks the buffer for a new frame, keeping its storage when the size is unchanged.
    public mutating func reset(width: Int, height: Int) {
        let width = max(0, width), height = max(0, height)
        if width == self.width && height == self.height {
            for index in cells.indices { cells[index] = .blank }
        } else {
            self.width = width
            self.height = height
            cells = Array(repeating: .blank, count: width * height)
        }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y` (which must be inside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Draws one character at (`x`, `y`) and returns the columns it took (0 when clipped).
    /// A wide character that does not fit before the right edge becomes a blank.
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: CellStyle) -> Int {
        put(character, width: DisplayWidth.of(character), x: x, y: y, style: style)
    }

    /// Writes `text` from (`x`, `y`) on one row, at most `maxWidth` columns and never past the
    /// right edge (what falls left of the buffer is clipped); text that does not fit ends with
    /// the ellipsis. Returns the columns it took.
    @discardableResult
    public mutating func write<Text: StringProtocol>(_ text: Text, x: Int, y: Int, maxWidth: Int = .max,
                                                     style: CellStyle) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth, width - x)
        guard limit > 0 else { return 0 }
        let fits = DisplayWidth.of(text) <= limit
        let room = fits ? limit : limit - 1
        var column = 0
        for character in text {
            let characterWidth = DisplayWidth.of(character)
            if characterWidth == 0 {
                attach(character, before: x + column, y: y)
                continue
            }
            if column + characterWidth > room { break }
            put(character, width: characterWidth, x: x + column, y: y, style: style)
            column += characterWidth
        }
        if !fits {
            put(ellipsis, width: 1, x: x + column, y: y, style: style)
            column += 1
        }
        return column
    }

    /// Fills `rect` (clipped to the buffer) with `character`.
    public mutating func fill(_ rect: Rect, character: Character = " ", style: CellStyle) {
        let characterWidth = DisplayWidth.of(character)
        let area = clipped(rect)
        for y in area.y..<area.maxY {
            var x = area.x
            while x < area.maxX {
                x += max(1, put(character, width: characterWidth, x: x, y: y, style: style))
            }
        }
    }

    /// Gives every cell of `rect` the style `style`, keeping the characters (a selected row).
    public mutating func restyle(_ rect: Rect, style: CellStyle) {
        let area = clipped(rect)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * width + x].style = style }
        }
    }

    /// The frame as text, one string per row (continuation cells left out).
    public var textLines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line.append(self[x, y].character) }
            return line
        }
    }

    /// One symbol per column and row, chosen from each cell (a layer of a snapshot).
    public func layer(_ symbol: (Cell) -> Character) -> [String] {
        (0..<height).map { y in String((0..<width).map { symbol(self[$0, y]) }) }
    }

    @discardableResult
    private mutating func put(_ character: Character, width characterWidth: Int, x: Int, y: Int, style: CellStyle) -> Int {
        guard y >= 0, y < height, x >= 0, x < width, characterWidth > 0 else { return 0 }
        if characterWidth == 2 && x + 1 >= width {
            return put(" ", width: 1, x: x, y: y, style: style)
        }
        let index = y * width + x
        for offset in 0..<characterWidth { clearWideCharacter(at: x + offset, y: y) }
        cells[index] = Cell(character: character, width: UInt8(characterWidth), style: style)
        if characterWidth == 2 { cells[index + 1] = Cell(character: " ", width: 0, style: style) }
        return characterWidth
    }

    /// The part of `rect` inside the buffer (possibly empty).
    private func clipped(_ rect: Rect) -> Rect {
        let x = min(max(0, rect.x), width), y = min(max(0, rect.y), height)
        return Rect(x: x, y: y, width: min(width, rect.maxX) - x, height: min(height, rect.maxY) - y)
    }

    /// Before a cell is overwritten: blanks the other half of a wide character it is part of.
    private mutating func clearWideCharacter(at x: Int, y: Int) {
        let index = y * width + x
        if cells[index].width == 0 && x > 0 {
            cells[index - 1] = Cell(character: " ", style: cells[index - 1].style)
        } else if cells[index].width == 2 && x + 1 < width {
            cells[index + 1] = Cell(character: " ", style: cells[index + 1].style)
        }
    }

    /// Adds a combining mark to the character in the cell before column `x`; other zero-width
    /// characters (controls) are dropped.
    private mutating func attach(_ mark: Character, before x: Int, y: Int) {
        var base = x - 1
        if base >= 0 && base < width && cells[y * width + base].isContinuation { base -= 1 }
        guard base >= 0, base < width else { return }
        let index = y * width + base
        let combined = String(cells[index].character) + String(mark)
        guard combined.count == 1 else { return }  // a control character, not a mark: dropped
        cells[index].character = Character(combined)
    }
}
