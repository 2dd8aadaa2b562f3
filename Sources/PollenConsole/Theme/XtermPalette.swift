/// The xterm palette, and how an RGB color is brought down to it.
///
/// 256 colors: the nearest entry of the 6×6×6 cube or the gray ramp. 16 and 8 colors: by hue
/// rather than by RGB distance, because distance maps most pastel theme colors to gray, and
/// "green" must stay green on an old terminal.
enum XtermPalette {
    /// The six levels of each channel in the 256-color cube.
    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of a 256-palette index (the 16 ANSI colors as xterm shows them).
    static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
        let ansi: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch index {
        case ..<16:
            return ansi[max(0, index)]
        case 16..<232:
            let cube = index - 16
            return (UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[cube / 6 % 6]), UInt8(cubeLevels[cube % 6]))
        default:
            let level = UInt8(8 + 10 * (min(index, 255) - 232))
            return (level, level, level)
        }
    }

    /// The nearest color of the cube or the gray ramp (16–255).
    static func nearest256(red: UInt8, green: UInt8, blue: UInt8) -> Int {
        func nearestLevel(_ value: UInt8) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - Int(value)) < abs(cubeLevels[$1] - Int(value)) }!
        }
        let (r, g, b) = (nearestLevel(red), nearestLevel(green), nearestLevel(blue))
        let cubeIndex = 16 + 36 * r + 6 * g + b
        let average = (Int(red) + Int(green) + Int(blue)) / 3
        let grayIndex = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgb(ofIndex: cubeIndex), (red, green, blue)) <= distance(rgb(ofIndex: grayIndex), (red, green, blue))
            ? cubeIndex : grayIndex
    }

    /// The ANSI color (0–15, or 0–7 when `colorCount` < 16) of the same hue and brightness.
    static func nearestANSI(red: UInt8, green: UInt8, blue: UInt8, colorCount: Int) -> Int {
        let channels = [Double(red) / 255, Double(green) / 255, Double(blue) / 255]
        let maximum = channels.max()!, minimum = channels.min()!
        let value = maximum
        let saturation = maximum == 0 ? 0 : (maximum - minimum) / maximum
        let bright = colorCount >= 16
        if saturation < 0.3 || maximum - minimum < 0.12 {
            // Gray: black, dark gray, light gray or white. With 8 colors anything readable is white.
            if value < 0.2 { return 0 }
            if !bright { return 7 }
            if value < 0.6 { return 8 }
            return value < 0.9 ? 7 : 15
        }
        var hue: Double
        let (r, g, b) = (channels[0], channels[1], channels[2])
        let chroma = maximum - minimum
        if maximum == r {
            hue = 60 * ((g - b) / chroma)
        } else if maximum == g {
            hue = 60 * ((b - r) / chroma + 2)
        } else {
            hue = 60 * ((r - g) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        // Hue sectors as the eye names them (ANSI has no orange: it goes to yellow).
        let base: Int
        switch hue {
        case 20..<70: base = 3  // yellow
        case 70..<165: base = 2  // green
        case 165..<200: base = 6  // cyan
        case 200..<270: base = 4  // blue
        case 270..<330: base = 5  // magenta
        default: base = 1  // red
        }
        return bright && value > 0.9 ? base + 8 : base
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }
}
