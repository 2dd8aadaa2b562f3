/// Something that draws itself into a rectangle of a frame (the ratatui idea): panels,
/// screens and overlays are widgets built from the state, drawn once per frame.
protocol Widget {
    func render(in area: Rect, buffer: inout CellBuffer)
}
