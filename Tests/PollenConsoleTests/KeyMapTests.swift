import PollenConsole
import XCTest

/// The key map is the one source of the keys, the help and the footer.
final class KeyMapTests: XCTestCase {
    func testEveryBindingHasHelpAndEveryActionHasAKey() {
        let keyMap = KeyMap.standard
        for binding in keyMap.bindings {
            XCTAssertFalse(binding.help.isEmpty, "\(binding.action) has a help line")
            XCTAssertFalse(binding.keys.isEmpty)
        }
        for action in OperatorAction.allCases {
            XCTAssertTrue(keyMap.bindings.contains { $0.action == action }, "\(action) has a key")
        }
        var seen = Set<Key>()
        for key in keyMap.bindings.flatMap(\.keys) {
            XCTAssertTrue(seen.insert(key).inserted, "\(key) is bound once")
        }
    }

    func testTheIssueKeysDoWhatTheIssueSays() {
        let keyMap = KeyMap.standard
        XCTAssertEqual(keyMap.action(for: .character("?")), .help)
        XCTAssertEqual(keyMap.action(for: .character("j")), .selectNext)
        XCTAssertEqual(keyMap.action(for: .character("k")), .selectPrevious)
        XCTAssertEqual(keyMap.action(for: .tab), .nextPanel)
        XCTAssertEqual(keyMap.action(for: .enter), .drillDown)
        XCTAssertEqual(keyMap.action(for: .escape), .close)
        XCTAssertEqual(keyMap.action(for: .character("r")), .rerunSelected)
        XCTAssertEqual(keyMap.action(for: .character("R")), .rerunAll)
        XCTAssertEqual(keyMap.action(for: .character("p")), .pauseResume)
        XCTAssertEqual(keyMap.action(for: .character("+")), .raiseCap)
        XCTAssertEqual(keyMap.action(for: .character("-")), .lowerCap)
        XCTAssertEqual(keyMap.action(for: .character("t")), .cycleTheme)
        XCTAssertEqual(keyMap.action(for: .character("q")), .quit)
        XCTAssertEqual(keyMap.action(for: .character("/")), .filterLog)
        XCTAssertNil(keyMap.action(for: .character("x")))
    }

    func helpScreen(_ keyMap: KeyMap, width: Int = 132, height: Int = 43) -> String {
        var state = ConsoleState()
        _ = ConsoleReducer(keyMap: keyMap).reduce(&state, .key(.character("?")))
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer(keyMap: keyMap).render(state, width: width, height: height, into: &buffer)
        return buffer.textLines.joined(separator: "\n")
    }

    func testTheHelpOverlayListsEveryBinding() {
        for (width, height) in [(80, 24), (132, 43)] {
            let screen = helpScreen(.standard, width: width, height: height)
            for binding in KeyMap.standard.bindings {
                XCTAssertTrue(screen.contains(binding.keyLabel), "\(binding.keyLabel) at \(width)x\(height)")
                XCTAssertTrue(screen.contains(binding.help), "\(binding.help) at \(width)x\(height)")
            }
        }
    }

    func testAddingABindingAddsItToTheHelp() {
        var bindings = KeyMap.standard.bindings
        bindings.append(KeyBinding([.character("x"), .end], .close, help: "a binding added later"))
        let screen = helpScreen(KeyMap(bindings))
        XCTAssertTrue(screen.contains("x/End"))
        XCTAssertTrue(screen.contains("a binding added later"))
        XCTAssertFalse(helpScreen(.standard).contains("a binding added later"))
    }

    func testTheFooterComesFromTheKeyMap() {
        var state = ConsoleState()
        let renamed = KeyMap(KeyMap.standard.bindings.map { binding in
            var binding = binding
            if binding.action == .help { binding.footer = "assist" }
            return binding
        })
        _ = ConsoleReducer().reduce(&state, .tick(0))
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer(keyMap: renamed).render(state, width: 80, height: 24, into: &buffer)
        XCTAssertTrue(buffer.textLines[23].contains("? assist"))
        XCTAssertTrue(buffer.textLines[23].contains("q quit"))
    }
}
