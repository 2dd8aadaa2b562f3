/// The built-in default theme: a copy of `themes/default.yaml`, so the console always has a
/// theme, even installed without the repository's `themes` folder. A test keeps the two equal.
enum BuiltInTheme {
    static let name = "default"

    static let yaml = #"""
# Pollen console theme: default, for dark terminals.
# The format is described in themes/README.md. The console carries a copy of this file, so it
# always has a theme even when none is installed.
name: default
description: Calm colors on the terminal's own dark background.
palette:
  foreground: "#c9d1d9"
  dimmed: "#7d8590"
  frame: "#3d444d"
  white: "#f0f6fc"
  blue: "#58a6ff"
  cyan: "#39c5cf"
  green: "#3fb950"
  yellow: "#d29922"
  red: "#f85149"
  highlight: "#1f4a7a"
roles:
  text: { fg: foreground }
  background: { fg: foreground, bg: default }
  muted: { fg: dimmed }
  accent: { fg: cyan }
  ok: { fg: green }
  warn: { fg: yellow, attributes: [bold] }
  error: { fg: red, attributes: [bold] }
  border: { fg: frame }
  focus: { fg: blue, attributes: [bold] }
  title: { fg: white, attributes: [bold] }
  header: { fg: dimmed, attributes: [bold] }
  selection: { fg: white, bg: highlight, attributes: [bold] }
  barFill: { fg: blue }
  barEmpty: { fg: frame }
  graph: { fg: cyan }
  capacityLine: { fg: red }
"""#
}
