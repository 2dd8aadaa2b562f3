import PollenSource
import XCTest

final class CalendarDateTests: XCTestCase {
    func testLeapYears() {
        XCTAssertTrue(CalendarDate.isLeapYear(2000))
        XCTAssertFalse(CalendarDate.isLeapYear(1900))
        XCTAssertTrue(CalendarDate.isLeapYear(2024))
        XCTAssertFalse(CalendarDate.isLeapYear(2023))
        XCTAssertNotNil(CalendarDate("2000-02-29"))
        XCTAssertNil(CalendarDate("1900-02-29"))
        XCTAssertNotNil(CalendarDate("2024-02-29"))
        XCTAssertNil(CalendarDate("2023-02-29"))
        XCTAssertNil(CalendarDate("2024-02-30"))
    }

    func testRealDates() {
        for text in ["2024-03-31", "0001-01-01", "9999-12-31", "2023-04-30", "1999-12-31"] {
            XCTAssertEqual(CalendarDate(text)?.description, text)
        }
        XCTAssertEqual(CalendarDate("2024-03-31"), CalendarDate(year: 2024, month: 3, day: 31))
    }

    func testNotRealOrNotExactlyYYYYMMDD() {
        for text in ["2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00", "0000-01-01", "None", "", "2024-3-31",
                     "2024-03-31T00:00:00Z", "2024/03/31", "20240331", "２０２４-03-31", "2024-0a-31", " 2024-03-31",
                     "+024-03-31", "2024-03-3 "] {
            XCTAssertNil(CalendarDate(text), text)
        }
        XCTAssertNil(CalendarDate(year: 10_000, month: 1, day: 1))
    }

    func testDaysInMonth() {
        XCTAssertEqual((1...12).map { CalendarDate.numberOfDays(inMonth: $0, year: 2023) },
                       [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        XCTAssertEqual(CalendarDate.numberOfDays(inMonth: 2, year: 2024), 29)
        XCTAssertEqual(CalendarDate.numberOfDays(inMonth: 13, year: 2024), 0)
        XCTAssertEqual(CalendarDate.lastDay(ofMonth: 2, year: 2100)?.description, "2100-02-28")
        XCTAssertNil(CalendarDate.lastDay(ofMonth: 0, year: 2100))
    }

    func testArithmetic() throws {
        let date = try XCTUnwrap(CalendarDate("2024-02-28"))
        XCTAssertEqual(date.adding(days: 1)?.description, "2024-02-29")
        XCTAssertEqual(date.adding(days: 2)?.description, "2024-03-01")
        XCTAssertEqual(date.adding(days: 366)?.description, "2025-02-28")
        XCTAssertEqual(date.adding(days: -59)?.description, "2023-12-31")
        XCTAssertEqual(CalendarDate("1970-01-01")?.adding(days: -1)?.description, "1969-12-31")
        XCTAssertEqual(CalendarDate("0001-01-01")?.adding(days: 0)?.description, "0001-01-01")
        XCTAssertNil(CalendarDate("0001-01-01")?.adding(days: -1))
        XCTAssertNil(CalendarDate("9999-12-31")?.adding(days: 1))
        XCTAssertEqual(CalendarDate("2024-03-31")?.endOfMonth(movedBy: -1)?.description, "2024-02-29")
        XCTAssertEqual(CalendarDate("2024-01-15")?.endOfMonth(movedBy: -3)?.description, "2023-10-31")
        XCTAssertEqual(CalendarDate("2024-11-30")?.endOfMonth(movedBy: 3)?.description, "2025-02-28")
        XCTAssertNil(CalendarDate("0001-02-01")?.endOfMonth(movedBy: -2))
    }

    func testOrder() throws {
        let dates = ["2024-03-31", "2023-12-31", "2024-01-01", "2023-12-30"].compactMap(CalendarDate.init)
        XCTAssertEqual(dates.sorted().map(\.description), ["2023-12-30", "2023-12-31", "2024-01-01", "2024-03-31"])
    }
}
