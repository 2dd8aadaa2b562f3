@testable import PollenEngine
import Foundation
import PollenConsole
import PollenTestSupport
import Synchronization
import XCTest

/// The frame loop against an in-memory terminal: events and keys in, frames and commands out,
/// at most the frame rate, and back to the caller on quit or finish.
final class ConsoleAppTests: XCTestCase {
    let events = ConsoleEventBuffer()
    let handler = RecordingCommandHandler()

    func makeApp(_ terminal: FakeTerminal, framesPerSecond: Int = 10, directories: [URL] = [],
                 themeName: String? = nil) throws -> ConsoleApp {
        try ConsoleApp(backend: terminal, events: events, handler: handler,
                       options: ConsoleOptions(themeName: themeName, themeDirectories: directories,
                                               framesPerSecond: framesPerSecond, environment: [:]))
    }

    /// Runs `app` on its own thread; the semaphore is signalled when `run()` returns.
    func start(_ app: ConsoleApp) -> DispatchSemaphore {
        let returned = DispatchSemaphore(value: 0)
        Thread {
            app.run()
            returned.signal()
        }.start()
        return returned
    }

    func waitUntil(_ what: String, timeout: Double = 10, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { return XCTFail("timed out waiting until \(what)") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    func testEventsAndKeysDrawFramesAndQuitReturnsOnceTheRunIsDone() throws {
        let terminal = FakeTerminal()
        let returned = start(try makeApp(terminal))
        ConsoleHarness.finishedRun().forEach(events.receive)
        waitUntil("the summary is drawn") { terminal.screen.contains("Run finished") }
        terminal.press(.character("q"))
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success, "run() returns after q")
        XCTAssertEqual(handler.received, [.quit])
        XCTAssertEqual(terminal.restores, 1, "the terminal is restored when the loop ends")
    }

    func testQuitWhileWritingAsksThenDrainsAndQuits() throws {
        let terminal = FakeTerminal()
        let returned = start(try makeApp(terminal))
        events.receive(Events.runStarted())
        waitUntil("the run is drawn") { terminal.screen.contains("RUNNING") }
        terminal.press(.character("p"), .character("-"), .character("q"))
        waitUntil("the question is drawn") { terminal.screen.contains("Quit?") }
        XCTAssertEqual(returned.wait(timeout: .now() + 0.2), .timedOut, "still running while it asks")
        terminal.press(.character("y"))
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(handler.received, [.pause, .setCapacityCap(.init(capacityPercent: 90)), .drain, .quit])
    }

    func testTheFrameRateIsCappedWhileEventsPour() throws {
        let terminal = FakeTerminal()
        let app = try makeApp(terminal, framesPerSecond: 10)
        let started = Date()
        let returned = start(app)
        events.receive(Events.runStarted())
        let stop = Atomic<Bool>(false)
        let feeder = Thread { [events] in
            var batch: UInt64 = 0
            while !stop.load(ordering: .relaxed) {
                batch += 1
                events.receive(Events.batchThrottled(Double(batch) / 1000, batch, "AAPL", .earnings))
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
        feeder.start()
        Thread.sleep(forTimeInterval: 1.5)
        app.finish()
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success, "finish() ends the loop")
        stop.store(true, ordering: .relaxed)
        let duration = Date().timeIntervalSince(started)
        XCTAssertLessThanOrEqual(Double(terminal.frames), 10 * duration + 1, "at most 10 frames a second")
        XCTAssertGreaterThanOrEqual(terminal.frames, 3, "frames keep coming while the state changes")
    }

    func testAnIdleConsoleDrawsOnlyWhenSomethingChanges() throws {
        let terminal = FakeTerminal()
        let app = try makeApp(terminal, framesPerSecond: 50)
        let returned = start(app)
        waitUntil("the first frame") { terminal.frames == 1 }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(terminal.frames, 1, "nothing changed, nothing drawn")
        terminal.press(.character("?"))
        waitUntil("the help is drawn") { terminal.screen.contains("Keys") }
        XCTAssertEqual(terminal.frames, 2)
        app.finish()
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(terminal.frames, 3, "finish() draws one last frame")
    }

    func testResizeRedrawsAtTheNewSize() throws {
        let terminal = FakeTerminal(width: 80, height: 24)
        let app = try makeApp(terminal)
        let returned = start(app)
        events.receive(Events.runStarted())
        waitUntil("the run is drawn") { terminal.screen.contains("RUNNING") }
        terminal.resize(width: 60, height: 20)
        waitUntil("the small frame") { terminal.lastFrame?.width == 60 }
        XCTAssertTrue(terminal.screen.contains("terminal too small (need 80×24, have 60×20)"))
        terminal.resize(width: 132, height: 43)
        waitUntil("the large frame") { terminal.lastFrame?.height == 43 }
        XCTAssertTrue(terminal.screen.contains("Throttling"))
        app.finish()
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success)
    }

    func testTCyclesThemesFoundNextToTheDefault() throws {
        let terminal = FakeTerminal()
        let app = try makeApp(terminal, directories: [RepositoryThemes.directory])
        let returned = start(app)
        waitUntil("the first frame") { terminal.frames >= 1 }
        terminal.press(.character("t"))
        waitUntil("a second theme") { terminal.themes.count == 2 }
        XCTAssertEqual(terminal.themes, ["default", "high-contrast"])
        app.finish()
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success)
    }

    func testABrokenThemeStopsTheConsoleBeforeItStarts() throws {
        let directory = TemporaryDirectory()
        try directory.write("roles:\n  eror: { fg: red }\n", to: "broken.yaml")
        XCTAssertThrowsError(try makeApp(FakeTerminal(), directories: [directory.url], themeName: "broken")) { error in
            XCTAssertEqual((error as? ThemeError)?.key, "roles.eror")
        }
    }

    func testABrokenOtherThemeIsSkippedWithALogLine() throws {
        let directory = TemporaryDirectory()
        try directory.write("roles:\n  eror: { fg: red }\n", to: "broken.yaml")
        let terminal = FakeTerminal(width: 132, height: 43)
        let app = try makeApp(terminal, directories: [directory.url])
        let returned = start(app)
        waitUntil("the skipped theme is logged") { terminal.screen.contains("skipped") }
        app.finish()
        XCTAssertEqual(returned.wait(timeout: .now() + 10), .success)
    }

    func testTheEventBufferHandsOverEveryEventInOrder() {
        let buffer = ConsoleEventBuffer()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<500 { buffer.receive(Events.assetStarted(Double(index), "T\(thread)")) }
        }
        let taken = buffer.drain()
        XCTAssertEqual(taken.count, 4000)
        for thread in 0..<8 {
            let elapsed = taken.filter { $0.name == "assetStarted" && {
                if case .assetStarted(let symbol) = $0.body { return symbol == "T\(thread)" }
                return false
            }($0) }.map(\.elapsed)
            XCTAssertEqual(elapsed, elapsed.sorted(), "each sender's events stay in order")
        }
        XCTAssertTrue(buffer.drain().isEmpty)
    }
}
