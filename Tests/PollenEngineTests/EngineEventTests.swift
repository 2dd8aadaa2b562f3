import Foundation
import PollenTestSupport
import PollenHTTP
import XCTest
@testable import PollenEngine

/// Event names and JSON, the emitter's clock, and the sinks.
final class EngineEventTests: XCTestCase {
    func json(_ event: EngineEvent) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: Any])
    }

    func testJSONShape() throws {
        let sent = try json(EngineEvent(elapsed: 1.23456, body: .batchSent(BatchInfo(
            batch: 7, symbol: "IBM", table: .earnings, items: 25, units: 26, attempt: 2))))
        XCTAssertEqual(sent["event"] as? String, "batchSent")
        XCTAssertEqual(sent["elapsed"] as? Double, 1.235, "milliseconds")
        XCTAssertEqual(sent["batch"] as? Int, 7)
        XCTAssertEqual(sent["table"] as? String, "earnings")
        XCTAssertEqual(sent["attempt"] as? Int, 2)
        let state = try json(EngineEvent(elapsed: 0, body: .stateChanged(.paused)))
        XCTAssertEqual(state["event"] as? String, "stateChanged")
        XCTAssertEqual(state["state"] as? String, "PAUSED")
        let started = try json(EngineEvent(elapsed: 0, body: .assetStarted(symbol: "IBM")))
        XCTAssertEqual(started["symbol"] as? String, "IBM")
        let retry = try json(EngineEvent(elapsed: 0, body: .retryScheduled(RetryInfo(
            batch: 1, symbol: "IBM", table: .cashFlow, attempt: 2, delaySeconds: 1.5, reason: .throttled, items: 3))))
        XCTAssertEqual(retry["reason"] as? String, "throttled")
        XCTAssertEqual(retry["delaySeconds"] as? Double, 1.5)
    }

    func testEmitterStampsTimeSinceStart() {
        let clock = InstantClock(start: 100)
        let recorder = EventRecorder()
        let emitter = EventEmitter(sink: EventFanOut([recorder]), clock: clock)
        clock.advance(by: 2.5)
        emitter.emit(.assetStarted(symbol: "IBM"))
        XCTAssertEqual(recorder.all.map(\.elapsed), [2.5])
        XCTAssertEqual(emitter.elapsed, 2.5)
    }

    func testFanOutAndJSONLinesSink() throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("events.jsonl").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let lines = JSONLinesSink(handle: handle) { $0.name != "progress" }
        let recorder = EventRecorder()
        let fanOut = EventFanOut([recorder, lines])
        fanOut.receive(EngineEvent(elapsed: 0, body: .assetStarted(symbol: "IBM")))
        fanOut.receive(EngineEvent(elapsed: 0.5, body: .stateChanged(.draining)))
        try handle.close()
        XCTAssertEqual(recorder.all.count, 2)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let written = text.split(separator: "\n")
        XCTAssertEqual(written.count, 2)
        XCTAssertTrue(text.hasSuffix("\n"))
        XCTAssertEqual(String(written[0]), #"{"elapsed":0,"event":"assetStarted","symbol":"IBM"}"#, "sorted keys, one line")
        XCTAssertEqual(String(written[1]), #"{"elapsed":0.5,"event":"stateChanged","state":"DRAINING"}"#)
    }

    func testTheEventLogNeverHoldsAKnownSecret() throws {
        let secret = "wJalrXUtnFEMI/K7MDENG/eventLogTestSecret"
        KnownSecrets.add(secret)
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("events.jsonl").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let alert = Alert(name: .throttleRate, message: "echoed \(secret)", value: 1, threshold: 0, active: true)
        JSONLinesSink(handle: handle).receive(EngineEvent(elapsed: 0, body: .alert(alert)))
        try handle.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(text.contains("eventLogTestSecret"), text)
        XCTAssertTrue(text.contains("echoed REDACTED"), text)
    }
}
