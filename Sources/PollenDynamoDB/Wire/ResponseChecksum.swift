import CZlib
import Foundation

/// The CRC-32 that DynamoDB puts in `x-amz-crc32`, over the exact response body.
enum ResponseChecksum {
    static func crc32(of body: Data) -> UInt32 {
        body.withUnsafeBytes { buffer -> UInt32 in
            let bytes = buffer.bindMemory(to: UInt8.self)
            return UInt32(CZlib.crc32(0, bytes.baseAddress, uInt(bytes.count)))
        }
    }

    /// Whether `body` matches the header value; `nil` (no header) is accepted.
    static func matches(header: String?, body: Data) -> Bool {
        guard let header else { return true }
        guard let expected = UInt32(header.trimmingCharacters(in: .whitespaces)) else { return false }
        return expected == crc32(of: body)
    }
}
