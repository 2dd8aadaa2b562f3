import Foundation

/// The CRC-32 that DynamoDB puts in `x-amz-crc32`, over the exact response body.
enum ResponseChecksum {
    /// Whether `body` matches the header value; `nil` (no header) is accepted.
    static func matches(header: String?, body: Data) -> Bool {
        guard let header else { return true }
        guard let expected = UInt32(header.trimmingCharacters(in: .whitespaces)) else { return false }
        return expected == CRC32.of(body)
    }
}
