import PollenConsole
import XCTest

/// Any state at any size draws without trapping and without writing past the frame.
final class RenderRobustnessTests: XCTestCase {
    func testEveryStateRendersAtEverySize() {
        let scenario = BackfillScenario()
        var states = [ConsoleState(), BackfillScenario.state([Events.runStarted()]),
                      BackfillScenario.state(scenario.events(until: 5)), BackfillScenario.state(scenario.finishedEvents())]
        for key in [Key.character("?"), .enter, .character("q"), .character("/")] {
            var state = states[2]
            _ = ConsoleReducer().reduce(&state, .key(key))
            states.append(state)
        }
        let sizes = [(0, 0), (1, 1), (10, 3), (79, 23), (80, 24), (81, 60), (100, 30), (120, 40), (200, 60), (300, 100)]
        for state in states {
            for (width, height) in sizes {
                for unicode in [true, false] {
                    var buffer = CellBuffer(width: 0, height: 0)
                    ConsoleRenderer(unicode: unicode).render(state, width: width, height: height, into: &buffer)
                    XCTAssertEqual(buffer.width, width)
                    XCTAssertEqual(buffer.textLines.count, height)
                }
            }
        }
    }
}
