import Foundation

/// The parts of a request that SigV4 covers, in wire form: the path and query as sent
/// (percent-encoded or not), every header field, and the body.
struct SigningInput {
    var method: String
    var path: String
    var query: String
    var headers: [(name: String, value: String)]
    var payload: Data
}

/// The `X-Amz-Date` timestamp and the day part of the credential scope, both in UTC.
struct SigV4Timestamp {
    /// `YYYYMMDD'T'HHMMSS'Z'`.
    let dateTime: String
    /// `YYYYMMDD`.
    let date: String

    init(_ instant: Date) {
        var seconds = time_t(instant.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        date = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        dateTime = date + "T" + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }

    init(dateTime: String) {
        self.dateTime = dateTime
        self.date = String(dateTime.prefix(8))
    }
}
