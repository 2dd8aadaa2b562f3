/// Draws the whole console for a state into a cell buffer: header, live panels or summary,
/// footer, and the open overlay; or the too-small message.
public struct ConsoleRenderer: Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var keyMap: KeyMap
    public var glyphs: Glyphs

    public init(keyMap: KeyMap = .standard, unicode: Bool = true) {
        self.keyMap = keyMap
        glyphs = .forUnicode(unicode)
    }

    /// Draws `state` into `buffer`, blanked and sized `width` × `height` first.
    public func render(_ state: ConsoleState, width: Int, height: Int, into buffer: inout CellBuffer) {
        buffer.reset(width: width, height: height)
        buffer.ellipsis = glyphs.ellipsis
        let screen = buffer.bounds
        guard screen.width >= Self.minimumWidth, screen.height >= Self.minimumHeight else {
            TooSmallScreen(minimumWidth: Self.minimumWidth, minimumHeight: Self.minimumHeight,
                           confirmingQuit: state.ui.overlay == .confirmQuit, glyphs: glyphs)
                .render(in: screen, buffer: &buffer)
            return
        }
        let (header, afterHeader) = screen.splitTop(HeaderBar.height)
        let (body, footer) = afterHeader.splitBottom(1)
        HeaderBar(state: state, glyphs: glyphs).render(in: header, buffer: &buffer)
        if state.ui.showsSummary, let summary = state.run.summary {
            SummaryScreen(state: state, summary: summary, glyphs: glyphs).render(in: body, buffer: &buffer)
        } else {
            renderDashboard(state, in: body, buffer: &buffer)
        }
        FooterBar(state: state, keyMap: keyMap, glyphs: glyphs).render(in: footer, buffer: &buffer)
        switch state.ui.overlay {
        case .help?:
            HelpOverlay(keyMap: keyMap, glyphs: glyphs).render(in: afterHeader, buffer: &buffer)
        case .drillDown(let target, let scroll)?:
            DrillDownOverlay(state: state, target: target, scroll: scroll, glyphs: glyphs).render(in: body, buffer: &buffer)
        case .confirmQuit?:
            ConfirmQuitOverlay(state: state, glyphs: glyphs).render(in: body, buffer: &buffer)
        case nil:
            break
        }
    }

    private func renderDashboard(_ state: ConsoleState, in body: Rect, buffer: inout CellBuffer) {
        let layout = DashboardLayout(body: body, tableCount: state.tables.count)
        let focus = state.ui.focus
        TablesPanel(state: state, glyphs: glyphs, focused: focus == .tables).render(in: layout.tables, buffer: &buffer)
        CapacityGraphPanel(state: state, glyphs: glyphs).render(in: layout.graph, buffer: &buffer)
        RetryPanel(state: state, glyphs: glyphs).render(in: layout.retries, buffer: &buffer)
        if let area = layout.throttle { ThrottlePanel(state: state, glyphs: glyphs).render(in: area, buffer: &buffer) }
        if let area = layout.alerts { AlertsPanel(state: state, glyphs: glyphs).render(in: area, buffer: &buffer) }
        AssetsPanel(state: state, glyphs: glyphs, focused: focus == .assets).render(in: layout.assets, buffer: &buffer)
        EventLogPanel(state: state, glyphs: glyphs, focused: focus == .log).render(in: layout.log, buffer: &buffer)
    }
}
